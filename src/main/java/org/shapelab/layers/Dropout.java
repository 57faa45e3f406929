package org.shapelab.layers;

import java.util.Map;

import org.shapelab.shape.Shape;

/**
 * During training sets a fraction {@code rate} of values to zero; at inference passes values through.
 * The shape never changes.
 */
public final class Dropout extends Layer {

    private final double rate;

    public Dropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw optionError("rate", rate, "rate is the fraction of values dropped, from 0 up to (not including) 1,"
                    + " e.g. 0.25");
        }
        this.rate = rate;
    }

    public double rate() {
        return rate;
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        return input;
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("rate", rate);
        config.put("noise_shape", null);
        config.put("seed", null);
    }

    static Dropout fromConfig(LayerConfig c) {
        if (c.has("noise_shape")) {
            throw c.problem("sets 'noise_shape', which ShapeLab does not support. Remove it (it only matters in"
                    + " training)");
        }
        return new Dropout(c.getDouble("rate", Double.NaN));
    }
}
