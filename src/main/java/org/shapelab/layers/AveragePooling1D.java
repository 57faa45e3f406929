package org.shapelab.layers;

/**
 * Keeps the mean of each window, per channel: {@code (None, length, channels) -> (None, new_length, channels)} (channels_last).
 */
public final class AveragePooling1D extends BasePooling<AveragePooling1D> {

    public AveragePooling1D(int poolSize) {
        super(1, new int[] {poolSize});
    }

    /** Pool size 2, as Keras's default. */
    public AveragePooling1D() {
        this(2);
    }

    static AveragePooling1D fromConfig(LayerConfig c) {
        return new AveragePooling1D(c.getTuple("pool_size", 1, new int[] {2})[0]).readOptions(c);
    }
}
