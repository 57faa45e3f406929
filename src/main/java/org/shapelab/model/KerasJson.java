package org.shapelab.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.shapelab.layers.Input;
import org.shapelab.layers.KerasLayers;
import org.shapelab.layers.Layer;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * Keras model JSON, as {@code model.to_json()} writes it. Reads the tf.keras 2 dialect (input shape as
 * {@code batch_input_shape}), the Keras 3 dialect ({@code module}, {@code registered_name}, an
 * {@code InputLayer} with {@code batch_shape}, {@code build_config}) and TensorFlow.js's
 * {@code model.toJSON()} (also wrapped as {@code modelTopology} in a model.json file). Writes the
 * tf.keras 2 dialect, which tf.keras, TensorFlow.js and ShapeLab read.
 */
final class KerasJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private KerasJson() {
    }

    static Sequential read(String json) {
        if (json == null || json.isBlank()) {
            throw new ShapeException("Keras JSON: the text is empty. Pass the string that model.to_json() returns"
                    + " (it starts with {\"class_name\": \"Sequential\", ...}).");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ShapeException("Keras JSON is malformed: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + "). Fix: pass the"
                    + " complete text of model.to_json(), unchanged.");
        }
        if (root.has("modelTopology")) {
            root = root.get("modelTopology");
        }
        if (root.has("model_config")) {
            root = root.get("model_config");
        }
        String className = root.path("class_name").asText("");
        if (!className.equals("Sequential")) {
            throw new ShapeException("Keras JSON: the model's class_name is \"" + className + "\"; ShapeLab reads"
                    + " Sequential models only (a stack of layers, each feeding the next)."
                    + (className.equals("Functional") || className.equals("Model")
                    ? " Rebuild the model with keras.Sequential([...]) if it has no branches." : ""));
        }
        JsonNode config = root.path("config");
        JsonNode layerEntries = config.isArray() ? config : config.path("layers");
        if (!layerEntries.isArray()) {
            throw new ShapeException("Keras JSON: the Sequential model has no \"layers\" list in its \"config\".");
        }
        String name = config.path("name").asText("sequential");

        Shape input = null;
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < layerEntries.size(); i++) {
            JsonNode entry = layerEntries.get(i);
            String where = "layer #" + (i + 1);
            if ("InputLayer".equals(entry.path("class_name").asText())) {
                if (!layers.isEmpty()) {
                    throw new ShapeException("Keras JSON: " + where + " is an InputLayer after other layers; in a"
                            + " Sequential model the input comes first.");
                }
                input = batchShape(entry.path("config"), where + " (InputLayer)", true);
                continue;
            }
            if (input == null && layers.isEmpty()) {
                input = batchShape(entry.path("config"), where, false);
                if (input == null && entry.path("build_config").has("input_shape")) {
                    input = sizes(entry.path("build_config").path("input_shape"), where + " build_config");
                }
            }
            layers.add(KerasLayers.read(entry, where));
        }
        if (input == null && config.has("build_input_shape")) {
            input = sizes(config.get("build_input_shape"), "the model's build_input_shape");
        }
        if (input == null) {
            throw new ShapeException("Keras JSON: the model does not say its input shape (no InputLayer, no"
                    + " batch_input_shape on the first layer). Fix: save a built model, e.g. one made with"
                    + " keras.Input(shape=...) or input_shape=... on its first layer.");
        }
        Sequential model = new Sequential(name);
        model.add(firstWithInput(layers, input));
        for (int i = 1; i < layers.size(); i++) {
            model.add(layers.get(i));
        }
        return model;
    }

    private static Layer firstWithInput(List<Layer> layers, Shape input) {
        if (layers.isEmpty()) {
            throw new ShapeException("Keras JSON: the Sequential model has no layers.");
        }
        return layers.get(0).inputShape(input.sampleShape().dims());
    }

    /** {@code batch_shape} (Keras 3) or {@code batch_input_shape} (tf.keras 2, TF.js), or null. */
    private static Shape batchShape(JsonNode config, String where, boolean required) {
        JsonNode sizes = config.has("batch_shape") ? config.get("batch_shape") : config.get("batch_input_shape");
        if (sizes == null || sizes.isNull()) {
            if (required) {
                throw new ShapeException("Keras JSON: " + where + " has neither batch_shape nor batch_input_shape.");
            }
            return null;
        }
        return sizes(sizes, where);
    }

    private static Shape sizes(JsonNode sizes, String where) {
        if (!sizes.isArray() || sizes.size() < 2) {
            throw new ShapeException("Keras JSON: " + where + " has the input shape " + sizes + "; expected a list"
                    + " with the batch axis first, like [null, 28, 28, 1].");
        }
        int[] dims = new int[sizes.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode size = sizes.get(i);
            if (size.isNull()) {
                dims[i] = Shape.NONE;
            } else if (size.canConvertToInt() && size.asInt() > 0) {
                dims[i] = size.asInt();
            } else {
                throw new ShapeException("Keras JSON: " + where + " has the input shape " + sizes + ", whose axis " + i
                        + " is " + size + "; sizes are positive whole numbers or null.");
            }
        }
        return Shape.summary(dims);
    }

    static String write(Sequential model) {
        List<Object> layers = new ArrayList<>();
        Map<String, Object> inputConfig = new LinkedHashMap<>();
        List<Integer> batchInputShape = Layer.sizesForJson(model.inputShape().dims());
        inputConfig.put("batch_input_shape", batchInputShape);
        inputConfig.put("dtype", "float32");
        inputConfig.put("sparse", false);
        inputConfig.put("ragged", false);
        inputConfig.put("name", model.layers().isEmpty() ? "input_1" : model.layers().get(0).name() + "_input");
        layers.add(entry("InputLayer", inputConfig));
        boolean first = true;
        for (Layer layer : model.layers()) {
            Map<String, Object> config = layer.getConfig();
            if (first) {
                Map<String, Object> withShape = new LinkedHashMap<>();
                config.forEach((key, value) -> {
                    withShape.put(key, value);
                    if (key.equals("dtype")) {
                        withShape.put("batch_input_shape", batchInputShape);
                    }
                });
                config = withShape;
                first = false;
            }
            layers.add(entry(layer.kerasClassName(), config));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", model.name());
        config.put("layers", layers);
        Map<String, Object> root = entry("Sequential", config);
        try {
            return MAPPER.copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write Keras JSON for model \"" + model.name() + "\": "
                    + e.getMessage(), e);
        }
    }

    private static Map<String, Object> entry(String className, Map<String, Object> config) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("class_name", className);
        entry.put("config", config);
        return entry;
    }
}
