package org.shapelab.compute;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.shapelab.layers.BatchNormalization;

/**
 * Inference-mode batch normalization on any axis with libnd4j's {@code batchnorm} op:
 * {@code (x - moving_mean) / sqrt(moving_variance + epsilon) · gamma + beta} along the feature axis.
 */
final class BatchNormComputation implements Computation {

    private final INDArray[] statistics;
    private final NativeOp normalize;
    private final INDArray gamma;
    private final INDArray beta;
    private final INDArray movingMean;
    private final INDArray movingVariance;
    private final double momentum;
    private final double epsilon;
    private final int axis;

    BatchNormComputation(BatchNormalization layer, List<INDArray> weights) {
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
        this.gamma = gamma;
        this.beta = beta;
        this.movingMean = weights.get(i);
        this.movingVariance = weights.get(i + 1);
        this.momentum = layer.momentum();
        this.epsilon = layer.epsilon();
        int rank = layer.inputShape().rank();
        int axis = layer.axis() < 0 ? rank + layer.axis() : layer.axis();
        this.axis = axis;
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

    // ---- training ----

    private INDArray normalized;
    private INDArray inverseDeviation;
    private int[] reduced;

    @Override
    public boolean trains() {
        return true;
    }

    /**
     * Keras's training mode: normalizes with the batch's own mean and (biased) variance over every axis but the
     * feature axis, and moves the moving statistics towards them: {@code moving = moving·momentum +
     * batch·(1 - momentum)} (momentum 0.99 by default).
     */
    @Override
    public INDArray forwardTraining(INDArray input, INDArray mask, TrainingStep step) {
        int rank = input.rank();
        reduced = new int[rank - 1];
        for (int d = 0, j = 0; d < rank; d++) {
            if (d != axis) {
                reduced[j++] = d;
            }
        }
        INDArray mean = input.mean(reduced);
        INDArray centered = input.sub(along(mean, input));
        INDArray variance = centered.mul(centered).mean(reduced);
        movingMean.muli(momentum).addi(mean.mul(1 - momentum));
        movingVariance.muli(momentum).addi(variance.mul(1 - momentum));
        inverseDeviation = Transforms.pow(variance.add(epsilon), -0.5, false);
        normalized = centered.muli(along(inverseDeviation, input));
        INDArray out = gamma != null ? normalized.mul(along(gamma, input)) : normalized.dup();
        return beta != null ? out.addi(along(beta, input)) : out;
    }

    /**
     * With {@code x̂} the normalized input over N values per feature: {@code dγ = Σ g·x̂, dβ = Σ g} and
     * {@code dx = (N·dx̂ - Σ dx̂ - x̂·Σ(dx̂·x̂)) / (N·σ)} where {@code dx̂ = g·γ}.
     */
    @Override
    public INDArray backward(INDArray gradient, INDArray[] weightGradients) {
        INDArray g = gradient.dup('c');
        int i = 0;
        if (gamma != null) {
            weightGradients[i++] = g.mul(normalized).sum(reduced);
        }
        if (beta != null) {
            weightGradients[i] = g.sum(reduced);
        }
        INDArray dNormalized = gamma != null ? g.mul(along(gamma, g)) : g;
        double n = g.length() / g.size(axis);
        INDArray sum = along(dNormalized.sum(reduced), g);
        INDArray dot = along(dNormalized.mul(normalized).sum(reduced), g);
        return dNormalized.mul(n).subi(sum).subi(normalized.mul(dot)).muli(along(inverseDeviation, g)).divi(n);
    }

    /** A per-feature vector broadcast along the feature axis of {@code like}. */
    private INDArray along(INDArray perFeature, INDArray like) {
        long[] shape = new long[like.rank()];
        java.util.Arrays.fill(shape, 1);
        shape[axis] = like.size(axis);
        return perFeature.reshape('c', shape).broadcast(like.shape());
    }
}
