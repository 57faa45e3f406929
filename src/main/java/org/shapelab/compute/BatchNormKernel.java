package org.shapelab.compute;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.layers.BatchNormalization;

/**
 * Inference-mode batch normalization on any axis with libnd4j's {@code batchnorm} op:
 * {@code (x - moving_mean) / sqrt(moving_variance + epsilon) · gamma + beta} along the feature axis.
 */
final class BatchNormKernel implements Kernel {

    private final INDArray[] statistics;
    private final NativeOp normalize;

    BatchNormKernel(BatchNormalization layer, List<INDArray> weights) {
        int i = 0;
        INDArray gamma = layer.scale() ? weights.get(i++) : null;
        INDArray beta = layer.center() ? weights.get(i++) : null;
        // The op reads mean, variance, then gamma and beta if present.
        List<INDArray> inputs = new ArrayList<>(List.of(weights.get(i), weights.get(i + 1)));
        if (gamma != null) {
            inputs.add(gamma);
        }
        if (beta != null) {
            inputs.add(beta);
        }
        this.statistics = inputs.toArray(new INDArray[0]);
        int rank = layer.inputShape().rank();
        int axis = layer.axis() < 0 ? rank + layer.axis() : layer.axis();
        this.normalize = new NativeOp("batchnorm", gamma != null ? 1 : 0, beta != null ? 1 : 0, axis)
                .floats(layer.epsilon());
    }

    @Override
    public INDArray forward(INDArray input, INDArray mask) {
        INDArray[] inputs = new INDArray[statistics.length + 1];
        inputs[0] = input;
        System.arraycopy(statistics, 0, inputs, 1, statistics.length);
        return normalize.run(normalize.output(input.shape()), inputs);
    }

    @Override
    public INDArray outputMask(INDArray input, INDArray mask) {
        return mask;
    }
}
