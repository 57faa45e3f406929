package org.shapelab.layers;

/** The plainest recurrent layer: {@code h_t = tanh(x_t · kernel + h_{t-1} · recurrent_kernel + bias)}. */
public final class SimpleRNN extends BaseRNN<SimpleRNN> {

    public SimpleRNN(int units) {
        super(1, units);
    }

    public SimpleRNN(int units, boolean returnSequences) {
        this(units);
        returnSequences(returnSequences);
    }

    static SimpleRNN fromConfig(LayerConfig c) {
        return new SimpleRNN(c.requireInt("units")).readOptions(c);
    }
}
