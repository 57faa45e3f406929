package org.shapelab.compute;

import java.util.Arrays;
import java.util.function.UnaryOperator;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layers that only move values or act value by value, with their training passes: Dropout, Activation, the
 * reshapes (Flatten, Reshape), Permute and TimeDistributed. Their backward passes undo what the forward pass did to
 * the layout (a reshape back, the inverse permutation) or apply the derivative value by value.
 */
final class ShapingComputations {

    private ShapingComputations() {
    }

    /**
     * Keras's Dropout: nothing at inference; in training each value is kept with probability {@code 1 - rate} and
     * scaled by {@code 1 / (1 - rate)} ("inverted" dropout, so inference needs no scaling). The mask comes from the
     * step's seeded stream; its gradient is the same mask.
     */
    static final class DropoutKernel implements Computation {
        private final double rate;
        private INDArray scaledMask;

        DropoutKernel(double rate) {
            this.rate = rate;
        }

        @Override
        public INDArray forward(INDArray input, INDArray mask) {
            return input;
        }

        @Override
        public INDArray outputMask(INDArray input, INDArray mask) {
            return mask;
        }

        @Override
        public boolean trains() {
            return true;
        }

        @Override
        public INDArray forwardTraining(INDArray input, INDArray mask, TrainingStep step) {
            if (rate == 0) {
                scaledMask = null;
                return input;
            }
            INDArray uniform = Nd4j.rand(Nd4j.createUninitialized(DataType.FLOAT, input.shape()), step.random());
            scaledMask = uniform.gte(rate).castTo(DataType.FLOAT).muli(1.0 / (1.0 - rate));
            return input.mul(scaledMask);
        }

        @Override
        public INDArray backward(INDArray gradient, INDArray[] weightGradients) {
            return scaledMask == null ? gradient : gradient.mul(scaledMask);
        }
    }

    /** The Activation layer: the function value by value (softmax on the last axis); keeps the shape. */
    static final class ActivationKernel implements Computation {
        private final ActivationFunction function;
        private INDArray input;
        private INDArray output;

        ActivationKernel(String activation) {
            this.function = ActivationFunction.of(activation);
        }

        @Override
        public INDArray forward(INDArray x, INDArray mask) {
            return function.apply(x.dup());
        }

        @Override
        public INDArray outputMask(INDArray x, INDArray mask) {
            return mask;
        }

        @Override
        public boolean trains() {
            return true;
        }

        @Override
        public INDArray forwardTraining(INDArray x, INDArray mask, TrainingStep step) {
            input = x;
            output = function.apply(x.dup());
            return output;
        }

        @Override
        public INDArray backward(INDArray gradient, INDArray[] weightGradients) {
            return function.gradient(input, output, gradient);
        }
    }

    /**
     * A layer whose forward pass is a layout change given as a function (Flatten, Reshape, Permute): training runs
     * the same function; backward brings the gradient back to the input's layout with {@code back}.
     */
    static final class LayoutKernel implements Computation {
        private final UnaryOperator<INDArray> forward;
        private final Back back;
        private long[] inputShape;

        /** The gradient in the input's layout, from the gradient of the output and the input's shape. */
        interface Back {
            INDArray apply(INDArray gradient, long[] inputShape);
        }

        LayoutKernel(UnaryOperator<INDArray> forward, Back back) {
            this.forward = forward;
            this.back = back;
        }

        @Override
        public INDArray forward(INDArray input, INDArray mask) {
            return forward.apply(input);
        }

        @Override
        public boolean trains() {
            return true;
        }

        @Override
        public INDArray forwardTraining(INDArray input, INDArray mask, TrainingStep step) {
            inputShape = input.shape().clone();
            return forward.apply(input);
        }

        @Override
        public INDArray backward(INDArray gradient, INDArray[] weightGradients) {
            return back.apply(gradient, inputShape);
        }

        /** Back for a pure reshape (row-major order kept): the gradient reshaped to the input's shape. */
        static INDArray reshapeBack(INDArray gradient, long[] inputShape) {
            return gradient.dup('c').reshape('c', inputShape);
        }

        /** The permutation that undoes {@code order}. */
        static int[] inverse(int[] order) {
            int[] inverse = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                inverse[order[i]] = i;
            }
            return inverse;
        }
    }

    /** Merges batch and time, runs the wrapped layer on every step at once, then splits them again. */
    static final class TimeDistributedKernel implements Computation {
        private final Computation inner;
        private long[] inputShape;

        TimeDistributedKernel(Computation inner) {
            this.inner = inner;
        }

        @Override
        public INDArray forward(INDArray x, INDArray mask) {
            return split(inner.forward(merge(x), null), x.shape());
        }

        @Override
        public INDArray outputMask(INDArray input, INDArray mask) {
            return mask;
        }

        @Override
        public boolean trains() {
            return inner.trains();
        }

        @Override
        public INDArray forwardTraining(INDArray x, INDArray mask, TrainingStep step) {
            inputShape = x.shape().clone();
            return split(inner.forwardTraining(merge(x), null, step), inputShape);
        }

        @Override
        public INDArray backward(INDArray gradient, INDArray[] weightGradients) {
            INDArray merged = inner.backward(merge(gradient), weightGradients);
            return merged.dup('c').reshape('c', inputShape);
        }

        private static INDArray merge(INDArray x) {
            long[] shape = x.shape();
            long[] merged = Arrays.copyOfRange(shape, 1, shape.length);
            merged[0] = shape[0] * shape[1];
            return x.reshape('c', merged);
        }

        private static INDArray split(INDArray out, long[] inputShape) {
            long[] split = new long[out.rank() + 1];
            split[0] = inputShape[0];
            split[1] = inputShape[1];
            System.arraycopy(out.shape(), 1, split, 2, out.rank() - 1);
            return out.reshape('c', split);
        }
    }

    /** RepeatVector: (batch, f) to (batch, n, f); its gradient sums the n copies. */
    static final class RepeatKernel implements Computation {
        private final int n;

        RepeatKernel(int n) {
            this.n = n;
        }

        @Override
        public INDArray forward(INDArray input, INDArray mask) {
            long batch = input.size(0);
            long features = input.size(1);
            return input.reshape('c', batch, 1, features).broadcast(batch, n, features).dup('c');
        }

        @Override
        public boolean trains() {
            return true;
        }

        @Override
        public INDArray forwardTraining(INDArray input, INDArray mask, TrainingStep step) {
            return forward(input, mask);
        }

        @Override
        public INDArray backward(INDArray gradient, INDArray[] weightGradients) {
            return gradient.sum(1);
        }
    }

    /**
     * Masking: a timestep whose features all equal mask_value is padding. Its values become 0 and the mask
     * {@code (batch, timesteps)} (1 = real step) goes on; the gradient flows through the real steps only.
     */
    static final class MaskingKernel implements Computation {
        private final double maskValue;
        private INDArray keep;

        MaskingKernel(double maskValue) {
            this.maskValue = maskValue;
        }

        /** 1 where any feature differs from mask_value, over the last axis: (batch, timesteps, ...). */
        private INDArray keep(INDArray input) {
            return input.neq(maskValue).castTo(DataType.FLOAT).max(input.rank() - 1);
        }

        private INDArray masked(INDArray input, INDArray keep) {
            long[] expanded = Arrays.copyOf(input.shape(), input.rank());
            expanded[input.rank() - 1] = 1;
            return input.mul(keep.reshape('c', expanded).broadcast(input.shape()));
        }

        @Override
        public INDArray forward(INDArray input, INDArray mask) {
            return masked(input, keep(input));
        }

        @Override
        public INDArray outputMask(INDArray input, INDArray mask) {
            // Keras's Masking.compute_mask looks at the values only; a mask arriving from before is replaced
            return keep(input);
        }

        @Override
        public boolean trains() {
            return true;
        }

        @Override
        public INDArray forwardTraining(INDArray input, INDArray mask, TrainingStep step) {
            keep = keep(input);
            return masked(input, keep);
        }

        @Override
        public INDArray backward(INDArray gradient, INDArray[] weightGradients) {
            return masked(gradient, keep);
        }
    }
}
