package org.shapelab.layers;

import java.util.Map;

/**
 * Long short-term memory: four gates (input, forget, cell, output, in Keras's order i, f, c, o) keep a
 * cell state along the sequence. Parameters {@code 4·((features + units)·units + units)}.
 */
public final class LSTM extends BaseRNN<LSTM> {

    private boolean unitForgetBias = true;

    public LSTM(int units) {
        super(4, units);
    }

    public LSTM(int units, boolean returnSequences) {
        this(units);
        returnSequences(returnSequences);
    }

    /** Start the forget gate's bias at 1 (Keras's default), so the cell remembers from the start. */
    public LSTM unitForgetBias(boolean value) {
        requireUnbuilt("unitForgetBias");
        this.unitForgetBias = value;
        return this;
    }

    public boolean unitForgetBias() {
        return unitForgetBias;
    }

    @Override
    protected String biasInitializer() {
        return unitForgetBias ? "zeros, ones on the forget slice" : "zeros";
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        super.writeConfig(config);
        config.put("unit_forget_bias", unitForgetBias);
    }

    static LSTM fromConfig(LayerConfig c) {
        return new LSTM(c.requireInt("units")).readOptions(c).unitForgetBias(c.getBoolean("unit_forget_bias", true));
    }
}
