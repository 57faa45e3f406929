package org.shapelab.layers;

import java.util.Iterator;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * Read access to one layer's Keras {@code config} object, in any of the dialects found in the wild
 * (tf.keras 2, Keras 3, TensorFlow.js). Every problem names the layer and the key, so a learner never
 * sees a bare JSON library error.
 */
public final class LayerConfig {

    /** Turns a nested {@code {"class_name": ..., "config": ...}} object into a layer (for wrappers). */
    @FunctionalInterface
    public interface LayerReader {
        Layer read(JsonNode classAndConfig, String where);
    }

    private final JsonNode config;
    private final String where;
    private final LayerReader reader;

    /**
     * @param config the layer's {@code config} object
     * @param where  how messages name the layer, e.g. {@code layer #2 "dense_1" (Dense)}
     * @param reader reads nested layers (TimeDistributed's {@code layer})
     */
    public LayerConfig(JsonNode config, String where, LayerReader reader) {
        this.config = Objects.requireNonNull(config);
        this.where = where;
        this.reader = reader;
    }

    /** How messages name this layer. */
    public String where() {
        return where;
    }

    public boolean has(String key) {
        JsonNode value = config.get(key);
        return value != null && !value.isNull();
    }

    /** Whether the key is written with the value null (Keras's None), as opposed to left out. */
    public boolean isNull(String key) {
        JsonNode value = config.get(key);
        return value != null && value.isNull();
    }

    public int requireInt(String key) {
        if (!has(key)) {
            throw problem("has no '" + key + "', which this layer needs");
        }
        return intValue(config.get(key), key);
    }

    public int getInt(String key, int fallback) {
        return has(key) ? intValue(config.get(key), key) : fallback;
    }

    public double getDouble(String key, double fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode value = config.get(key);
        if (!value.isNumber()) {
            throw problem("has '" + key + "': " + value + ", which should be a number");
        }
        return value.asDouble();
    }

    public boolean getBoolean(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode value = config.get(key);
        if (!value.isBoolean()) {
            throw problem("has '" + key + "': " + value + ", which should be true or false");
        }
        return value.asBoolean();
    }

    public String getString(String key, String fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode value = config.get(key);
        if (!value.isTextual()) {
            throw problem("has '" + key + "': " + value + ", which should be a string");
        }
        return value.asText();
    }

    /**
     * An activation by name. Keras 3 may write a built-in activation as an object whose
     * {@code config} is the name; both forms are accepted.
     */
    public String getActivation(String key, String fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode value = config.get(key);
        if (value.isObject() && value.path("config").isTextual()) {
            return value.path("config").asText();
        }
        if (!value.isTextual()) {
            throw problem("has '" + key + "': " + value + ", which should be an activation name such as \"relu\";"
                    + " custom activation functions are not supported");
        }
        return value.asText();
    }

    /** An int or a list of {@code rank} ints (Keras accepts both for kernel sizes and strides). */
    public int[] getTuple(String key, int rank, int[] fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode value = config.get(key);
        if (value.isInt()) {
            int[] out = new int[rank];
            java.util.Arrays.fill(out, value.asInt());
            return out;
        }
        if (!value.isArray() || value.size() != rank) {
            throw problem("has '" + key + "': " + value + ", which should be an int or a list of " + rank + " ints");
        }
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = intValue(value.get(i), key);
        }
        return out;
    }

    /** Like {@link #getTuple} for an option the layer cannot do without. */
    public int[] requireTuple(String key, int rank) {
        if (!has(key)) {
            throw problem("has no '" + key + "', which this layer needs");
        }
        return getTuple(key, rank, null);
    }

    /** A list of sizes where {@code null} means {@link Shape#NONE}, e.g. {@code batch_input_shape}. */
    public int[] getSizes(String key) {
        JsonNode value = config.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw problem("has '" + key + "': " + value + ", which should be a list of sizes like [null, 28, 28, 1]");
        }
        int[] out = new int[value.size()];
        Iterator<JsonNode> items = value.elements();
        for (int i = 0; items.hasNext(); i++) {
            JsonNode item = items.next();
            out[i] = item.isNull() ? Shape.NONE : intValue(item, key);
        }
        return out;
    }

    /** BatchNormalization's axis: an int, or (tf.keras 2 after building) a one-element list. */
    public int getAxis(String key, int fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode value = config.get(key);
        if (value.isArray()) {
            if (value.size() != 1) {
                throw problem("has '" + key + "': " + value + "; normalizing over several axes is not supported");
            }
            return intValue(value.get(0), key);
        }
        return intValue(value, key);
    }

    /** Reads the nested layer object under {@code key}. */
    public Layer getLayer(String key) {
        if (!has(key) || !config.get(key).isObject()) {
            throw problem("has no '" + key + "' object naming the wrapped layer");
        }
        return reader.read(config.get(key), where + " > wrapped layer");
    }

    /**
     * Rejects an option whose value changes what the layer computes but that ShapeLab does not implement.
     * Absent or equal to Keras's default is fine.
     */
    public void requireDefault(String key, Object kerasDefault) {
        if (!has(key)) {
            return;
        }
        JsonNode value = config.get(key);
        boolean same = kerasDefault instanceof Boolean b ? value.isBoolean() && value.asBoolean() == b
                : kerasDefault instanceof Integer i ? value.isInt() && value.asInt() == i
                : value.isTextual() && value.asText().equals(kerasDefault);
        if (!same) {
            throw problem("sets '" + key + "' to " + value + ", which ShapeLab does not support (only the default, "
                    + kerasDefault + "). Remove the option or set it to " + kerasDefault);
        }
    }

    private int intValue(JsonNode value, String key) {
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.asInt();
        }
        if (value.isNumber() && value.asDouble() == Math.rint(value.asDouble())) {
            return (int) value.asDouble();
        }
        throw problem("has '" + key + "': " + value + ", which should be a whole number");
    }

    /** A complete message about this layer's config. */
    public ShapeException problem(String what) {
        return new ShapeException("Keras JSON: " + where + " " + what + ".");
    }
}
