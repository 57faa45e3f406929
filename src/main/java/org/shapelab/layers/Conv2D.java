package org.shapelab.layers;

/**
 * 2D convolution over images: {@code (None, rows, cols, channels) -> (None, new_rows, new_cols, filters)}
 * (channels_last), or {@code (None, channels, rows, cols) -> (None, filters, new_rows, new_cols)}.
 */
public final class Conv2D extends BaseConv<Conv2D> {

    /** A square kernel, e.g. {@code new Conv2D(32, 3)} for 3×3. */
    public Conv2D(int filters, int kernelSize) {
        super(2, filters, new int[] {kernelSize});
    }

    /** A rectangular kernel, e.g. {@code new Conv2D(32, 3, 5)} for 3 rows × 5 cols. */
    public Conv2D(int filters, int kernelRows, int kernelCols) {
        super(2, filters, new int[] {kernelRows, kernelCols});
    }

    public Conv2D(int filters, int kernelSize, String activation) {
        this(filters, kernelSize);
        activation(activation);
    }

    static Conv2D fromConfig(LayerConfig c) {
        int[] kernel = c.requireTuple("kernel_size", 2);
        return new Conv2D(c.requireInt("filters"), kernel[0], kernel[1]).readOptions(c);
    }
}
