package org.shapelab.compute;

import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.layers.Activation;
import org.shapelab.layers.BaseConv;
import org.shapelab.layers.BasePooling;
import org.shapelab.layers.BaseRNN;
import org.shapelab.layers.BatchNormalization;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Dropout;
import org.shapelab.layers.Embedding;
import org.shapelab.layers.Flatten;
import org.shapelab.layers.GlobalPooling;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Permute;
import org.shapelab.layers.Reshape;
import org.shapelab.layers.TimeDistributed;
import org.shapelab.shape.DataFormat;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/** Picks the kernel for a layer; the layers that only move values around are defined here. */
final class Kernels {

    private Kernels() {
    }

    /**
     * The kernel computing {@code layer} with these weights (Keras layouts, {@code get_weights()} order).
     * Must run outside any ND4J workspace: kernels may keep arrays derived from the weights.
     */
    static Kernel of(Layer layer, List<INDArray> weights) {
        if (layer instanceof Dense dense) {
            return new DenseKernel(dense, weights);
        }
        if (layer instanceof BaseConv<?> conv) {
            return new ConvKernel(conv, weights);
        }
        if (layer instanceof BasePooling<?> pooling) {
            return new PoolingKernel(pooling);
        }
        if (layer instanceof GlobalPooling<?> pooling) {
            return new GlobalPoolingKernel(pooling);
        }
        if (layer instanceof BaseRNN<?> rnn) {
            return new RecurrentKernel(rnn, weights);
        }
        if (layer instanceof Embedding embedding) {
            return new EmbeddingKernel(embedding, weights.get(0));
        }
        if (layer instanceof BatchNormalization norm) {
            return new BatchNormKernel(norm, weights);
        }
        if (layer instanceof Dropout) {
            // Inference: Keras's predict() never drops anything.
            return Kernel.passingMask(x -> x);
        }
        if (layer instanceof Activation activation) {
            ActivationFunction function = ActivationFunction.of(activation.activation());
            return Kernel.passingMask(x -> function.apply(x.dup()));
        }
        if (layer instanceof Flatten flatten) {
            ReshapedView view = new ReshapedView();
            return (x, mask) -> flatten(flatten, x, view);
        }
        if (layer instanceof Reshape reshape) {
            ReshapedView view = new ReshapedView();
            return (x, mask) -> reshape(reshape, x, view);
        }
        if (layer instanceof Permute permute) {
            return (x, mask) -> x.permute(withBatch(permute.dims())).dup('c');
        }
        if (layer instanceof TimeDistributed wrapper) {
            return timeDistributed(of(wrapper.layer(), weights));
        }
        if (layer instanceof Lambda lambda) {
            return (x, mask) -> lambda.call(x);
        }
        throw new ShapeException("Layer " + layer.describe() + " has no forward pass in ShapeLab: "
                + layer.getClass().getName() + " is not one of ShapeLab's Keras layers. For custom math, use"
                + " new Lambda(x -> ...), which runs a function on the batch.");
    }

    /** Keras moves channels_first channels last before flattening, so both formats flatten alike. */
    private static INDArray flatten(Flatten layer, INDArray x, ReshapedView view) {
        if (x.rank() == 2) {
            return x;
        }
        INDArray ordered = x;
        if (layer.dataFormat() == DataFormat.CHANNELS_FIRST) {
            int[] order = new int[x.rank()];
            for (int i = 1; i < order.length - 1; i++) {
                order[i] = i + 1;
            }
            order[order.length - 1] = 1;
            ordered = x.permute(order).dup('c');
        }
        return view.of(ordered, x.size(0), x.length() / x.size(0));
    }

    private static INDArray reshape(Reshape layer, INDArray x, ReshapedView view) {
        int[] target = layer.targetShape();
        long[] shape = new long[target.length + 1];
        shape[0] = x.size(0);
        long known = 1;
        int inferred = -1;
        for (int i = 0; i < target.length; i++) {
            shape[i + 1] = target[i];
            if (target[i] == -1) {
                inferred = i + 1;
            } else {
                known *= target[i];
            }
        }
        long perSample = x.length() / x.size(0);
        if (inferred > 0 ? perSample % known != 0 : perSample != known) {
            // Only reachable with None axes, whose lengths the shape rule could not check.
            throw ShapeException.at(layer.describe())
                    .expected("(None, ...) with " + (inferred > 0 ? "a multiple of " : "") + known + " values per sample",
                            Shape.Kind.SUMMARY)
                    .received(Shape.array(x.shape()))
                    .problem("Reshape to " + Shape.tupleText(target) + " needs " + (inferred > 0 ? "a multiple of " : "")
                            + known + " values per sample, but each sample of this batch has " + perSample + ".")
                    .fix("give the None axes lengths that fit, or change the target shape").build();
        }
        if (inferred > 0) {
            shape[inferred] = perSample / known;
        }
        return view.of(x, shape);
    }

    /** Merges batch and time, runs the wrapped layer on every step at once, then splits them again. */
    private static Kernel timeDistributed(Kernel inner) {
        return Kernel.passingMask(x -> {
            long[] shape = x.shape();
            long[] merged = Arrays.copyOfRange(shape, 1, shape.length);
            merged[0] = shape[0] * shape[1];
            INDArray out = inner.forward(x.reshape('c', merged), null);
            long[] split = new long[out.rank() + 1];
            split[0] = shape[0];
            split[1] = shape[1];
            System.arraycopy(out.shape(), 1, split, 2, out.rank() - 1);
            return out.reshape('c', split);
        });
    }

    private static int[] withBatch(int[] sampleAxes) {
        int[] axes = new int[sampleAxes.length + 1];
        System.arraycopy(sampleAxes, 0, axes, 1, sampleAxes.length);
        return axes;
    }
}
