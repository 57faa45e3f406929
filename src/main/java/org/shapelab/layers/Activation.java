package org.shapelab.layers;

import java.util.Map;

import org.shapelab.shape.Shape;

/** Applies an activation function to every value; the shape never changes. */
public final class Activation extends Layer {

    private final String activation;

    public Activation(String activation) {
        this.activation = Activations.check(activation, describe());
    }

    public String activation() {
        return activation;
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        return input;
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("activation", activation);
    }

    static Activation fromConfig(LayerConfig c) {
        return new Activation(c.getActivation("activation", "linear"));
    }
}
