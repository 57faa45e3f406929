package org.shapelab.io;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.shapelab.layers.Input;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Node;
import org.shapelab.model.Functional;
import org.shapelab.model.Model;
import org.shapelab.shape.Shape;

/**
 * The {@code config.json} of a {@code .keras} file, in the form Keras 3 writes and {@code keras.models.load_model}
 * requires: every object carries {@code module} and {@code registered_name} beside {@code class_name} and
 * {@code config} (keras/src/saving/serialization_lib.py: {@code serialize_keras_object}; a model without
 * {@code module} is "Could not locate class 'Sequential'"), InputLayer has {@code batch_shape}, and a functional
 * layer's calls are {@code {"args": [...], "kwargs": {...}}} of {@code __keras_tensor__} objects with their
 * {@code keras_history}. Made from {@code model.toKerasJson()} (the tf.keras 2 form), so each layer's options are
 * written in one place.
 */
final class Keras3Config {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> RECURRENT = Set.of("LSTM", "GRU", "SimpleRNN");

    private Keras3Config() {
    }

    static String of(Model model) {
        for (org.shapelab.layers.Layer layer : model.layers()) {
            String option = keras2HardSigmoid(layer.getConfig());
            if (option != null) {
                throw new org.shapelab.shape.ShapeException("Layer " + layer.describe() + " has " + option
                        + " hard_sigmoid as TensorFlow.js and tf.keras 2 compute it, clip(0.2x + 0.5, 0, 1), which"
                        + " Keras 3 does not have: its hard_sigmoid is relu6(x + 3) / 6, so a .keras file would give"
                        + " other numbers. Fix: keep the model for TensorFlow.js (toKerasJson() writes the function as"
                        + " their hard_sigmoid), or rebuild the layer with Keras 3's \"hard_sigmoid\" and train it again.");
            }
        }
        JsonNode legacy;
        try {
            legacy = MAPPER.readTree(model.toKerasJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ShapeLab wrote Keras JSON it cannot read back: " + e.getMessage(), e);
        }
        ObjectNode config = (ObjectNode) legacy.get("config");
        Map<String, Shape> shapes = model instanceof Functional functional ? tensorShapes(functional) : Map.of();
        ArrayNode layers = MAPPER.createArrayNode();
        JsonNode batchShape = null;
        for (JsonNode entry : config.get("layers")) {
            ObjectNode layer = layer(entry);
            if (entry.path("class_name").asText().equals("InputLayer") && batchShape == null) {
                batchShape = layer.path("config").path("batch_shape");
            }
            if (entry.has("inbound_nodes")) {
                layer.set("name", entry.get("name"));
                layer.set("inbound_nodes", calls(entry, shapes));
            }
            layers.add(layer);
        }
        ObjectNode keras3Config = MAPPER.createObjectNode();
        keras3Config.set("name", config.get("name"));
        keras3Config.put("trainable", true);
        keras3Config.set("layers", layers);
        ObjectNode root = MAPPER.createObjectNode();
        if (model instanceof Functional) {
            keras3Config.set("input_layers", config.get("input_layers"));
            keras3Config.set("output_layers", config.get("output_layers"));
            root.put("module", "keras.src.models.functional");
            root.put("class_name", "Functional");
        } else {
            keras3Config.set("build_input_shape", batchShape);
            root.put("module", "keras");
            root.put("class_name", "Sequential");
        }
        root.set("config", keras3Config);
        root.putNull("registered_name");
        if (!(model instanceof Functional) && batchShape != null) {
            root.putObject("build_config").set("input_shape", batchShape);
        }
        root.putNull("compile_config");
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A layer entry: module, class_name, config (nested objects converted too), registered_name. */
    private static ObjectNode layer(JsonNode entry) {
        ObjectNode config = entry.get("config").deepCopy();
        if (entry.path("class_name").asText().equals("InputLayer")) {
            JsonNode shape = config.remove("batch_input_shape");
            ObjectNode input = MAPPER.createObjectNode();
            input.set("batch_shape", shape);
            config.fields().forEachRemaining(field -> input.set(field.getKey(), field.getValue()));
            config = input;
        } else {
            config.remove("batch_input_shape");
            convertNested(config);
        }
        return object("keras.layers", entry.path("class_name").asText(), config);
    }

    private static void convertNested(ObjectNode config) {
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (!value.isObject() || !value.has("class_name") || !value.has("config")) {
                continue;
            }
            String key = field.getKey();
            if (key.equals("layer") || key.equals("backward_layer")) {
                field.setValue(layer(value));
            } else {
                String module = key.endsWith("_initializer") ? "keras.initializers"
                        : key.endsWith("_regularizer") ? "keras.regularizers"
                        : key.endsWith("_constraint") ? "keras.constraints" : "keras";
                field.setValue(object(module, value.get("class_name").asText(), value.get("config").deepCopy()));
            }
        }
    }

    private static ObjectNode object(String module, String className, JsonNode config) {
        ObjectNode object = MAPPER.createObjectNode();
        object.put("module", module);
        object.put("class_name", className);
        object.set("config", config);
        object.putNull("registered_name");
        return object;
    }

    /** tf.keras 2 calls {@code [[["dense", 0, 0, {}], ...]]} as Keras 3's {@code [{"args": [...], "kwargs": {}}]}. */
    private static ArrayNode calls(JsonNode entry, Map<String, Shape> shapes) {
        ArrayNode calls = MAPPER.createArrayNode();
        boolean recurrent = RECURRENT.contains(entry.path("class_name").asText());
        for (JsonNode call : entry.get("inbound_nodes")) {
            ObjectNode node = calls.addObject();
            ArrayNode args = node.putArray("args");
            ObjectNode kwargs = node.putObject("kwargs");
            List<JsonNode> refs = MAPPER.convertValue(call, MAPPER.getTypeFactory()
                    .constructCollectionType(List.class, JsonNode.class));
            if (refs.size() == 1) {
                args.add(tensor(refs.get(0), shapes));
            } else if (recurrent) {
                args.add(tensor(refs.get(0), shapes));
                ArrayNode states = kwargs.putArray("initial_state");
                refs.subList(1, refs.size()).forEach(ref -> states.add(tensor(ref, shapes)));
            } else {
                ArrayNode list = args.addArray();
                refs.forEach(ref -> list.add(tensor(ref, shapes)));
            }
        }
        return calls;
    }

    private static ObjectNode tensor(JsonNode ref, Map<String, Shape> shapes) {
        ObjectNode tensor = MAPPER.createObjectNode();
        tensor.put("class_name", "__keras_tensor__");
        ObjectNode config = tensor.putObject("config");
        Shape shape = shapes.get(key(ref.get(0).asText(), ref.get(1).asInt(), ref.get(2).asInt()));
        if (shape != null) {
            config.set("shape", MAPPER.valueToTree(Layer.sizesForJson(shape.dims())));
        } else {
            config.putNull("shape");
        }
        config.put("dtype", "float32");
        ArrayNode history = config.putArray("keras_history");
        history.add(ref.get(0).asText()).add(ref.get(1).asInt()).add(ref.get(2).asInt());
        return tensor;
    }

    private static Map<String, Shape> tensorShapes(Functional model) {
        Map<String, Shape> shapes = new HashMap<>();
        for (Input input : model.inputs()) {
            shapes.put(key(model.inputName(input), 0, 0), input.shape());
        }
        for (Node node : model.nodes()) {
            for (int i = 0; i < node.outputs().size(); i++) {
                shapes.put(key(node.layer().name(), node.index(), i), node.outputs().get(i).shape());
            }
        }
        return shapes;
    }

    /** The option (possibly of a wrapped layer) set to tf.keras 2's hard sigmoid, or null. */
    private static String keras2HardSigmoid(Map<?, ?> config) {
        for (Map.Entry<?, ?> option : config.entrySet()) {
            if (org.shapelab.layers.Activations.HARD_SIGMOID_KERAS2.equals(option.getValue())) {
                return String.valueOf(option.getKey());
            }
            if (option.getValue() instanceof Map<?, ?> nested) {
                String inner = keras2HardSigmoid(nested);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    private static String key(String layer, int node, int tensor) {
        return layer + "/" + node + "/" + tensor;
    }
}
