package org.shapelab.layers;

/**
 * 1D convolution over sequences: {@code (None, length, channels) -> (None, new_length, filters)}
 * (channels_last), or {@code (None, channels, length) -> (None, filters, new_length)} (channels_first).
 * Padding {@code "causal"} pads only the past, so step t never sees step t+1.
 */
public final class Conv1D extends BaseConv<Conv1D> {

    public Conv1D(int filters, int kernelSize) {
        super(1, filters, new int[] {kernelSize});
    }

    public Conv1D(int filters, int kernelSize, String activation) {
        this(filters, kernelSize);
        activation(activation);
    }

    static Conv1D fromConfig(LayerConfig c) {
        return new Conv1D(c.requireInt("filters"), c.requireTuple("kernel_size", 1)[0]).readOptions(c);
    }
}
