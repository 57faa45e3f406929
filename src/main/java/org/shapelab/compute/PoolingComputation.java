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
final class PoolingComputation implements Computation {

    /** Below this many window reads libnd4j's own pooling is faster than oneDNN's (see NativeOp.oneDnnIf). */
    static final long ONE_DNN_MIN_READS = 1L << 16;

    private final boolean max;
    private final int[] pool;
    private final int[] strides;
    private final boolean same;
    private final boolean channelsLast;
    private final NativeOp pooling;
    private final long[] poolArgs;
    /** Same padding only: the crop that keeps libnd4j's windows where TensorFlow's are. */
    private final SameCrop sameCrop;
    /** 1D pooling only: the (B, 1, L, C) view of its input and the sequence view of its result. */
    private final SequenceAsImage asImage;

    PoolingComputation(BasePooling<?> layer) {
        this.max = layer instanceof MaxPooling1D || layer instanceof MaxPooling2D;
        this.pool = SequenceAsImage.twoD(layer.poolSize());
        this.strides = SequenceAsImage.twoD(layer.strides());
        this.same = layer.padding() == Padding.SAME;
        this.channelsLast = layer.dataFormat() == DataFormat.CHANNELS_LAST;
        this.asImage = layer.poolSize().length == 1 ? new SequenceAsImage(channelsLast) : null;
        // Arguments: window, strides, no explicit padding, no dilation, same mode, average without the padding.
        this.poolArgs = new long[] {pool[0], pool[1], strides[0], strides[1], 0, 0, 1, 1, same ? 1 : 0, 0,
                channelsLast ? 1 : 0};
        this.pooling = new NativeOp(max ? "maxpool2d" : "avgpool2d", poolArgs);
        this.sameCrop = same ? new SameCrop(pool, strides, new int[] {1, 1}, channelsLast) : null;
    }

    @Override
    public INDArray forward(INDArray input, INDArray mask) {
        INDArray images = asImage != null ? asImage.image(input) : input;
        if (sameCrop != null) {
            images = sameCrop.crop(images);
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
        return asImage != null ? asImage.sequence(out) : out;
    }

    // ---- training ----

    private INDArray trainedImages;
    private long[] trainedInputShape;
    private long[] trainedImageShape;
    private NativeOp poolingBackward;

    @Override
    public boolean trains() {
        return true;
    }

    @Override
    public INDArray forwardTraining(INDArray input, INDArray mask, TrainingStep step) {
        trainedInputShape = input.shape().clone();
        INDArray copy = input.dup('c');
        trainedImages = asImage != null ? copy.reshape('c', imageShape(copy.shape())) : copy;
        trainedImageShape = trainedImages.shape().clone();
        if (sameCrop != null) {
            trainedImages = sameCrop.crop(trainedImages);
        }
        INDArray out = forward(copy, null).dup('c');
        return out;
    }

    /** libnd4j's {@code maxpool2d_bp} / {@code avgpool2d_bp}: the gradient to the window's maximum, or spread evenly. */
    @Override
    public INDArray backward(INDArray gradient, INDArray[] weightGradients) {
        if (poolingBackward == null) {
            poolingBackward = new NativeOp(max ? "maxpool2d_bp" : "avgpool2d_bp", poolArgs);
        }
        INDArray g = gradient.dup('c');
        if (asImage != null) {
            g = g.reshape('c', imageShape(g.shape()));
        }
        INDArray dImages = NativeOp.empty(trainedImages.shape());
        poolingBackward.runAll(new INDArray[] {dImages}, trainedImages, g);
        return SameCrop.uncrop(dImages, trainedImageShape).reshape('c', trainedInputShape);
    }

    /** A sequence's shape as the image of height 1 that the 2D op reads. */
    private long[] imageShape(long[] sequence) {
        return channelsLast ? new long[] {sequence[0], 1, sequence[1], sequence[2]}
                : new long[] {sequence[0], sequence[1], 1, sequence[2]};
    }
}
