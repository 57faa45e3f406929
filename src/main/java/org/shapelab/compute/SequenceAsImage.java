package org.shapelab.compute;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 1D layer (Conv1D, 1D pooling) run by libnd4j's 2D op over an added axis of length 1: the sequence
 * {@code (B, L, C)} is seen as the image {@code (B, 1, L, C)} ({@code (B, C, L)} as {@code (B, C, 1, L)} with
 * channels first), its window sizes, strides and dilations gain a 1 for the added axis, and the 2D result is seen
 * back as a sequence. The views are made once per array ({@link ReshapedView}).
 */
final class SequenceAsImage {

    private final boolean channelsLast;
    private final ReshapedView imageView = new ReshapedView();
    private final ReshapedView sequenceView = new ReshapedView();

    SequenceAsImage(boolean channelsLast) {
        this.channelsLast = channelsLast;
    }

    /** A 1D layer's window sizes, strides or dilations for the 2D op: {@code [k] -> [1, k]}; 2D ones unchanged. */
    static int[] twoD(int[] sizes) {
        return sizes.length == 1 ? new int[] {1, sizes[0]} : sizes;
    }

    /** The sequence as an image of height 1. */
    INDArray image(INDArray sequence) {
        long[] s = sequence.shape();
        return channelsLast ? imageView.of(sequence, s[0], 1, s[1], s[2]) : imageView.of(sequence, s[0], s[1], 1, s[2]);
    }

    /** An image of height 1 as a sequence. */
    INDArray sequence(INDArray image) {
        long[] s = image.shape();
        return channelsLast ? sequenceView.of(image, s[0], s[2], s[3]) : sequenceView.of(image, s[0], s[1], s[3]);
    }
}
