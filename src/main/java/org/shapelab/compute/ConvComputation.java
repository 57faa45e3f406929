package org.shapelab.compute;

import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.BaseConv;
import org.shapelab.shape.DataFormat;
import org.shapelab.shape.Padding;
import org.shapelab.shape.WindowArithmetic;

/**
 * Conv1D and Conv2D on libnd4j's {@code conv2d} op, which takes Keras's kernel layout ({@code [kh, kw, in,
 * filters]}, weights format 0) and both data formats directly; its "same" mode pads like TensorFlow (the odd
 * pad on the right/bottom).
 *
 * <p>Conv1D runs as a Conv2D over an added axis of length 1: the batch {@code (B, L, C)} is viewed as
 * {@code (B, 1, L, C)} and the kernel {@code [k, C, F]} as {@code [1, k, C, F]} (free reshapes). libnd4j's own
 * {@code conv1d} does the same internally but through a nested op that is 1.5–2× slower with oneDNN and cannot
 * switch oneDNN off for dilated kernels. Causal padding (Conv1D only) is Keras's: {@code dilation·(k-1)} zeros
 * on the left of the time axis, then a "valid" convolution.
 */
final class ConvComputation implements Computation {

    private final int[] kernelSize;
    private final int[] strides;
    private final int[] dilation;
    private final Padding padding;
    private final boolean channelsLast;
    private final ActivationFunction activation;
    private final INDArray[] operands;
    private final long filters;
    private final NativeOp conv;
    /** Same padding only: the crop that keeps libnd4j's windows where TensorFlow's are. */
    private final SameCrop sameCrop;
    /** conv2d's arguments (window, strides, padding, dilation, same mode, data format, weights format). */
    private final long[] convArgs;
    /** Causal Conv1D only: zero-pads the time axis on the left, and the paddings it reads. */
    private final NativeOp causalPad;
    private final INDArray causalPaddings;
    /** Conv1D only: the (B, 1, L, C) view of its input and the sequence view of its result. */
    private final SequenceAsImage asImage;
    /** Channels last: small inputs as im2col in Java + one matrix product (SmallConv); null otherwise. */
    private final SmallConv small;

    ConvComputation(BaseConv<?> layer, List<INDArray> weights) {
        int[] size = layer.kernelSize();
        boolean oneD = size.length == 1;
        this.kernelSize = SequenceAsImage.twoD(size);
        this.strides = SequenceAsImage.twoD(layer.strides());
        this.dilation = SequenceAsImage.twoD(layer.dilationRate());
        this.padding = layer.padding();
        this.channelsLast = layer.dataFormat() == DataFormat.CHANNELS_LAST;
        this.asImage = oneD ? new SequenceAsImage(channelsLast) : null;
        this.activation = ActivationFunction.of(layer.activation());
        this.filters = layer.filters();
        INDArray kernel = weights.get(0);
        if (oneD) {
            kernel = kernel.reshape('c', 1, kernel.size(0), kernel.size(1), kernel.size(2));
        }
        // Keras's layout is kept: interleaved in one process, [filters, kh, kw, in] (weights format 2) was no
        // faster for 1 to 128 input channels (docs/performance.md), though measured one after the other it seemed
        // 30% faster with 16.
        int mode = padding == Padding.SAME ? 1 : 0;
        this.convArgs = new long[] {kernelSize[0], kernelSize[1], strides[0], strides[1], 0, 0, dilation[0],
                dilation[1], mode, channelsLast ? 1 : 0, 0};
        this.conv = new NativeOp("conv2d", convArgs).withoutOneDnn(Arrays.stream(dilation).anyMatch(d -> d > 1));
        this.sameCrop = padding == Padding.SAME ? new SameCrop(kernelSize, strides, dilation, channelsLast) : null;
        this.operands = layer.useBias() ? new INDArray[] {null, kernel, weights.get(1)}
                : new INDArray[] {null, kernel};
        SmallConv smallConv = channelsLast ? new SmallConv(kernelSize, strides, dilation, padding, kernel,
                layer.useBias() ? weights.get(1) : null) : null;
        this.small = smallConv != null && smallConv.seesWeightsOf(weights.get(0)) ? smallConv : null;
        if (padding == Padding.CAUSAL) {
            long[][] pads = new long[4][2];
            pads[channelsLast ? 2 : 3][0] = (long) dilation[1] * (kernelSize[1] - 1);
            this.causalPaddings = Nd4j.createFromArray(pads).castTo(DataType.INT);
            this.causalPad = new NativeOp("pad", 0).floats(0.0);
        } else {
            this.causalPaddings = null;
            this.causalPad = null;
        }
    }

    @Override
    public INDArray forward(INDArray input, INDArray mask) {
        if (small != null) {
            INDArray asImages = asImage != null ? asImage.image(input) : input;
            if (small.takes(asImages)) {
                INDArray out = activation.apply(small.convolve(asImages));
                return asImage != null ? asImage.sequence(out) : out;
            }
        }
        INDArray images = images(input);
        INDArray out = activation.apply(convolve(images));
        return asImage != null ? asImage.sequence(out) : out;
    }

    /** The input as conv2d reads it: a sequence as an image of height 1, causal padding added on the left. */
    private INDArray images(INDArray input) {
        INDArray images = asImage != null ? asImage.image(input) : input;
        if (causalPad != null) {
            long[] padded = images.shape().clone();
            padded[channelsLast ? 2 : 3] += (long) dilation[1] * (kernelSize[1] - 1);
            images = causalPad.run(causalPad.output(padded), images, causalPaddings);
        }
        return sameCrop != null ? sameCrop.crop(images) : images;
    }

    /** conv2d with the bias, before the activation. */
    private INDArray convolve(INDArray images) {
        long[] outShape = images.shape().clone();
        int firstSpatial = channelsLast ? 1 : 2;
        outShape[channelsLast ? 3 : 1] = filters;
        Padding mode = padding == Padding.CAUSAL ? Padding.VALID : padding;
        for (int i = 0; i < 2; i++) {
            outShape[firstSpatial + i] = WindowArithmetic.convOutputLength((int) images.size(firstSpatial + i),
                    kernelSize[i], strides[i], dilation[i], mode);
        }
        INDArray[] inputs = operands.clone();
        inputs[0] = images;
        return conv.run(conv.output(outShape), inputs);
    }

    // ---- training ----

    private INDArray trainedImages;
    private INDArray trainedSum;
    private INDArray trainedOutput;
    private long[] trainedInputShape;
    /** The image shape before a same crop (with causal padding, the padded shape: no crop applies there). */
    private long[] trainedImageShape;
    private NativeOp convBackward;

    @Override
    public boolean trains() {
        return true;
    }

    @Override
    public INDArray forwardTraining(INDArray input, INDArray mask, TrainingStep step) {
        trainedInputShape = input.shape().clone();
        trainedImages = images(input.dup('c'));
        trainedImageShape = (asImage != null ? asImage.image(input) : input).shape().clone();
        trainedSum = convolve(trainedImages).dup('c');
        trainedOutput = activation.apply(trainedSum.dup());
        return asImage != null ? trainedOutput.reshape('c', sequenceShape(trainedOutput.shape())) : trainedOutput;
    }

    /**
     * libnd4j's {@code conv2d_bp} with the forward pass's arguments gives the input's, the kernel's and the bias's
     * gradients from the activation's; causal padding's columns are then dropped from the input's gradient, and a
     * Conv1D's gradients go back to sequence and {@code [k, in, filters]} layouts.
     */
    @Override
    public INDArray backward(INDArray gradient, INDArray[] weightGradients) {
        if (convBackward == null) {
            convBackward = new NativeOp("conv2d_bp", convArgs).withoutOneDnn(Arrays.stream(dilation)
                    .anyMatch(d -> d > 1));
        }
        INDArray dz = activation.gradient(trainedSum, trainedOutput, gradient.dup('c').reshape('c',
                trainedOutput.shape()));
        INDArray kernel = operands[1];
        INDArray dImages = NativeOp.empty(trainedImages.shape());
        INDArray dKernel = NativeOp.empty(kernel.shape());
        INDArray dBias = operands.length > 2 ? NativeOp.empty(filters) : null;
        INDArray[] outputs = dBias != null ? new INDArray[] {dImages, dKernel, dBias} : new INDArray[] {dImages, dKernel};
        INDArray[] inputs = dBias != null ? new INDArray[] {trainedImages, kernel, operands[2], dz}
                : new INDArray[] {trainedImages, kernel, dz};
        convBackward.runAll(outputs, inputs);
        long[] weightShape = kernel.shape();
        weightGradients[0] = asImage != null ? dKernel.reshape('c', weightShape[1], weightShape[2], weightShape[3])
                : dKernel;
        if (dBias != null) {
            weightGradients[1] = dBias;
        }
        if (sameCrop != null) {
            dImages = SameCrop.uncrop(dImages, trainedImageShape);
        }
        if (causalPad != null) {
            int time = channelsLast ? 2 : 3;
            long pad = (long) dilation[1] * (kernelSize[1] - 1);
            dImages = dImages.get(timeSlice(dImages.rank(), time, pad, dImages.size(time))).dup('c');
        }
        return dImages.reshape('c', trainedInputShape);
    }

    /** An image result of height 1 as the sequence Conv1D returns. */
    private long[] sequenceShape(long[] image) {
        return channelsLast ? new long[] {image[0], image[2], image[3]} : new long[] {image[0], image[1], image[3]};
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex[] timeSlice(int rank, int axis, long from, long to) {
        org.nd4j.linalg.indexing.INDArrayIndex[] index = new org.nd4j.linalg.indexing.INDArrayIndex[rank];
        for (int i = 0; i < rank; i++) {
            index[i] = i == axis ? org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)
                    : org.nd4j.linalg.indexing.NDArrayIndex.all();
        }
        return index;
    }
}
