package org.shapelab.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.layers.Layer;
import org.shapelab.model.Functional;
import org.shapelab.model.Model;
import org.shapelab.model.Sequential;

/**
 * Keras 3's own JSON of the graph references (tools/keras-reference/graphs-keras3.py wrote {@code model.to_json()}
 * for a subset of cases.jsonl, with Keras 3.15.1): read by ShapeLab, each model has the same layers, output shapes
 * and parameters as the TF.js JSON of the same case, and with that case's weights gives its outputs. Keras 3's
 * functional JSON uses {@code {"args": [{"class_name": "__keras_tensor__", ...}]}} inbound nodes, initial states as
 * {@code kwargs}, and a single input as a flat {@code input_layers}.
 */
class Keras3DialectTest {

    static List<JsonNode> keras3Cases() throws IOException {
        try (InputStream in = Keras3DialectTest.class.getResourceAsStream("/keras-reference/graphs/keras3.jsonl")) {
            List<JsonNode> cases = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode c = json.readTree(line);
                // Error scenarios carry no model; models Keras 3 refuses (go_backwards inside Bidirectional) neither.
                if (c.hasNonNull("model") && c.hasNonNull("max_abs_diff")) {
                    cases.add(c);
                }
            }
            return cases;
        }
    }

    /**
     * Keras 3 writes a functional model whose Masking feeds another layer with the mask's ops (NotEqual, Any) as
     * nodes of their own, passed as {@code mask=}; ShapeLab's reader leaves them out, as its layers pass masks on.
     */
    private static boolean hasMaskOps(JsonNode model) {
        return model.toString().contains("\"class_name\":\"NotEqual\"") || model.toString().contains("\"class_name\":\"Any\"");
    }

    @TestFactory
    Stream<DynamicTest> keras3JsonGivesTheSameModel() throws IOException {
        Map<String, JsonNode> tfjs = new HashMap<>();
        for (JsonNode c : GraphReferenceTest.cases()) {
            tfjs.put(c.get("id").asText(), c);
        }
        List<JsonNode> cases = keras3Cases();
        assertTrue(cases.size() >= 50, "Keras 3 cases: " + cases.size());
        assertTrue(cases.stream().anyMatch(c -> hasMaskOps(c.get("model"))), "no case with Keras 3's mask ops");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.get("id").asText(), () -> check(c, tfjs.get(c.get("id").asText()))));
    }

    private static void check(JsonNode keras3, JsonNode reference) {
        Model ours = Model.fromKerasJson(keras3.get("model").toString());
        Model tfjs = Model.fromKerasJson(reference.get("model").toString());
        String id = keras3.get("id").asText();
        assertEquals(tfjs.getClass(), ours.getClass(), id);
        assertEquals(tfjs.layers().size(), ours.layers().size(), id + ": layers");
        for (int i = 0; i < ours.layers().size(); i++) {
            Layer a = ours.layers().get(i);
            Layer b = tfjs.layers().get(i);
            assertEquals(b.kerasClassName(), a.kerasClassName(), id + ": layer " + i);
            assertEquals(b.outputShapes(), a.outputShapes(), id + ": output shapes of layer " + i);
            assertEquals(b.countParams(), a.countParams(), id + ": params of layer " + i);
        }
        assertEquals(tfjs.inputShapes(), ours.inputShapes(), id + ": inputs");
        assertEquals(tfjs.outputShapes(), ours.outputShapes(), id + ": outputs");
        // the TF.js case's weights, layer by layer in the same order
        Map<String, List<INDArray>> byLayer = new HashMap<>();
        reference.get("weights").forEach(w -> byLayer.computeIfAbsent(w.get("layer").asText(), k -> new ArrayList<>())
                .add(CaseCheck.array(w)));
        for (int i = 0; i < ours.layers().size(); i++) {
            List<INDArray> weights = byLayer.get(tfjs.layers().get(i).name());
            if (weights != null) {
                String name = ours.layers().get(i).name();
                if (ours instanceof Functional functional) {
                    functional.setWeights(name, weights);
                } else {
                    ((Sequential) ours).setWeights(name, weights);
                }
            }
        }
        for (JsonNode run : reference.get("runs")) {
            if (run.path("reset_states_before").asBoolean(false)) {
                ours.resetStates();
            }
            List<INDArray> inputs = new ArrayList<>();
            run.get("inputs").forEach(a -> inputs.add(CaseCheck.array(a)));
            List<INDArray> got = ours.predict(inputs.toArray(INDArray[]::new));
            for (int o = 0; o < got.size(); o++) {
                CaseCheck.compare(id + " output " + o, CaseCheck.array(run.get("outputs").get(o)).data().asFloat(),
                        got.get(o).dup('c').data().asFloat());
            }
        }
    }
}
