package org.shapelab.reference;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One model of a fuzz corpus (a line of tools/keras-reference/fuzz.mjs's JSON Lines): its Keras JSON, the shapes
 * and parameter counts Keras gives it, its weights in {@code get_weights()} order, and inputs with Keras's outputs.
 * Arrays stay JSON here; only {@link CaseCheck} turns them into ND4J arrays, so reading a corpus loads no ND4J.
 */
record ReferenceCase(String id, String family, String oracle, String description, String modelJson,
                     List<LayerFacts> layers, long totalParams, long trainableParams, List<Weight> weights,
                     List<Run> runs) {

    /** What Keras says of one layer: output shape (null for None and the batch), parameter counts. */
    record LayerFacts(String name, String className, List<Integer> outputShape, long params, long trainableParams) {
    }

    record Weight(String layer, String name, JsonNode array) {
    }

    /** A batch given to the model and Keras's output for it (each {@code {"shape": [...], "data": [...]}}). */
    record Run(JsonNode input, JsonNode output) {
    }

    static ReferenceCase of(JsonNode c) {
        List<LayerFacts> layers = new ArrayList<>();
        c.get("layers").forEach(l -> layers.add(new LayerFacts(l.get("name").asText(), l.get("class_name").asText(),
                dims(l.get("output_shape")), l.get("params").asLong(), l.path("trainable_params").asLong(-1))));
        List<Weight> weights = new ArrayList<>();
        c.get("weights").forEach(w -> weights.add(new Weight(w.get("layer").asText(), w.get("name").asText(), w)));
        List<Run> runs = new ArrayList<>();
        c.get("runs").forEach(r -> runs.add(new Run(r.get("input"), r.get("output"))));
        return new ReferenceCase(c.get("id").asText(), c.path("family").asText("?"), c.path("oracle").asText("tfjs"),
                c.path("description").asText(""), c.get("model").toString(), layers, c.get("total_params").asLong(),
                c.path("trainable_params").asLong(-1), weights, runs);
    }

    /** A JSON shape with {@code null} for unknown axes, as a list with null kept. */
    static List<Integer> dims(JsonNode shape) {
        List<Integer> dims = new ArrayList<>();
        shape.forEach(d -> dims.add(d.isNull() ? null : d.asInt()));
        return dims;
    }
}
