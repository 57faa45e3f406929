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

    /** A Sequential or functional model. */
    static Model readModel(String json) {
        JsonNode root = modelRoot(json);
        String className = root.path("class_name").asText("");
        if (className.equals("Functional") || className.equals("Model")) {
            return readFunctional(root);
        }
        return readSequential(root);
    }

    static Sequential read(String json) {
        JsonNode root = modelRoot(json);
        String className = root.path("class_name").asText("");
        if (className.equals("Functional") || className.equals("Model")) {
            throw new ShapeException("Keras JSON: this is a functional model (class_name \"" + className + "\"), not a"
                    + " Sequential one. Fix: read it with Model.fromKerasJson(json), which gives a Functional model.");
        }
        return readSequential(root);
    }

    private static JsonNode modelRoot(String json) {
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
        return root;
    }

    private static Sequential readSequential(JsonNode root) {
        String className = root.path("class_name").asText("");
        if (!className.equals("Sequential")) {
            throw new ShapeException("Keras JSON: the model's class_name is \"" + className + "\"; ShapeLab reads"
                    + " Sequential and functional (\"Functional\", \"Model\") models.");
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
        if (layers.isEmpty()) {
            throw new ShapeException("Keras JSON: the Sequential model has no layers.");
        }
        Sequential model = new Sequential(name).withInput(Input.shape(input));
        for (Layer layer : layers) {
            model.add(layer);
        }
        return model;
    }

    // ---- functional models ----

    /**
     * A functional model in any dialect: inbound nodes as {@code [[["dense", 0, 0, {}], ...]]} (tf.keras 2,
     * TensorFlow.js) or as {@code [{"args": [...], "kwargs": {...}}]} with {@code __keras_tensor__} entries (Keras 3).
     * Calls are replayed as soon as the tensors they read exist, so a shared layer's later call may come after
     * layers listed below it.
     */
    private static Functional readFunctional(JsonNode root) {
        JsonNode config = root.path("config");
        JsonNode entries = config.path("layers");
        if (!entries.isArray()) {
            throw new ShapeException("Keras JSON: the functional model has no \"layers\" list in its \"config\".");
        }
        String name = config.path("name").asText("functional");
        Map<String, List<List<org.shapelab.layers.Tensor>>> produced = new LinkedHashMap<>();
        Map<String, Input> inputs = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        Map<String, Layer> layers = new LinkedHashMap<>();
        Map<String, List<JsonNode>> pending = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String where = "layer #" + (i + 1);
            String layerName = entry.path("name").asText(entry.path("config").path("name").asText(null));
            if (layerName == null) {
                throw new ShapeException("Keras JSON: " + where + " of the functional model has no name.");
            }
            if (isMaskOp(entry)) {
                // Keras 3 writes the mask Masking makes as ops of its own (not_equal, then any) passed to the next
                // layer as its mask= argument; ShapeLab's layers pass masks on themselves, so these are left out.
                continue;
            }
            names.add(layerName);
            if ("InputLayer".equals(entry.path("class_name").asText())) {
                Shape shape = inputShape(entry.path("config"), where + " \"" + layerName + "\" (InputLayer)");
                Input input = Input.shape(shape).name(layerName);
                inputs.put(layerName, input);
                produced.put(layerName, new ArrayList<>(List.of(List.of(input))));
                continue;
            }
            layers.put(layerName, KerasLayers.read(entry, where));
            List<JsonNode> calls = new ArrayList<>();
            entry.path("inbound_nodes").forEach(calls::add);
            pending.put(layerName, calls);
            produced.put(layerName, new ArrayList<>());
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String layerName : names) {
                List<JsonNode> calls = pending.get(layerName);
                while (calls != null && !calls.isEmpty()) {
                    List<org.shapelab.layers.Tensor> args = callInputs(calls.get(0), produced, layerName);
                    if (args == null) {
                        break;
                    }
                    calls.remove(0);
                    Layer layer = layers.get(layerName);
                    produced.get(layerName).add(layer.applyAll(args.toArray(org.shapelab.layers.Tensor[]::new)));
                    progress = true;
                }
            }
        }
        pending.forEach((layerName, calls) -> {
            if (!calls.isEmpty()) {
                throw new ShapeException("Keras JSON: layer \"" + layerName + "\" reads tensors that no layer of the"
                        + " file produces: " + calls.get(0) + ".");
            }
        });
        List<Input> modelInputs = new ArrayList<>();
        for (JsonNode ref : references(config.path("input_layers"))) {
            org.shapelab.layers.Tensor tensor = lookup(ref, produced, "input_layers");
            if (!(tensor instanceof Input input)) {
                throw new ShapeException("Keras JSON: input_layers names " + ref + ", which is not an InputLayer.");
            }
            modelInputs.add(input);
        }
        List<org.shapelab.layers.Tensor> modelOutputs = new ArrayList<>();
        for (JsonNode ref : references(config.path("output_layers"))) {
            modelOutputs.add(lookup(ref, produced, "output_layers"));
        }
        return Functional.of(name, modelInputs, modelOutputs);
    }

    /** Keras 3's ops that compute a Masking layer's mask inside a functional graph. */
    private static boolean isMaskOp(JsonNode entry) {
        String className = entry.path("class_name").asText();
        return (className.equals("NotEqual") || className.equals("Any"))
                && entry.path("module").asText("").startsWith("keras.src.ops");
    }

    /** {@code [["a", 0, 0], ["b", 0, 0]]}, or Keras 3's single {@code ["a", 0, 0]}. */
    private static List<JsonNode> references(JsonNode list) {
        List<JsonNode> refs = new ArrayList<>();
        if (list.isArray() && list.size() > 0 && list.get(0).isTextual()) {
            refs.add(list);
        } else {
            list.forEach(refs::add);
        }
        if (refs.isEmpty()) {
            throw new ShapeException("Keras JSON: the functional model lists no input_layers or output_layers.");
        }
        return refs;
    }

    private static org.shapelab.layers.Tensor lookup(JsonNode ref, Map<String, List<List<org.shapelab.layers.Tensor>>>
            produced, String where) {
        String layerName = ref.get(0).asText();
        int node = ref.size() > 1 ? ref.get(1).asInt() : 0;
        int index = ref.size() > 2 ? ref.get(2).asInt() : 0;
        List<List<org.shapelab.layers.Tensor>> calls = produced.get(layerName);
        if (calls == null || node >= calls.size() || index >= calls.get(node).size()) {
            return null;
        }
        return calls.get(node).get(index);
    }

    /** The tensors a serialized call reads, in order (x first, then initial states), or null if not all exist yet. */
    private static List<org.shapelab.layers.Tensor> callInputs(JsonNode call, Map<String,
            List<List<org.shapelab.layers.Tensor>>> produced, String layerName) {
        List<JsonNode> refs = new ArrayList<>();
        if (call.isObject()) {
            collectKerasTensors(call.path("args"), refs);
            JsonNode kwargs = call.path("kwargs");
            collectKerasTensors(kwargs.path("initial_state"), refs);
        } else {
            for (JsonNode entry : call) {
                refs.add(entry);
                JsonNode kwargs = entry.size() > 3 ? entry.get(3) : null;
                if (kwargs != null && kwargs.has("initial_state")) {
                    JsonNode states = kwargs.get("initial_state");
                    if (states.isArray() && states.size() > 0 && states.get(0).isTextual()) {
                        refs.add(states);
                    } else {
                        states.forEach(refs::add);
                    }
                }
            }
        }
        List<org.shapelab.layers.Tensor> tensors = new ArrayList<>();
        for (JsonNode ref : refs) {
            org.shapelab.layers.Tensor tensor = lookup(ref, produced, "layer \"" + layerName + "\"");
            if (tensor == null) {
                return null;
            }
            tensors.add(tensor);
        }
        return tensors;
    }

    /** Keras 3's {@code {"class_name": "__keras_tensor__", "config": {"keras_history": [name, node, index]}}}. */
    private static void collectKerasTensors(JsonNode value, List<JsonNode> refs) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return;
        }
        if (value.isArray()) {
            value.forEach(item -> collectKerasTensors(item, refs));
        } else if (value.isObject() && "__keras_tensor__".equals(value.path("class_name").asText())) {
            refs.add(value.path("config").path("keras_history"));
        }
    }

    /** An InputLayer's shape with the batch axis (a fixed batch size kept). */
    private static Shape inputShape(JsonNode config, String where) {
        return batchShape(config, where, true);
    }

    /** tf.keras 2's functional JSON, which tf.keras, TensorFlow.js and ShapeLab read. */
    static String write(Functional model) {
        List<Object> layers = new ArrayList<>();
        for (Input input : model.inputs()) {
            Map<String, Object> inputConfig = new LinkedHashMap<>();
            inputConfig.put("batch_input_shape", Layer.sizesForJson(input.shape().dims()));
            inputConfig.put("dtype", "float32");
            inputConfig.put("sparse", false);
            inputConfig.put("ragged", false);
            inputConfig.put("name", model.inputName(input));
            Map<String, Object> entry = entry("InputLayer", inputConfig);
            entry.put("name", model.inputName(input));
            entry.put("inbound_nodes", List.of());
            layers.add(entry);
        }
        for (Layer layer : model.layers()) {
            Map<String, Object> entry = entry(layer.kerasClassName(), layer.getConfig());
            entry.put("name", layer.name());
            List<Object> calls = new ArrayList<>();
            for (org.shapelab.layers.Node node : model.nodes()) {
                if (node.layer() == layer) {
                    List<Object> refs = new ArrayList<>();
                    for (org.shapelab.layers.Tensor tensor : node.inputs()) {
                        List<Object> ref = new ArrayList<>(historyOf(model, tensor));
                        ref.add(Map.of());
                        refs.add(ref);
                    }
                    calls.add(refs);
                }
            }
            entry.put("inbound_nodes", calls);
            layers.add(entry);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", model.name());
        config.put("layers", layers);
        config.put("input_layers", model.inputs().stream().map(input -> historyOf(model, input)).toList());
        config.put("output_layers", model.outputs().stream().map(output -> historyOf(model, output)).toList());
        Map<String, Object> root = entry("Functional", config);
        root.put("keras_version", "2.15.0");
        root.put("backend", "tensorflow");
        return toJson(root, model.name());
    }

    /** {@code [layer name, node index, tensor index]}. */
    private static List<Object> historyOf(Functional model, org.shapelab.layers.Tensor tensor) {
        if (tensor instanceof Input input) {
            return List.of(model.inputName(input), 0, 0);
        }
        return List.of(tensor.node().layer().name(), tensor.node().index(), tensor.index());
    }

    private static String toJson(Map<String, Object> root, String modelName) {
        try {
            JsonNode tree = MAPPER.valueToTree(root);
            // tf.keras 2 and TensorFlow.js name their own hard sigmoid hard_sigmoid; ShapeLab names it apart
            org.shapelab.layers.Activations.rename(tree, org.shapelab.layers.Activations.HARD_SIGMOID_KERAS2, "hard_sigmoid");
            return MAPPER.copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write Keras JSON for model \"" + modelName + "\": "
                    + e.getMessage(), e);
        }
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
        return Shape.summary(dims).withBatchSize(dims[0]);
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
        return toJson(root, model.name());
    }

    private static Map<String, Object> entry(String className, Map<String, Object> config) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("class_name", className);
        entry.put("config", config);
        return entry;
    }
}
