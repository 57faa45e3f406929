package org.shapelab.layers;

/**
 * Keeps the largest value of each window, per channel: {@code (None, length, channels) -> (None, new_length, channels)} (channels_last).
 */
public final class MaxPooling1D extends BasePooling<MaxPooling1D> {

    public MaxPooling1D(int poolSize) {
        super(1, new int[] {poolSize});
    }

    /** Pool size 2, as Keras's default. */
    public MaxPooling1D() {
        this(2);
    }

    static MaxPooling1D fromConfig(LayerConfig c) {
        return new MaxPooling1D(c.getTuple("pool_size", 1, new int[] {2})[0]).readOptions(c);
    }
}
