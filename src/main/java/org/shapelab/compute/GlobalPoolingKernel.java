package org.shapelab.compute;

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
final class GlobalPoolingKernel implements Kernel {

    private final boolean max;
    private final boolean channelsLast;
    private final boolean keepdims;

    GlobalPoolingKernel(GlobalPooling<?> layer) {
        this.max = layer instanceof GlobalMaxPooling1D || layer instanceof GlobalMaxPooling2D;
        this.channelsLast = layer.dataFormat() == DataFormat.CHANNELS_LAST;
        this.keepdims = layer.keepdims();
    }

    @Override
    public INDArray forward(INDArray input, INDArray mask) {
        int rank = input.rank();
        int[] spatial = new int[rank - 2];
        for (int i = 0; i < spatial.length; i++) {
            spatial[i] = (channelsLast ? 1 : 2) + i;
        }
        INDArray pooled;
        boolean masked = !max && rank == 3 && mask != null && mask.size(0) == input.size(0)
                && mask.size(1) == input.size(spatial[0]);
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
}
