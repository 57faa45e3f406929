package org.shapelab.layers;

/**
 * Keeps the mean of each window, per channel: {@code (None, rows, cols, channels) -> (None, new_rows, new_cols, channels)} (channels_last).
 */
public final class AveragePooling2D extends BasePooling<AveragePooling2D> {

    /** A square window, e.g. 2 for 2×2. */
    public AveragePooling2D(int poolSize) {
        super(2, new int[] {poolSize});
    }

    public AveragePooling2D(int poolRows, int poolCols) {
        super(2, new int[] {poolRows, poolCols});
    }

    /** Pool size (2, 2), as Keras's default. */
    public AveragePooling2D() {
        this(2);
    }

    static AveragePooling2D fromConfig(LayerConfig c) {
        int[] pool = c.getTuple("pool_size", 2, new int[] {2, 2});
        return new AveragePooling2D(pool[0], pool[1]).readOptions(c);
    }
}
