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
final class ConvKernel implements Kernel {

    private final int[] kernelSize;
    private final int[] strides;
    private final int[] dilation;
    private final Padding padding;
    private final boolean channelsLast;
    private final ActivationFunction activation;
    private final INDArray[] operands;
    private final long filters;
    private final NativeOp conv;
    /** Causal Conv1D only: zero-pads the time axis on the left, and the paddings it reads. */
    private final NativeOp causalPad;
    private final INDArray causalPaddings;
    /** Conv1D only: the (B, 1, L, C) view of its input and the sequence view of its result. */
    private final SequenceAsImage asImage;

    ConvKernel(BaseConv<?> layer, List<INDArray> weights) {
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
        this.conv = new NativeOp("conv2d", kernelSize[0], kernelSize[1], strides[0], strides[1], 0, 0, dilation[0],
                dilation[1], mode, channelsLast ? 1 : 0, 0)
                .withoutOneDnn(Arrays.stream(dilation).anyMatch(d -> d > 1));
        this.operands = layer.useBias() ? new INDArray[] {null, kernel, weights.get(1)}
                : new INDArray[] {null, kernel};
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
        INDArray images = asImage != null ? asImage.image(input) : input;
        if (causalPad != null) {
            long[] padded = images.shape().clone();
            padded[channelsLast ? 2 : 3] += (long) dilation[1] * (kernelSize[1] - 1);
            images = causalPad.run(causalPad.output(padded), images, causalPaddings);
        }
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
        INDArray out = activation.apply(conv.run(conv.output(outShape), inputs));
        return asImage != null ? asImage.sequence(out) : out;
    }
}
