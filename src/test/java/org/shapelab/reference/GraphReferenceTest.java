package org.shapelab.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Node;
import org.shapelab.layers.Tensor;
import org.shapelab.model.Functional;
import org.shapelab.model.Model;
import org.shapelab.model.Sequential;
import org.shapelab.shape.Shape;

/**
 * Issue 11's references from TensorFlow.js 4.22 (tools/keras-reference/graphs.mjs): functional models with merges,
 * shared layers, return_state and initial states, Bidirectional in every merge mode, RepeatVector, Masking and
 * stateful layers carrying states across predict calls. Each case is read from TF.js's JSON and must give TF.js's
 * layer order, output shapes (every output of every layer), parameter counts, "Connected to" and outputs.
 */
class GraphReferenceTest {

    private static final String CASES = "/keras-reference/graphs/cases.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A file of fresh random graphs to check instead of the committed fixture (CI's fuzzing, fuzz-graphs). */
    static final String FRESH = System.getProperty("shapelab.graphs.cases");

    static List<JsonNode> cases() throws IOException {
        try (InputStream in = FRESH != null ? java.nio.file.Files.newInputStream(java.nio.file.Path.of(FRESH))
                : GraphReferenceTest.class.getResourceAsStream(CASES)) {
            if (in == null) {
                throw new AssertionError(CASES + " is missing: run tools/keras-reference (npm run graphs)");
            }
            List<JsonNode> cases = new ArrayList<>();
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 1; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    cases.add(JSON.readTree(lines[i]));
                }
            }
            return cases;
        }
    }

    @Test
    void everyFamilyIsThere() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(FRESH == null, "checking fresh random graphs only");
        Map<String, Integer> families = new TreeMap<>();
        for (JsonNode c : cases()) {
            families.merge(c.get("family").asText(), 1, Integer::sum);
        }
        for (String family : List.of("repeat_vector", "masking", "bidirectional", "return_state", "stateful", "merge",
                "shared", "functional_random")) {
            assertTrue(families.getOrDefault(family, 0) > 0, "no " + family + " cases: " + families);
        }
    }

    /** Where each case's model goes as ShapeLab writes it, for CI to hand back to TF.js (check-readable-graphs.mjs). */
    static final java.nio.file.Path EXPORT_DIR = java.nio.file.Path.of("target",
            FRESH == null ? "keras-json-export-graphs" : "keras-json-export-graphs-fresh");

    @TestFactory
    Stream<DynamicTest> tfjsGivesTheSameShapesParametersAndValues() throws IOException {
        java.nio.file.Files.createDirectories(EXPORT_DIR);
        if (FRESH != null) {
            System.out.println("graphs: checking " + cases().size() + " fresh cases from " + FRESH);
        }
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.get("id").asText(), () -> {
            check(c);
            java.nio.file.Files.writeString(EXPORT_DIR.resolve(c.get("id").asText() + ".json"),
                    Model.fromKerasJson(c.get("model").toString()).toKerasJson());
        }));
    }

    static double check(JsonNode c) {
        String description = c.path("description").asText();
        Model model = Model.fromKerasJson(c.get("model").toString());
        checkLayers(c, model, description);
        setWeights(c, model);
        double worst = 0;
        int r = 0;
        for (JsonNode run : c.get("runs")) {
            if (run.path("reset_states_before").asBoolean(false)) {
                model.resetStates();
            }
            List<INDArray> inputs = new ArrayList<>();
            run.get("inputs").forEach(a -> inputs.add(CaseCheck.array(a)));
            List<INDArray> got = model.predict(inputs.toArray(INDArray[]::new));
            JsonNode want = run.get("outputs");
            assertEquals(want.size(), got.size(), description + ": number of outputs");
            for (int o = 0; o < got.size(); o++) {
                INDArray expected = CaseCheck.array(want.get(o));
                String where = description + ", run " + r + ", output " + o;
                if (!Arrays.equals(expected.shape(), got.get(o).shape())) {
                    throw new AssertionError(where + ": shape " + Shape.array(got.get(o).shape()) + ", TF.js "
                            + Shape.array(expected.shape()));
                }
                worst = Math.max(worst, CaseCheck.compare(where, expected.data().asFloat(),
                        got.get(o).dup('c').data().asFloat()));
            }
            r++;
        }
        return worst;
    }

    private static void checkLayers(JsonNode c, Model model, String description) {
        List<JsonNode> facts = new ArrayList<>();
        c.get("layers").forEach(l -> {
            if (!l.get("class_name").asText().equals("InputLayer")) {
                facts.add(l);
            }
        });
        List<String> ours = model.layers().stream().map(Layer::name).toList();
        List<String> theirs = facts.stream().map(l -> l.get("name").asText()).toList();
        assertEquals(theirs, ours, description + ": layers in model.layers order");
        for (int i = 0; i < facts.size(); i++) {
            Layer layer = model.layers().get(i);
            JsonNode fact = facts.get(i);
            List<String> shapes = new ArrayList<>();
            fact.get("output_shapes").forEach(s -> shapes.add(text(s)));
            List<String> ourShapes = firstCallOutputs(model, layer);
            assertEquals(shapes, ourShapes, description + ": output shapes of " + layer.describe());
            assertEquals(fact.get("params").asLong(), layer.countParams(), description + ": params of "
                    + layer.describe());
            if (model instanceof Functional functional && fact.has("connected_to")) {
                List<String> connected = new ArrayList<>();
                fact.get("connected_to").forEach(t -> connected.add(t.asText()));
                Node first = layer.nodes().get(0);
                assertEquals(connected, first.inputs().stream().map(functional::reference).toList(),
                        description + ": connected to of " + layer.describe());
            }
        }
        assertEquals(c.get("total_params").asLong(), model.countParams(), description + ": total params");
        assertEquals(c.get("trainable_params").asLong(), model.trainableParams(), description + ": trainable params");
    }

    private static List<String> firstCallOutputs(Model model, Layer layer) {
        if (model instanceof Sequential) {
            return layer.outputShapes().stream().map(Shape::toString).toList();
        }
        return layer.nodes().get(0).outputs().stream().map(Tensor::shape).map(Shape::toString).toList();
    }

    /** A fixture shape as Keras prints it, {@code (None, 5, 3)}. */
    private static String text(JsonNode dims) {
        List<String> parts = new ArrayList<>();
        dims.forEach(d -> parts.add(d.isNull() ? "None" : d.asText()));
        return "(" + String.join(", ", parts) + (parts.size() == 1 ? ",)" : ")");
    }

    /** Weights by layer, in each layer's order (Bidirectional: the forward layer's, then the backward layer's). */
    private static void setWeights(JsonNode c, Model model) {
        Map<String, List<INDArray>> byLayer = new LinkedHashMap<>();
        c.get("weights").forEach(w -> byLayer.computeIfAbsent(w.get("layer").asText(), k -> new ArrayList<>())
                .add(CaseCheck.array(w)));
        for (Layer layer : model.layers()) {
            List<INDArray> arrays = byLayer.getOrDefault(layer.name(), List.of());
            assertEquals(layer.weights().size(), arrays.size(), "weights of " + layer.describe());
            if (!arrays.isEmpty()) {
                if (model instanceof Functional functional) {
                    functional.setWeights(layer.name(), arrays);
                } else {
                    ((Sequential) model).setWeights(layer.name(), arrays);
                }
            }
        }
    }
}
