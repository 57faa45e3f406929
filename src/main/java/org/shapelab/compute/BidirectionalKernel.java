package org.shapelab.compute;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.Bidirectional;

/**
 * Bidirectional: the forward layer and its backward copy each run as a {@link RecurrentKernel} on their half of the
 * weights. The backward layer reads the sequence reversed; with {@code return_sequences} its output is reversed
 * back, so that step t of both halves belongs to input step t, then the two are merged (concat, sum, mul, ave) or
 * both returned. With {@code return_state} the forward states come first, then the backward ones, as in Keras.
 */
final class BidirectionalKernel implements Kernel {

    private final Bidirectional layer;
    private final RecurrentKernel forwardKernel;
    private final RecurrentKernel backwardKernel;
    private final int stateCount;
    private final NativeOp reverse = new NativeOp("reverse", 1);

    BidirectionalKernel(Bidirectional layer, List<INDArray> weights) {
        this.layer = layer;
        int half = layer.forwardLayer().weights().size();
        // Keras's Bidirectional forces zero_output_for_mask on both layers when they return sequences.
        boolean zeroMasked = layer.forwardLayer().returnSequences();
        this.forwardKernel = new RecurrentKernel(layer.forwardLayer(), weights.subList(0, half), zeroMasked);
        this.backwardKernel = new RecurrentKernel(layer.backwardLayer(), weights.subList(half, weights.size()),
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
}
