package org.shapelab.compute;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.layers.BaseConv;
import org.shapelab.shape.DataFormat;
import org.shapelab.shape.Padding;
import org.shapelab.shape.WindowArithmetic;

/**
 * Conv1D and Conv2D on libnd4j's {@code conv1d} / {@code conv2d} ops, which take Keras's kernel layout
 * ({@code [k..., in, filters]}, weights format 0) and both data formats directly. Their "same" mode pads
 * like TensorFlow (the odd pad on the right/bottom) and {@code conv1d}'s causal mode pads
 * {@code dilation·(k-1)} zeros on the left, as Keras does.
 */
final class ConvKernel implements Kernel {

    private final int spatialRank;
    private final int[] kernelSize;
    private final int[] strides;
    private final int[] dilation;
    private final Padding padding;
    private final boolean channelsLast;
    private final ActivationFunction activation;
    private final INDArray[] operands;
    private final long filters;
    private final NativeOp conv;

    ConvKernel(BaseConv<?> layer, List<INDArray> weights) {
        this.kernelSize = layer.kernelSize();
        this.spatialRank = kernelSize.length;
        this.strides = layer.strides();
        this.dilation = layer.dilationRate();
        this.padding = layer.padding();
        this.channelsLast = layer.dataFormat() == DataFormat.CHANNELS_LAST;
        this.activation = ActivationFunction.of(layer.activation(), spatialRank + 2);
        this.filters = layer.filters();
        int mode = padding == Padding.VALID ? 0 : padding == Padding.SAME ? 1 : 2;
        int format = channelsLast ? 1 : 0;
        this.conv = spatialRank == 1
                ? new NativeOp("conv1d", kernelSize[0], strides[0], 0, dilation[0], mode, format, 0)
                : new NativeOp("conv2d", kernelSize[0], kernelSize[1], strides[0], strides[1], 0, 0, dilation[0],
                        dilation[1], mode, format, 0);
        this.operands = layer.useBias() ? new INDArray[] {null, weights.get(0), weights.get(1)}
                : new INDArray[] {null, weights.get(0)};
    }

    @Override
    public INDArray forward(INDArray input, INDArray mask) {
        long[] outShape = input.shape().clone();
        int rank = outShape.length;
        int firstSpatial = channelsLast ? 1 : 2;
        outShape[channelsLast ? rank - 1 : 1] = filters;
        for (int i = 0; i < spatialRank; i++) {
            outShape[firstSpatial + i] = WindowArithmetic.convOutputLength((int) input.size(firstSpatial + i),
                    kernelSize[i], strides[i], dilation[i], padding);
        }
        INDArray[] inputs = operands.clone();
        inputs[0] = input;
        return activation.apply(conv.run(NativeOp.empty(outShape), inputs));
    }
}
