package org.shapelab.compute;

import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.layers.Activation;
import org.shapelab.layers.BaseConv;
import org.shapelab.layers.BasePooling;
import org.shapelab.layers.BaseRNN;
import org.shapelab.layers.BatchNormalization;
import org.shapelab.layers.Bidirectional;
import org.shapelab.layers.Masking;
import org.shapelab.layers.Merge;
import org.shapelab.layers.RepeatVector;
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
final class Computations {

    private Computations() {
    }

    /**
     * The kernel computing {@code layer} with these weights (Keras layouts, {@code get_weights()} order).
     * Must run outside any ND4J workspace: kernels may keep arrays derived from the weights.
     */
    static Computation of(Layer layer, List<INDArray> weights) {
        if (layer instanceof Dense dense) {
            return new DenseComputation(dense, weights);
        }
        if (layer instanceof BaseConv<?> conv) {
            return new ConvComputation(conv, weights);
        }
        if (layer instanceof BasePooling<?> pooling) {
            return new PoolingComputation(pooling);
        }
        if (layer instanceof GlobalPooling<?> pooling) {
            return new GlobalPoolingComputation(pooling);
        }
        if (layer instanceof BaseRNN<?> rnn) {
            return new RecurrentComputation(rnn, weights);
        }
        if (layer instanceof Embedding embedding) {
            return new EmbeddingComputation(embedding, weights.get(0));
        }
        if (layer instanceof BatchNormalization norm) {
            return new BatchNormComputation(norm, weights);
        }
        if (layer instanceof Dropout dropout) {
            return new ShapingComputations.DropoutKernel(dropout.rate());
        }
        if (layer instanceof Activation activation) {
            return new ShapingComputations.ActivationKernel(activation.activation());
        }
        if (layer instanceof Flatten flatten) {
            ReshapedView view = new ReshapedView();
            return new ShapingComputations.LayoutKernel(x -> flatten(flatten, x, view), (gradient, inputShape) ->
                    flattenBack(flatten, gradient, inputShape));
        }
        if (layer instanceof Reshape reshape) {
            ReshapedView view = new ReshapedView();
            return new ShapingComputations.LayoutKernel(x -> reshape(reshape, x, view),
                    ShapingComputations.LayoutKernel::reshapeBack);
        }
        if (layer instanceof Permute permute) {
            int[] order = withBatch(permute.dims());
            int[] inverse = ShapingComputations.LayoutKernel.inverse(order);
            return new ShapingComputations.LayoutKernel(x -> x.permute(order).dup('c'),
                    (gradient, inputShape) -> gradient.permute(inverse).dup('c'));
        }
        if (layer instanceof Bidirectional bidirectional) {
            return new BidirectionalComputation(bidirectional, weights);
        }
        if (layer instanceof Merge merge) {
            return MergeComputation.of(merge);
        }
        if (layer instanceof RepeatVector repeat) {
            return new ShapingComputations.RepeatKernel(repeat.n());
        }
        if (layer instanceof Masking masking) {
            return new ShapingComputations.MaskingKernel(masking.maskValue());
        }
        if (layer instanceof TimeDistributed wrapper) {
            return new ShapingComputations.TimeDistributedKernel(of(wrapper.layer(), weights));
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

    /** Flatten's gradient in its input's layout: unflattened, and channels moved first again for channels_first. */
    private static INDArray flattenBack(Flatten layer, INDArray gradient, long[] inputShape) {
        if (inputShape.length == 2) {
            return gradient;
        }
        if (layer.dataFormat() != DataFormat.CHANNELS_FIRST) {
            return gradient.dup('c').reshape('c', inputShape);
        }
        long[] channelsLast = new long[inputShape.length];
        channelsLast[0] = inputShape[0];
        for (int i = 1; i < inputShape.length - 1; i++) {
            channelsLast[i] = inputShape[i + 1];
        }
        channelsLast[inputShape.length - 1] = inputShape[1];
        int[] back = new int[inputShape.length];
        back[1] = inputShape.length - 1;
        for (int i = 2; i < inputShape.length; i++) {
            back[i] = i - 1;
        }
        return gradient.dup('c').reshape('c', channelsLast).permute(back).dup('c');
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

    private static int[] withBatch(int[] sampleAxes) {
        int[] axes = new int[sampleAxes.length + 1];
        System.arraycopy(sampleAxes, 0, axes, 1, sampleAxes.length);
        return axes;
    }
}
