package org.shapelab.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

import org.shapelab.shape.ShapeException;

/** Creates layers from Keras JSON entries {@code {"class_name": ..., "config": {...}}}. */
public final class KerasLayers {

    private static final Map<String, Function<LayerConfig, Layer>> READERS = new LinkedHashMap<>();

    static {
        READERS.put("Dense", Dense::fromConfig);
        READERS.put("Conv1D", Conv1D::fromConfig);
        READERS.put("Conv2D", Conv2D::fromConfig);
        READERS.put("LSTM", LSTM::fromConfig);
        READERS.put("GRU", GRU::fromConfig);
        READERS.put("SimpleRNN", SimpleRNN::fromConfig);
        READERS.put("Flatten", Flatten::fromConfig);
        READERS.put("Reshape", Reshape::fromConfig);
        READERS.put("Permute", Permute::fromConfig);
        READERS.put("MaxPooling1D", MaxPooling1D::fromConfig);
        READERS.put("MaxPooling2D", MaxPooling2D::fromConfig);
        READERS.put("AveragePooling1D", AveragePooling1D::fromConfig);
        READERS.put("AveragePooling2D", AveragePooling2D::fromConfig);
        READERS.put("GlobalAveragePooling1D", GlobalAveragePooling1D::fromConfig);
        READERS.put("GlobalAveragePooling2D", GlobalAveragePooling2D::fromConfig);
        READERS.put("GlobalMaxPooling1D", GlobalMaxPooling1D::fromConfig);
        READERS.put("GlobalMaxPooling2D", GlobalMaxPooling2D::fromConfig);
        READERS.put("Dropout", Dropout::fromConfig);
        READERS.put("Activation", Activation::fromConfig);
        READERS.put("Embedding", Embedding::fromConfig);
        READERS.put("BatchNormalization", BatchNormalization::fromConfig);
        READERS.put("TimeDistributed", TimeDistributed::fromConfig);
        READERS.put("Bidirectional", Bidirectional::fromConfig);
        READERS.put("RepeatVector", RepeatVector::fromConfig);
        READERS.put("Masking", Masking::fromConfig);
        READERS.put("Add", Add::fromConfig);
        READERS.put("Subtract", Subtract::fromConfig);
        READERS.put("Multiply", Multiply::fromConfig);
        READERS.put("Average", Average::fromConfig);
        READERS.put("Maximum", Maximum::fromConfig);
        READERS.put("Minimum", Minimum::fromConfig);
        READERS.put("Concatenate", Concatenate::fromConfig);
        READERS.put("Dot", Dot::fromConfig);
    }

    /** Keras's other spellings of the same classes (tf.keras aliases). */
    private static final Map<String, String> ALIASES = Map.of(
            "Convolution1D", "Conv1D", "Convolution2D", "Conv2D",
            "MaxPool1D", "MaxPooling1D", "MaxPool2D", "MaxPooling2D",
            "AvgPool1D", "AveragePooling1D", "AvgPool2D", "AveragePooling2D",
            "GlobalAvgPool1D", "GlobalAveragePooling1D", "GlobalAvgPool2D", "GlobalAveragePooling2D",
            "GlobalMaxPool1D", "GlobalMaxPooling1D", "GlobalMaxPool2D", "GlobalMaxPooling2D");

    private KerasLayers() {
    }

    /** The Keras class names ShapeLab can build. */
    public static Set<String> supported() {
        return READERS.keySet();
    }

    /**
     * Builds the (unbuilt) layer an entry describes, named as in the file.
     *
     * @param where how messages name this entry, e.g. {@code layer #3}
     */
    public static Layer read(JsonNode entry, String where) {
        if (entry == null || !entry.isObject()) {
            throw new ShapeException("Keras JSON: " + where + " should be an object with \"class_name\" and \"config\";"
                    + " found " + entry + ".");
        }
        String className = entry.path("class_name").asText(null);
        if (className == null) {
            throw new ShapeException("Keras JSON: " + where + " has no \"class_name\" (such as \"Dense\").");
        }
        Function<LayerConfig, Layer> reader = READERS.get(ALIASES.getOrDefault(className, className));
        JsonNode config = entry.path("config");
        String name = config.path("name").asText(null);
        String described = where + (name != null ? " \"" + name + "\"" : "") + " (" + className + ")";
        if (reader == null) {
            String closest = Names.closest(className, READERS.keySet());
            throw new ShapeException("Keras JSON: " + described + " uses the layer class " + className
                    + ", which ShapeLab does not support." + (closest != null ? " Did you mean " + closest + "?" : "")
                    + " Supported: " + String.join(", ", READERS.keySet()) + ".");
        }
        if (!config.isObject()) {
            throw new ShapeException("Keras JSON: " + described + " has no \"config\" object with its options.");
        }
        Layer layer;
        try {
            layer = reader.apply(new LayerConfig(config, described, KerasLayers::read));
        } catch (ShapeException e) {
            throw e.getMessage().startsWith("Keras JSON") ? e
                    : new ShapeException("Keras JSON: " + described + ": " + e.getMessage());
        }
        if (name != null) {
            layer.name(name);
        }
        return layer;
    }
}
