package org.shapelab.layers;

import java.util.Map;

import org.shapelab.shape.Shape;

/**
 * Keras's {@code Masking(mask_value=0.0)}: marks the timesteps whose features all equal {@code mask_value} as
 * padding. The values pass on with masked steps set to 0; the mask {@code (batch, timesteps)} goes with them, so
 * recurrent layers skip those steps and GlobalAveragePooling1D leaves them out. The shape never changes.
 */
public final class Masking extends Layer {

    private final double maskValue;

    public Masking() {
        this(0.0);
    }

    public Masking(double maskValue) {
        if (!Double.isFinite(maskValue)) {
            throw optionError("mask_value", maskValue, "the padding value must be a finite number, e.g. 0.0 or -1.0");
        }
        this.maskValue = maskValue;
    }

    public double maskValue() {
        return maskValue;
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        return input;
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("mask_value", maskValue);
    }

    static Masking fromConfig(LayerConfig c) {
        return new Masking(c.getDouble("mask_value", 0.0));
    }
}
