package org.shapelab.compute;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.shapelab.layers.GlobalMaxPooling1D;
import org.shapelab.layers.GlobalMaxPooling2D;
import org.shapelab.layers.GlobalPooling;
import org.shapelab.shape.DataFormat;

/**
 * The mean or maximum over every spatial axis (ND4J reductions). With a mask, GlobalAveragePooling1D averages
 * the unmasked steps only, as Keras: {@code sum(x·mask) / sum(mask)}.
 */
final class GlobalPoolingComputation implements Computation {

    private final boolean max;
    private final boolean channelsLast;
    private final boolean keepdims;

    GlobalPoolingComputation(GlobalPooling<?> layer) {
        this.max = layer instanceof GlobalMaxPooling1D || layer instanceof GlobalMaxPooling2D;
        this.channelsLast = layer.dataFormat() == DataFormat.CHANNELS_LAST;
        this.keepdims = layer.keepdims();
    }

    private int[] spatialAxes(int rank) {
        int[] spatial = new int[rank - 2];
        for (int i = 0; i < spatial.length; i++) {
            spatial[i] = (channelsLast ? 1 : 2) + i;
        }
        return spatial;
    }

    private boolean masked(INDArray input, INDArray mask, int[] spatial) {
        return !max && input.rank() == 3 && mask != null && mask.size(0) == input.size(0)
                && mask.size(1) == input.size(spatial[0]);
    }

    @Override
    public INDArray forward(INDArray input, INDArray mask) {
        int[] spatial = spatialAxes(input.rank());
        INDArray pooled;
        boolean masked = masked(input, mask, spatial);
        if (masked) {
            INDArray kept = Broadcast.mul(input, mask, NativeOp.empty(input.shape()), 0, spatial[0]);
            pooled = kept.sum(spatial).diviColumnVector(mask.sum(1).reshape(input.size(0), 1));
        } else {
            pooled = max ? input.max(spatial) : input.mean(spatial);
        }
        if (!keepdims) {
            return pooled;
        }
        long[] shape = input.shape().clone();
        for (int axis : spatial) {
            shape[axis] = 1;
        }
        return pooled.reshape('c', shape);
    }

    // ---- training ----

    private INDArray trainedInput;
    private INDArray trainedMask;

    @Override
    public boolean trains() {
        return true;
    }

    @Override
    public INDArray forwardTraining(INDArray input, INDArray mask, TrainingStep step) {
        trainedInput = input;
        trainedMask = masked(input, mask, spatialAxes(input.rank())) ? mask : null;
        return forward(input, mask).dup('c');
    }

    /**
     * The mean spreads each channel's gradient evenly over the steps or pixels (the unmasked ones only); the
     * maximum gives it to the position of the maximum (split evenly between ties, as TensorFlow's gradient does).
     */
    @Override
    public INDArray backward(INDArray gradient, INDArray[] weightGradients) {
        INDArray x = trainedInput;
        int[] spatial = spatialAxes(x.rank());
        long[] kept = x.shape().clone();
        for (int axis : spatial) {
            kept[axis] = 1;
        }
        INDArray g = gradient.dup('c').reshape('c', kept).broadcast(x.shape());
        if (max) {
            INDArray maxima = x.max(true, spatial).broadcast(x.shape());
            INDArray hits = x.eq(maxima).castTo(DataType.FLOAT);
            INDArray count = hits.sum(true, spatial).broadcast(x.shape());
            return g.mul(hits).divi(count);
        }
        if (trainedMask != null) {
            // x·mask summed over time, divided by the mask's sum: d/dx = g·mask / Σ mask.
            INDArray weights = trainedMask.div(trainedMask.sum(true, 1).broadcast(trainedMask.shape()));
            return Broadcast.mul(g.dup('c'), weights, NativeOp.empty(x.shape()), 0, spatial[0]);
        }
        long count = 1;
        for (int axis : spatial) {
            count *= x.size(axis);
        }
        return g.div(count);
    }
}
