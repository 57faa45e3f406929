package org.shapelab.layers;

import java.util.Map;

/**
 * Gated recurrent unit: three gates (update z, reset r, candidate h, in Keras's order). With
 * {@code reset_after=true} (the Keras 2 and 3 default, cuDNN-compatible) the reset gate applies after
 * the recurrent matrix product and the bias has two rows: {@code 3·(features·units + units·units + 2·units)}.
 */
public final class GRU extends BaseRNN<GRU> {

    private boolean resetAfter = true;

    public GRU(int units) {
        super(3, units);
    }

    public GRU(int units, boolean returnSequences) {
        this(units);
        returnSequences(returnSequences);
    }

    public GRU resetAfter(boolean value) {
        requireUnbuilt("resetAfter");
        this.resetAfter = value;
        return this;
    }

    public boolean resetAfter() {
        return resetAfter;
    }

    @Override
    protected int[] biasShape() {
        return resetAfter ? new int[] {2, 3 * units()} : new int[] {3 * units()};
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        super.writeConfig(config);
        config.put("reset_after", resetAfter);
    }

    static GRU fromConfig(LayerConfig c) {
        // tf.keras 1.x and TensorFlow.js wrote no reset_after and meant false; Keras 2 and 3 always write it.
        return new GRU(c.requireInt("units")).readOptions(c).resetAfter(c.getBoolean("reset_after", false));
    }
}
