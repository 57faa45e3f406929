package org.shapelab.compute;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.layers.BasePooling;
import org.shapelab.layers.MaxPooling1D;
import org.shapelab.layers.MaxPooling2D;
import org.shapelab.shape.DataFormat;
import org.shapelab.shape.Padding;
import org.shapelab.shape.WindowArithmetic;

/**
 * Max and average pooling on libnd4j's {@code maxpool2d} / {@code avgpool2d}. ND4J has no 1D pooling ops,
 * so 1D pooling runs as 2D pooling over a height of 1. Average pooling with "same" padding divides by the
 * number of real values in each window (padding excluded), as Keras does.
 */
final class PoolingKernel implements Kernel {

    /** Below this many window reads libnd4j's own pooling is faster than oneDNN's (see NativeOp.oneDnnIf). */
    static final long ONE_DNN_MIN_READS = 1L << 16;

    private final boolean max;
    private final int[] pool;
    private final int[] strides;
    private final boolean same;
    private final boolean channelsLast;
    private final NativeOp pooling;
    private final ReshapedView inputView = new ReshapedView();
    private final ReshapedView outputView = new ReshapedView();

    PoolingKernel(BasePooling<?> layer) {
        this.max = layer instanceof MaxPooling1D || layer instanceof MaxPooling2D;
        int[] poolSize = layer.poolSize();
        int[] step = layer.strides();
        // 1D as 2D: a window of height 1 and step 1 over an added axis of length 1.
        this.pool = poolSize.length == 1 ? new int[] {1, poolSize[0]} : poolSize;
        this.strides = step.length == 1 ? new int[] {1, step[0]} : step;
        this.same = layer.padding() == Padding.SAME;
        this.channelsLast = layer.dataFormat() == DataFormat.CHANNELS_LAST;
        // Arguments: window, strides, no explicit padding, no dilation, same mode, average without the padding.
        this.pooling = new NativeOp(max ? "maxpool2d" : "avgpool2d", pool[0], pool[1], strides[0], strides[1], 0, 0,
                1, 1, same ? 1 : 0, 0, channelsLast ? 1 : 0);
    }

    @Override
    public INDArray forward(INDArray input, INDArray mask) {
        boolean oneD = input.rank() == 3;
        INDArray images = input;
        if (oneD) {
            long[] s = input.shape();
            images = channelsLast ? inputView.of(input, s[0], 1, s[1], s[2]) : inputView.of(input, s[0], s[1], 1, s[2]);
        }
        long[] outShape = images.shape().clone();
        int firstSpatial = channelsLast ? 1 : 2;
        Padding padding = same ? Padding.SAME : Padding.VALID;
        for (int i = 0; i < 2; i++) {
            outShape[firstSpatial + i] = WindowArithmetic.poolOutputLength((int) images.size(firstSpatial + i), pool[i],
                    strides[i], padding);
        }
        long reads = (long) pool[0] * pool[1];
        for (long size : outShape) {
            reads *= size;
        }
        INDArray out = pooling.oneDnnIf(reads >= ONE_DNN_MIN_READS).run(pooling.output(outShape), images);
        if (!oneD) {
            return out;
        }
        return channelsLast ? outputView.of(out, outShape[0], outShape[2], outShape[3])
                : outputView.of(out, outShape[0], outShape[1], outShape[3]);
    }
}
