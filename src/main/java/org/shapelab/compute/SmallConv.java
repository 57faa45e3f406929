package org.shapelab.compute;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.shape.Padding;

/**
 * A small channels-last convolution as one matrix product: the input's windows are copied in Java into a reused
 * {@code (B·Ho·Wo, kh·kw·C)} matrix (im2col; with one channel and stride 1 across, its transpose, where the copies are
 * longer), which is multiplied by the kernel viewed as {@code (kh·kw·C, F)}, then the bias is added ({@code matmul},
 * {@code biasadd}: two native calls).
 *
 * <p>Why: for small work libnd4j's {@code conv2d} costs far more than its arithmetic. With or without oneDNN it sets
 * the convolution up on every call, and without oneDNN its own {@code im2col} alone takes 50–80 µs. LeNet's first
 * layer (one 28×28×1 image, 6 filters 5×5, 118 k multiply-adds) took 72 µs in {@code conv2d}; its windows are 19,600
 * floats, which a Java loop gathers in a few µs. Above {@link #MAX_WINDOW_VALUES} oneDNN's convolution is faster.
 *
 * <p>Padding is TensorFlow's: "same" puts {@code total / 2} zeros before and the rest after; "causal" puts
 * {@code dilation·(k−1)} zeros before the time axis. The copies are worked out once per input shape.
 */
final class SmallConv {

    /** Above this many gathered window values per call the oneDNN convolution wins (W2a's 64 images: 389 k). */
    static final long MAX_WINDOW_VALUES = 1L << 16;

    private final int[] kernelSize;
    private final int[] strides;
    private final int[] dilation;
    private final Padding padding;
    private final INDArray kernelRows;
    private final INDArray bias;
    private final NativeOp product = new NativeOp("matmul");
    private final NativeOp productOfTransposed = new NativeOp("matmul", 1, 0, 0);
    private final NativeOp addBias;
    private final ReshapedView imageView = new ReshapedView();

    private long[] inputShape;
    private int outHeight;
    private int outWidth;
    /** Windows as rows ({@code (B·Ho·Wo, K)}), or, with one channel and stride 1 across, as columns ({@code (K, B·Ho·Wo)}). */
    private boolean columns;
    /** Copies from one sample into the window matrix: source offset, destination offset, length; per sample. */
    private int[] runs;
    /** How far apart two samples' windows lie in the window matrix. */
    private int sampleStride;
    private float[] sample;
    /** The window matrix in Java, its padding zeros kept from call to call. */
    private float[] windows;
    private INDArray windowMatrix;
    private FloatBuffer windowBuffer;

    /** {@code kernel} is {@code [kh, kw, C, F]}, c-ordered. */
    SmallConv(int[] kernelSize, int[] strides, int[] dilation, Padding padding, INDArray kernel, INDArray bias) {
        this.kernelSize = kernelSize.clone();
        this.strides = strides.clone();
        this.dilation = dilation.clone();
        this.padding = padding;
        this.kernelRows = kernel.reshape('c', kernel.length() / kernel.size(3), kernel.size(3));
        this.bias = bias;
        this.addBias = bias != null ? new NativeOp("biasadd").booleans(false) : null;
    }

    /** Whether this {@code (B, H, W, C)} float input is small enough, and laid out plainly enough, for this path. */
    boolean takes(INDArray images) {
        if (images.dataType() != DataType.FLOAT || images.ordering() != 'c' || !Shape.hasDefaultStridesForShape(images)
                || images.rank() != 4) {
            return false;
        }
        long rows = images.size(0) * outLength(1, (int) images.size(1)) * outLength(2, (int) images.size(2));
        return rows * kernelRows.size(0) <= MAX_WINDOW_VALUES;
    }

    /** The convolution plus bias, before the activation, as a reused {@code (B, Ho, Wo, F)} array. */
    INDArray convolve(INDArray images) {
        long batch = images.size(0);
        long[] shape = images.shape();
        if (!Arrays.equals(shape, inputShape)) {
            prepare(shape);
        }
        int sampleLength = sample.length;
        FloatBuffer input = floats(images);
        for (int b = 0; b < batch; b++) {
            input.get(b * sampleLength, sample, 0, sampleLength);
            int base = b * sampleStride;
            for (int r = 0; r < runs.length; r += 3) {
                System.arraycopy(sample, runs[r], windows, base + runs[r + 1], runs[r + 2]);
            }
        }
        // One bulk copy: a direct buffer's bulk put costs ~50 ns however short, System.arraycopy a few.
        windowBuffer.put(0, windows);
        long filters = kernelRows.size(1);
        INDArray out = product.output(batch * outHeight * outWidth, filters);
        (columns ? productOfTransposed : product).oneDnnIf(false).run(out, windowMatrix, kernelRows);
        if (addBias != null) {
            addBias.run(out, out, bias);
        }
        return imageView.of(out, batch, outHeight, outWidth, filters);
    }

    /**
     * The copies for one sample. Padding is never written: the window array starts as zeros and the same places
     * are padding on every call. Rows copy each window's {@code (kx, c)} stretch that lies inside the input in one
     * piece (dilation 1 across) or per position; columns, chosen when there is one channel and stride 1 across,
     * copy a stretch of an input row into each kernel position's row.
     */
    private void prepare(long[] shape) {
        int batch = (int) shape[0];
        int height = (int) shape[1];
        int width = (int) shape[2];
        int channels = (int) shape[3];
        outHeight = outLength(1, height);
        outWidth = outLength(2, width);
        int padTop = padBefore(0, height, outHeight);
        int padLeft = padBefore(1, width, outWidth);
        int windowLength = kernelSize[0] * kernelSize[1] * channels;
        int positions = outHeight * outWidth;
        columns = channels == 1 && strides[1] == 1;
        IntList list = new IntList();
        for (int oy = 0; oy < outHeight; oy++) {
            for (int ky = 0; ky < kernelSize[0]; ky++) {
                int iy = oy * strides[0] + ky * dilation[0] - padTop;
                if (iy < 0 || iy >= height) {
                    continue;
                }
                for (int kx = 0; kx < kernelSize[1]; kx++) {
                    if (columns) {
                        // Computation position (ky, kx): output positions ox whose input column ix = ox + kx·d - padLeft
                        // lies inside, one stretch of the input row.
                        int first = Math.max(0, padLeft - kx * dilation[1]);
                        int last = Math.min(outWidth - 1, width - 1 + padLeft - kx * dilation[1]);
                        if (first <= last) {
                            int k = ky * kernelSize[1] + kx;
                            list.add(iy * width + first + kx * dilation[1] - padLeft,
                                    k * batch * positions + oy * outWidth + first, last - first + 1);
                        }
                    }
                }
                if (!columns) {
                    for (int ox = 0; ox < outWidth; ox++) {
                        int row = (oy * outWidth + ox) * windowLength + ky * kernelSize[1] * channels;
                        for (int kx = 0; kx < kernelSize[1]; kx++) {
                            int ix = ox * strides[1] + kx * dilation[1] - padLeft;
                            if (ix >= 0 && ix < width) {
                                list.addMerging(iy * width * channels + ix * channels, row + kx * channels,
                                        channels);
                            }
                        }
                    }
                }
            }
        }
        runs = list.toArray();
        sampleStride = columns ? positions : positions * windowLength;
        inputShape = shape.clone();
        sample = new float[height * width * channels];
        windows = new float[batch * positions * windowLength];
        // Kept across calls, so outside predict's workspace, which is reset on every call (as NativeOp.output).
        try (MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            windowMatrix = columns ? Nd4j.create(DataType.FLOAT, windowLength, (long) batch * positions)
                    : Nd4j.create(DataType.FLOAT, (long) batch * positions, windowLength);
        }
        windowBuffer = floats(windowMatrix);
    }

    /** A growing list of (source, destination, length) triples that joins a copy continuing the previous one. */
    private static final class IntList {
        private int[] values = new int[48];
        private int size;

        void add(int source, int destination, int length) {
            if (size + 3 > values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = source;
            values[size++] = destination;
            values[size++] = length;
        }

        void addMerging(int source, int destination, int length) {
            if (size >= 3 && values[size - 3] + values[size - 1] == source
                    && values[size - 2] + values[size - 1] == destination) {
                values[size - 1] += length;
            } else {
                add(source, destination, length);
            }
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /** Output length along image axis 1 (height) or 2 (width). */
    private int outLength(int axis, int length) {
        int k = kernelSize[axis - 1];
        int d = dilation[axis - 1];
        int s = strides[axis - 1];
        return padding == Padding.VALID ? Math.floorDiv(length - d * (k - 1) - 1, s) + 1 : Math.floorDiv(length - 1, s) + 1;
    }

    /** Zeros before the first input value along spatial axis 0 (height) or 1 (width), as TensorFlow pads. */
    private int padBefore(int axis, int length, int outLength) {
        int span = dilation[axis] * (kernelSize[axis] - 1);
        switch (padding) {
            case SAME:
                return Math.max((outLength - 1) * strides[axis] + span + 1 - length, 0) / 2;
            case CAUSAL:
                return span;
            default:
                return 0;
        }
    }

    /** The array's values as a native-order float buffer, from its first value. */
    private static FloatBuffer floats(INDArray array) {
        long length = array.data().length();
        // A pointer of its own: the data buffer's pointer is shared and must keep its position and limit.
        FloatPointer values = new FloatPointer(array.data().pointer());
        values.position(0).limit(length).capacity(length);
        return values.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer().position((int) array.offset())
                .slice();
    }

    /** Whether {@code kernel} views the weight array itself (so that weights changed in place are seen). */
    boolean seesWeightsOf(INDArray weight) {
        return kernelRows.data().address() == weight.data().address() && kernelRows.offset() == weight.offset();
    }
}
