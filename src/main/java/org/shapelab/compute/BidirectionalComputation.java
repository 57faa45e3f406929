package org.shapelab.compute;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.Bidirectional;

/**
 * Bidirectional: the forward layer and its backward copy each run as a {@link RecurrentComputation} on their half of the
 * weights. The backward layer reads the sequence reversed; with {@code return_sequences} its output is reversed
 * back, so that step t of both halves belongs to input step t, then the two are merged (concat, sum, mul, ave) or
 * both returned. With {@code return_state} the forward states come first, then the backward ones, as in Keras.
 */
final class BidirectionalComputation implements Computation {

    private final Bidirectional layer;
    private final RecurrentComputation forwardKernel;
    private final RecurrentComputation backwardKernel;
    private final int stateCount;
    private final NativeOp reverse = new NativeOp("reverse", 1);

    BidirectionalComputation(Bidirectional layer, List<INDArray> weights) {
        this.layer = layer;
        int half = layer.forwardLayer().weights().size();
        // Keras's Bidirectional forces zero_output_for_mask on both layers when they return sequences.
        boolean zeroMasked = layer.forwardLayer().returnSequences();
        this.forwardKernel = new RecurrentComputation(layer.forwardLayer(), weights.subList(0, half), zeroMasked);
        this.backwardKernel = new RecurrentComputation(layer.backwardLayer(), weights.subList(half, weights.size()),
                zeroMasked);
        this.stateCount = layer.forwardLayer().stateCount();
    }

    @Override
    public INDArray forward(INDArray input, INDArray mask) {
        return forwardAll(List.of(input), Collections.singletonList(mask)).get(0);
    }

    @Override
    public List<INDArray> forwardAll(List<INDArray> inputs, List<INDArray> masks) {
        INDArray x = inputs.get(0);
        INDArray mask = masks.get(0);
        INDArray[] forwardStates = null;
        INDArray[] backwardStates = null;
        if (inputs.size() > 1) {
            forwardStates = inputs.subList(1, 1 + stateCount).toArray(INDArray[]::new);
            backwardStates = inputs.subList(1 + stateCount, inputs.size()).toArray(INDArray[]::new);
        }
        INDArray[] f = forwardKernel.forwardWithStates(x, mask, forwardStates);
        INDArray[] b = backwardKernel.forwardWithStates(x, mask, backwardStates);
        INDArray forwardOut = f[0];
        INDArray backwardOut = b[0];
        if (layer.forwardLayer().returnSequences()) {
            backwardOut = reverse.run(NativeOp.empty(backwardOut.shape()), backwardOut);
        }
        List<INDArray> outputs = new ArrayList<>();
        switch (layer.mergeMode()) {
            case CONCAT -> outputs.add(Nd4j.concat(forwardOut.rank() - 1, forwardOut.dup('c'), backwardOut.dup('c')));
            case SUM -> outputs.add(forwardOut.add(backwardOut));
            case MUL -> outputs.add(forwardOut.mul(backwardOut));
            case AVE -> outputs.add(forwardOut.add(backwardOut).muli(0.5));
            case NONE -> {
                outputs.add(forwardOut);
                outputs.add(backwardOut);
            }
        }
        if (layer.forwardLayer().returnState()) {
            for (int i = 1; i < f.length; i++) {
                outputs.add(f[i]);
            }
            for (int i = 1; i < b.length; i++) {
                outputs.add(b[i]);
            }
        }
        return outputs;
    }

    @Override
    public INDArray outputMask(INDArray input, INDArray mask) {
        return layer.forwardLayer().returnSequences() ? mask : null;
    }

    @Override
    public List<INDArray> outputMasks(List<INDArray> inputs, List<INDArray> masks) {
        List<INDArray> out = new ArrayList<>();
        INDArray mask = outputMask(inputs.get(0), masks.get(0));
        int outputs = layer.outputShapes().size();
        int sequences = layer.mergeMode() == Bidirectional.MergeMode.NONE ? 2 : 1;
        for (int i = 0; i < outputs; i++) {
            out.add(i < sequences ? mask : null);
        }
        return out;
    }

    // ---- training (return_state and initial states are refused before, in ModelRuntime) ----

    private INDArray trainingForward;
    private INDArray trainingBackward;
    /** (batch, timesteps, 1) 1s and 0s when a mask zeroes the sequences' masked steps, else null. */
    private INDArray trainingKeep;

    @Override
    public boolean trains() {
        return !layer.forwardLayer().returnState() && !layer.forwardLayer().stateful();
    }

    @Override
    public List<INDArray> forwardTrainingAll(List<INDArray> inputs, List<INDArray> masks, TrainingStep step) {
        INDArray x = inputs.get(0);
        INDArray mask = masks.get(0);
        boolean sequences = layer.forwardLayer().returnSequences();
        INDArray f = forwardKernel.forwardTraining(x, mask, step);
        INDArray b = backwardKernel.forwardTraining(x, mask, step);
        if (sequences) {
            b = reverse.run(NativeOp.empty(b.shape()), b).dup();
        }
        trainingKeep = null;
        if (sequences && mask != null && mask.rank() == 2 && mask.size(1) == x.size(1)) {
            // zero_output_for_mask, applied after the step loop: y·keep, whose gradient is g·keep
            trainingKeep = mask.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).reshape('c', mask.size(0),
                    mask.size(1), 1);
            f = f.mul(trainingKeep.broadcast(f.shape()));
            b = b.mul(trainingKeep.broadcast(b.shape()));
        }
        trainingForward = f;
        trainingBackward = b;
        return forwardAllMerged(f, b);
    }

    private List<INDArray> forwardAllMerged(INDArray f, INDArray b) {
        return switch (layer.mergeMode()) {
            case CONCAT -> List.of(Nd4j.concat(f.rank() - 1, f.dup('c'), b.dup('c')));
            case SUM -> List.of(f.add(b));
            case MUL -> List.of(f.mul(b));
            case AVE -> List.of(f.add(b).muli(0.5));
            case NONE -> List.of(f, b);
        };
    }

    /** The merge's gradient split between the halves; the backward half's reversed back to its reading order. */
    @Override
    public List<INDArray> backwardAll(List<INDArray> outputGradients, INDArray[] weightGradients) {
        INDArray g = outputGradients.get(0);
        INDArray gf;
        INDArray gb;
        switch (layer.mergeMode()) {
            case CONCAT -> {
                long half = trainingForward.size(-1);
                int last = g.rank() - 1;
                gf = lastAxis(g, 0, half, last);
                gb = lastAxis(g, half, g.size(last), last);
            }
            case SUM -> {
                gf = g;
                gb = g;
            }
            case MUL -> {
                gf = g.mul(trainingBackward);
                gb = g.mul(trainingForward);
            }
            case AVE -> {
                gf = g.mul(0.5);
                gb = gf;
            }
            default -> {
                gf = g;
                gb = outputGradients.get(1);
            }
        }
        if (trainingKeep != null) {
            gf = gf.mul(trainingKeep.broadcast(gf.shape()));
            gb = gb.mul(trainingKeep.broadcast(gb.shape()));
        }
        if (layer.forwardLayer().returnSequences()) {
            gb = reverse.run(NativeOp.empty(gb.shape()), gb.dup('c')).dup();
        }
        int half = layer.forwardLayer().weights().size();
        INDArray[] forwardWeights = new INDArray[half];
        INDArray[] backwardWeights = new INDArray[weightGradients.length - half];
        INDArray dx = forwardKernel.backward(gf.dup('c'), forwardWeights);
        dx = dx.add(backwardKernel.backward(gb.dup('c'), backwardWeights));
        System.arraycopy(forwardWeights, 0, weightGradients, 0, half);
        System.arraycopy(backwardWeights, 0, weightGradients, half, backwardWeights.length);
        return List.of(dx);
    }

    private static INDArray lastAxis(INDArray g, long from, long to, int last) {
        org.nd4j.linalg.indexing.INDArrayIndex[] index = new org.nd4j.linalg.indexing.INDArrayIndex[g.rank()];
        for (int a = 0; a < index.length; a++) {
            index[a] = a == last ? org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)
                    : org.nd4j.linalg.indexing.NDArrayIndex.all();
        }
        return g.get(index).dup('c');
    }
}
