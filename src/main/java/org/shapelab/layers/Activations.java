package org.shapelab.layers;

import java.util.List;
import java.util.Locale;

import org.shapelab.shape.ShapeException;

/** The activation names ShapeLab understands, spelled as Keras spells them. */
public final class Activations {

    /** Every supported name; {@code silu} is Keras's other name for {@code swish}. */
    public static final List<String> NAMES = List.of("linear", "relu", "relu6", "sigmoid", "hard_sigmoid", "tanh",
            "softmax", "log_softmax", "elu", "selu", "softplus", "softsign", "swish", "silu", "gelu", "mish",
            Activations.HARD_SIGMOID_KERAS2);

    /**
     * tf.keras 2's and TensorFlow.js's {@code hard_sigmoid}, {@code clip(0.2x + 0.5, 0, 1)}, which Keras 3 replaced by
     * {@code relu6(x + 3) / 6} under the same name. Models read from TensorFlow.js files keep it, so that they give
     * the numbers TensorFlow.js gave; tf.keras 2 JSON writes it as {@code hard_sigmoid}.
     */
    public static final String HARD_SIGMOID_KERAS2 = "hard_sigmoid_keras2";

    /**
     * Renames an activation everywhere in a Keras JSON tree ({@code activation} and {@code recurrent_activation}
     * of every layer, wrapped layers too): between tf.keras 2's and TensorFlow.js's {@code hard_sigmoid} and
     * ShapeLab's {@link #HARD_SIGMOID_KERAS2}, on reading a TF.js file and on writing tf.keras 2 JSON.
     */
    public static void rename(com.fasterxml.jackson.databind.JsonNode tree, String from, String to) {
        if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            for (String key : new String[] {"activation", "recurrent_activation"}) {
                if (from.equals(object.path(key).asText(null))) {
                    object.put(key, to);
                }
            }
        }
        for (com.fasterxml.jackson.databind.JsonNode child : tree) {
            rename(child, from, to);
        }
    }

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
