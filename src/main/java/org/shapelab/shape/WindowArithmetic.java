package org.shapelab.shape;

/**
 * Output lengths of sliding windows (convolution and pooling), exactly as Keras computes them
 * ({@code keras/src/ops/operation_utils.py}). A {@link Shape#NONE} input length stays unknown.
 */
public final class WindowArithmetic {

    private WindowArithmetic() {
    }

    /**
     * One axis of a convolution: valid {@code floor((L - d*(k-1) - 1) / s) + 1};
     * same and causal {@code floor((L - 1) / s) + 1}. May return zero or less; callers report that.
     */
    public static int convOutputLength(int length, int kernel, int stride, int dilation, Padding padding) {
        if (length == Shape.NONE) {
            return Shape.NONE;
        }
        if (padding == Padding.VALID) {
            return Math.floorDiv(length - dilation * (kernel - 1) - 1, stride) + 1;
        }
        return Math.floorDiv(length - 1, stride) + 1;
    }

    /**
     * One axis of a pooling window: valid {@code floor((L - pool) / s) + 1}; same {@code floor((L - 1) / s) + 1}
     * (the convolution rule with dilation 1).
     */
    public static int poolOutputLength(int length, int pool, int stride, Padding padding) {
        return convOutputLength(length, pool, stride, 1, padding);
    }

    /** The span a (dilated) window covers: {@code d*(k-1) + 1}, the smallest input a valid window fits in. */
    public static int windowSpan(int kernel, int dilation) {
        return dilation * (kernel - 1) + 1;
    }

    /**
     * How much of an axis a 'same' window ever reads: all of it unless the stride is longer than what is left after
     * the last window, {@code (out - 1)·s + span} (TensorFlow then pads nothing and starts at 0, so the rest is never
     * read). Equal to the length whenever 'same' pads.
     */
    public static int sameReadLength(int length, int kernel, int stride, int dilation) {
        int out = Math.floorDiv(length - 1, stride) + 1;
        return Math.min(length, (out - 1) * stride + windowSpan(kernel, dilation));
    }

    /** Total zero padding TF-style 'same' adds on one axis (the extra one goes right/bottom). */
    public static int samePaddingTotal(int length, int kernel, int stride, int dilation) {
        int out = Math.floorDiv(length - 1, stride) + 1;
        return Math.max(0, (out - 1) * stride + windowSpan(kernel, dilation) - length);
    }
}
