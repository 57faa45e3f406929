package org.shapelab.compute;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.shapelab.layers.Concatenate;
import org.shapelab.layers.Dot;
import org.shapelab.layers.ElementwiseMerge;
import org.shapelab.layers.Merge;

/**
 * The merge layers: Add, Subtract, Multiply, Average, Maximum and Minimum value by value (broadcast as Keras does:
 * axes of 1 repeat, a shorter tensor gets new axes after the batch axis), Concatenate along its axis, Dot as
 * Keras's {@code batch_dot}. The mask of a merge is the AND of its inputs' masks, as Keras's
 * {@code Merge.compute_mask}; Dot drops it.
 */
abstract class MergeComputation implements Computation {

    static Computation of(Merge merge) {
        if (merge instanceof ElementwiseMerge elementwise) {
            return new Elementwise(elementwise.op());
        }
        if (merge instanceof Concatenate concatenate) {
            return new Concat(concatenate.axis());
        }
        if (merge instanceof Dot dot) {
            int[] axes = dot.resolvedAxes();
            return new DotProduct(axes[0], axes[1], dot.normalize());
        }
        throw new IllegalStateException("no kernel for merge " + merge.describe());
    }

    @Override
    public final INDArray forward(INDArray input, INDArray mask) {
        throw new IllegalStateException("a merge is called on a list of arrays (forwardAll)");
    }

    /** The inputs of the last training forward pass, which the gradients need. */
    List<INDArray> trainingInputs;

    @Override
    public boolean trains() {
        return true;
    }

    @Override
    public List<INDArray> forwardTrainingAll(List<INDArray> inputs, List<INDArray> masks, TrainingStep step) {
        trainingInputs = inputs;
        List<INDArray> outputs = forwardAll(inputs, masks);
        return List.of(outputs.get(0).dup());
    }

    @Override
    public List<INDArray> outputMasks(List<INDArray> inputs, List<INDArray> masks) {
        INDArray joined = null;
        for (INDArray mask : masks) {
            if (mask != null) {
                joined = joined == null ? mask.dup() : joined.muli(mask);
            }
        }
        return java.util.Collections.singletonList(joined);
    }

    /** Value-by-value merges on inputs broadcast to the output's shape. */
    static final class Elementwise extends MergeComputation {
        private final ElementwiseMerge.Op op;

        Elementwise(ElementwiseMerge.Op op) {
            this.op = op;
        }

        @Override
        public List<INDArray> forwardAll(List<INDArray> inputs, List<INDArray> masks) {
            long[] shape = broadcastShape(inputs);
            INDArray out = broadcast(inputs.get(0), shape).dup('c');
            for (int i = 1; i < inputs.size(); i++) {
                INDArray next = broadcast(inputs.get(i), shape);
                switch (op) {
                    case ADD, AVERAGE -> out.addi(next);
                    case SUBTRACT -> out.subi(next);
                    case MULTIPLY -> out.muli(next);
                    case MAXIMUM -> out = Transforms.max(out, next, false);
                    case MINIMUM -> out = Transforms.min(out, next, false);
                }
            }
            if (op == ElementwiseMerge.Op.AVERAGE) {
                out.divi(inputs.size());
            }
            return List.of(out);
        }

        /**
         * Each input's share of the gradient, summed back over the axes broadcasting repeated: Add and Average pass it
         * on (Average divided by n), Subtract negates it for the second input, Multiply scales it by the other
         * inputs, Maximum and Minimum give it to the input that was chosen (the first one on ties, as TensorFlow).
         */
        @Override
        public List<INDArray> backwardAll(List<INDArray> outputGradients, INDArray[] weightGradients) {
            INDArray gradient = outputGradients.get(0);
            List<INDArray> inputs = trainingInputs;
            long[] shape = gradient.shape();
            List<INDArray> gradients = new ArrayList<>();
            INDArray taken = op == ElementwiseMerge.Op.MAXIMUM || op == ElementwiseMerge.Op.MINIMUM
                    ? Nd4j.zeros(DataType.FLOAT, shape) : null;
            INDArray chosen = taken == null ? null : forwardAll(inputs, java.util.Collections.nCopies(inputs.size(),
                    null)).get(0);
            for (int i = 0; i < inputs.size(); i++) {
                INDArray share = switch (op) {
                    case ADD -> gradient;
                    case AVERAGE -> gradient.div(inputs.size());
                    case SUBTRACT -> i == 0 ? gradient : gradient.neg();
                    case MULTIPLY -> {
                        INDArray others = Nd4j.ones(DataType.FLOAT, shape);
                        for (int j = 0; j < inputs.size(); j++) {
                            if (j != i) {
                                others.muli(broadcast(inputs.get(j), shape));
                            }
                        }
                        yield gradient.mul(others);
                    }
                    case MAXIMUM, MINIMUM -> {
                        // this input is the chosen one where it equals the result and no earlier input was chosen
                        INDArray wins = broadcast(inputs.get(i), shape).eq(chosen).castTo(DataType.FLOAT)
                                .muli(taken.rsub(1.0));
                        taken.addi(wins);
                        yield gradient.mul(wins);
                    }
                };
                gradients.add(reduceTo(share, inputs.get(i)));
            }
            return gradients;
        }

        /** A gradient of the broadcast shape summed over the axes the input was repeated along, in its own shape. */
        private static INDArray reduceTo(INDArray gradient, INDArray input) {
            long[] expanded = expandedShape(input, gradient.rank());
            List<Integer> repeated = new ArrayList<>();
            for (int a = 1; a < gradient.rank(); a++) {
                if (expanded[a] == 1 && gradient.size(a) != 1) {
                    repeated.add(a);
                }
            }
            INDArray reduced = repeated.isEmpty() ? gradient
                    : gradient.sum(true, repeated.stream().mapToInt(Integer::intValue).toArray());
            return reduced.reshape('c', input.shape());
        }

        /** Keras's broadcast: equal ranks after new axes right behind the batch axis, then size-1 axes repeated. */
        private static long[] broadcastShape(List<INDArray> inputs) {
            int rank = 0;
            for (INDArray input : inputs) {
                rank = Math.max(rank, input.rank());
            }
            long[] shape = new long[rank];
            Arrays.fill(shape, 1);
            for (INDArray input : inputs) {
                long[] expanded = expandedShape(input, rank);
                for (int a = 0; a < rank; a++) {
                    shape[a] = Math.max(shape[a], expanded[a]);
                }
            }
            return shape;
        }

        private static long[] expandedShape(INDArray input, int rank) {
            long[] expanded = new long[rank];
            Arrays.fill(expanded, 1);
            expanded[0] = input.size(0);
            int offset = rank - input.rank();
            for (int a = 1; a < input.rank(); a++) {
                expanded[a + offset] = input.size(a);
            }
            return expanded;
        }

        private static INDArray broadcast(INDArray input, long[] shape) {
            INDArray expanded = input.rank() == shape.length ? input
                    : input.reshape('c', expandedShape(input, shape.length));
            return Arrays.equals(expanded.shape(), shape) ? expanded : expanded.broadcast(shape);
        }
    }

    /** Concatenate: Nd4j.concat along the axis counted with the batch axis. */
    static final class Concat extends MergeComputation {
        private final int axis;

        Concat(int axis) {
            this.axis = axis;
        }

        @Override
        public List<INDArray> forwardAll(List<INDArray> inputs, List<INDArray> masks) {
            int rank = inputs.get(0).rank();
            int joined = axis < 0 ? rank + axis : axis;
            INDArray[] arrays = new INDArray[inputs.size()];
            for (int i = 0; i < arrays.length; i++) {
                arrays[i] = inputs.get(i).dup('c');
            }
            return List.of(Nd4j.concat(joined, arrays));
        }

        /** The gradient cut back into the inputs' parts along the joined axis. */
        @Override
        public List<INDArray> backwardAll(List<INDArray> outputGradients, INDArray[] weightGradients) {
            INDArray gradient = outputGradients.get(0);
            int joined = axis < 0 ? gradient.rank() + axis : axis;
            List<INDArray> parts = new ArrayList<>();
            long from = 0;
            for (INDArray input : trainingInputs) {
                long size = input.size(joined);
                org.nd4j.linalg.indexing.INDArrayIndex[] index = new org.nd4j.linalg.indexing.INDArrayIndex[
                        gradient.rank()];
                for (int a = 0; a < index.length; a++) {
                    index[a] = a == joined ? org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + size)
                            : org.nd4j.linalg.indexing.NDArrayIndex.all();
                }
                parts.add(gradient.get(index).dup('c'));
                from += size;
            }
            return parts;
        }

        /**
         * Keras's Concatenate.compute_mask: a missing mask counts as all ones; joining along the time axis joins the
         * masks, along any other axis they are ANDed.
         */
        @Override
        public List<INDArray> outputMasks(List<INDArray> inputs, List<INDArray> masks) {
            boolean any = masks.stream().anyMatch(m -> m != null);
            int rank = inputs.get(0).rank();
            int joined = axis < 0 ? rank + axis : axis;
            if (!any || rank < 3) {
                return java.util.Collections.singletonList(null);
            }
            List<INDArray> full = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                INDArray mask = masks.get(i);
                full.add(mask != null ? mask : Nd4j.ones(DataType.FLOAT, inputs.get(i).size(0), inputs.get(i).size(1)));
            }
            if (joined == 1) {
                return List.of(Nd4j.concat(1, full.toArray(INDArray[]::new)));
            }
            INDArray and = full.get(0).dup();
            for (int i = 1; i < full.size(); i++) {
                and.muli(full.get(i));
            }
            return List.of(and);
        }
    }

    /** Keras's batch_dot over one axis of each tensor (ranks 2 and 3), optionally on unit-length inputs. */
    static final class DotProduct extends MergeComputation {
        private final int axisA;
        private final int axisB;
        private final boolean normalize;

        DotProduct(int axisA, int axisB, boolean normalize) {
            this.axisA = axisA;
            this.axisB = axisB;
            this.normalize = normalize;
        }

        @Override
        public List<INDArray> forwardAll(List<INDArray> inputs, List<INDArray> masks) {
            INDArray a = inputs.get(0);
            INDArray b = inputs.get(1);
            if (normalize) {
                a = unitLength(a, axisA);
                b = unitLength(b, axisB);
            }
            long batch = a.size(0);
            // a as (batch, rest, k) and b as (batch, k, rest), then one batched matrix product
            INDArray left = moveAxis(a, axisA, a.rank() - 1);
            INDArray right = moveAxis(b, axisB, 1);
            long k = a.size(axisA);
            long restA = a.length() / batch / k;
            long restB = b.length() / batch / k;
            INDArray product = Nd4j.matmul(left.dup('c').reshape('c', batch, restA, k),
                    right.dup('c').reshape('c', batch, k, restB));
            List<Long> outShape = new ArrayList<>();
            outShape.add(batch);
            for (int i = 1; i < a.rank(); i++) {
                if (i != axisA) {
                    outShape.add(a.size(i));
                }
            }
            for (int i = 1; i < b.rank(); i++) {
                if (i != axisB) {
                    outShape.add(b.size(i));
                }
            }
            if (outShape.size() == 1) {
                outShape.add(1L);
            }
            return List.of(product.reshape('c', outShape.stream().mapToLong(Long::longValue).toArray()));
        }

        @Override
        public List<INDArray> outputMasks(List<INDArray> inputs, List<INDArray> masks) {
            return java.util.Collections.singletonList(null);
        }

        /**
         * With A = a moved to (batch, rest, k) and B = b moved to (batch, k, rest): dA = g · Bᵀ and dB = Aᵀ · g, moved
         * back to the inputs' layouts; through normalize, d(x/|x|) = (d - u·(u·d)) / |x| along the axis.
         */
        @Override
        public List<INDArray> backwardAll(List<INDArray> outputGradients, INDArray[] weightGradients) {
            INDArray a = trainingInputs.get(0);
            INDArray b = trainingInputs.get(1);
            INDArray an = normalize ? unitLength(a, axisA) : a;
            INDArray bn = normalize ? unitLength(b, axisB) : b;
            long batch = a.size(0);
            long k = a.size(axisA);
            long restA = a.length() / batch / k;
            long restB = b.length() / batch / k;
            INDArray left = moveAxis(an, axisA, a.rank() - 1).dup('c').reshape('c', batch, restA, k);
            INDArray right = moveAxis(bn, axisB, 1).dup('c').reshape('c', batch, k, restB);
            INDArray g = outputGradients.get(0).dup('c').reshape('c', batch, restA, restB);
            INDArray dLeft = Nd4j.matmul(g, right.permute(0, 2, 1).dup('c'));
            INDArray dRight = Nd4j.matmul(left.permute(0, 2, 1).dup('c'), g);
            INDArray da = moveBack(dLeft, an, axisA, an.rank() - 1);
            INDArray db = moveBack(dRight, bn, axisB, 1);
            if (normalize) {
                da = throughUnitLength(da, a, an, axisA);
                db = throughUnitLength(db, b, bn, axisB);
            }
            return List.of(da, db);
        }

        /** A gradient laid out as x moved (axis {@code from} to {@code to}), in x's own layout again. */
        private static INDArray moveBack(INDArray gradient, INDArray x, int from, int to) {
            INDArray moved = moveAxis(x, from, to);
            INDArray shaped = gradient.reshape('c', moved.shape());
            if (from == to) {
                return shaped;
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < x.rank(); i++) {
                if (i != from) {
                    order.add(i);
                }
            }
            order.add(to, from);
            int[] inverse = new int[order.size()];
            for (int i = 0; i < inverse.length; i++) {
                inverse[order.get(i)] = i;
            }
            return shaped.permute(inverse).dup('c');
        }

        private static INDArray throughUnitLength(INDArray gradient, INDArray x, INDArray unit, int axis) {
            INDArray norm = Transforms.sqrt(Transforms.max(x.mul(x).sum(true, axis), 1e-12, false), false);
            INDArray along = unit.mul(gradient).sum(true, axis);
            return gradient.sub(unit.mul(along.broadcast(x.shape()))).div(norm.broadcast(x.shape()));
        }

        /** x / sqrt(max(sum(x²), 1e-12)) along the axis, as tf.math.l2_normalize. */
        private static INDArray unitLength(INDArray x, int axis) {
            INDArray squares = x.mul(x).sum(true, axis);
            INDArray norm = Transforms.sqrt(Transforms.max(squares, 1e-12, false), false);
            return x.div(norm.broadcast(x.shape()));
        }

        private static INDArray moveAxis(INDArray x, int from, int to) {
            if (from == to) {
                return x;
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < x.rank(); i++) {
                if (i != from) {
                    order.add(i);
                }
            }
            order.add(to, from);
            return x.permute(order.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
