package org.shapelab.layers;

import java.util.List;
import java.util.Locale;

import org.shapelab.shape.ShapeException;

/** The activation names ShapeLab understands, spelled as Keras spells them. */
public final class Activations {

    /** Every supported name; {@code silu} is Keras's other name for {@code swish}. */
    public static final List<String> NAMES = List.of("linear", "relu", "relu6", "sigmoid", "hard_sigmoid", "tanh",
            "softmax", "log_softmax", "elu", "selu", "softplus", "softsign", "swish", "silu", "gelu", "mish");

    private Activations() {
    }

    /**
     * Returns the canonical Keras name, or explains what is valid. {@code null} means linear, as in Keras.
     *
     * @param where the layer asking, for the message
     */
    public static String check(String name, String where) {
        if (name == null) {
            return "linear";
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (NAMES.contains(key)) {
            return key;
        }
        String closest = Names.closest(key, NAMES);
        throw new ShapeException("Layer " + where + ": unknown activation '" + name + "'."
                + (closest != null ? " Did you mean '" + closest + "'?" : "")
                + " Valid activations: " + String.join(", ", NAMES) + ".",
                org.shapelab.shape.KerasWords.unknownActivation(name));
    }
}
