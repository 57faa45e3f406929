package org.shapelab.reference;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.Add;
import org.shapelab.layers.Concatenate;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Dot;
import org.shapelab.layers.Input;
import org.shapelab.layers.LSTM;
import org.shapelab.layers.RepeatVector;
import org.shapelab.layers.Subtract;
import org.shapelab.model.Model;
import org.shapelab.model.Sequential;
import org.shapelab.shape.ShapeException;

/**
 * The mistakes of issue 11, made in Java as graphs-keras3.py made them in Keras 3
 * (src/test/resources/keras-reference/graphs/errors.json): each must be a ShapeException that names the layer,
 * shows the shapes and a fix, and quotes the sentence Keras 3 itself says, word for word.
 */
class GraphErrorsTest {

    /** The scenario, and the part of Keras 3's message ShapeLab quotes (a regular expression's first group). */
    private record Scenario(Executable mistake, String quoted) {
    }

    private static Map<String, Scenario> scenarios() {
        Map<String, Scenario> all = new LinkedHashMap<>();
        all.put("concat_mismatch", new Scenario(() -> new Concatenate().apply(Input.shape(4, 3), Input.shape(5, 3)),
                "ValueError: (.*)"));
        all.put("add_mismatch", new Scenario(() -> new Add().apply(Input.shape(3), Input.shape(4)), "ValueError: (.*)"));
        all.put("subtract_three_inputs", new Scenario(() -> new Subtract().apply(Input.shape(3), Input.shape(3),
                Input.shape(3)), "ValueError: (.*)"));
        all.put("dot_mismatch", new Scenario(() -> new Dot(1).apply(Input.shape(3), Input.shape(4)), "ValueError: (.*)"));
        all.put("stateful_no_batch", new Scenario(() -> new LSTM(4).stateful(true).apply(Input.shape(5, 3)),
                "ValueError: (.*)"));
        all.put("stateful_no_batch_sequential", new Scenario(() -> Sequential.input(5, 3).add(new LSTM(4)
                .stateful(true)), "ValueError: (.*)"));
        all.put("stateful_wrong_batch", new Scenario(() -> Sequential.input(Input.shape(5, 3).batchSize(2))
                .add(new LSTM(4).stateful(true)).predict(Nd4j.rand(DataType.FLOAT, 3, 5, 3)),
                "(?s).*?\\n\\n(If an RNN is stateful.*?initial state\\.)"));
        all.put("predict_wrong_count", new Scenario(() -> {
            Input a = Input.shape(2);
            Input b = Input.shape(2);
            Model.of(List.of(a, b), List.of(new Add().apply(a, b))).predict(Nd4j.rand(DataType.FLOAT, 3, 2));
        }, null));
        all.put("bidirectional_not_rnn", new Scenario(() -> new org.shapelab.layers.Bidirectional(new Dense(3)),
                "(could not be deserialized properly)"));
        all.put("repeat_vector_rank3", new Scenario(() -> new RepeatVector(2).apply(Input.shape(4, 3)),
                "ValueError: (.*)"));
        return all;
    }

    static JsonNode errors() throws IOException {
        try (InputStream in = GraphErrorsTest.class.getResourceAsStream("/keras-reference/graphs/errors.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyMistakeIsExplainedWithKerasWords() throws IOException {
        Map<String, Scenario> scenarios = scenarios();
        return java.util.stream.StreamSupport.stream(errors().spliterator(), false)
                .filter(e -> scenarios.containsKey(e.get("id").asText()))
                .map(e -> DynamicTest.dynamicTest(e.get("id").asText(), () -> {
                    Scenario scenario = scenarios.get(e.get("id").asText());
                    ShapeException error = assertThrows(ShapeException.class, scenario.mistake());
                    String message = error.getMessage();
                    assertTrue(message.contains("Fix") || message.contains("fix:"), message);
                    if (!e.get("id").asText().equals("bidirectional_not_rnn")) {
                        assertTrue(message.contains("(None") || message.contains("(2, 5, 3)"), message);
                    }
                    if (scenario.quoted() != null) {
                        String keras = e.get("keras3_message").asText();
                        java.util.regex.Matcher m = java.util.regex.Pattern.compile(scenario.quoted()).matcher(keras);
                        assertTrue(m.find(), "pattern " + scenario.quoted() + " not in Keras 3's message " + keras);
                        String sentence = m.group(1).trim().replaceAll("\\s+", " ");
                        assertTrue(message.replaceAll("\\s+", " ").contains(sentence),
                                "Keras 3 says: " + sentence + "\nShapeLab says: " + message);
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioHasAKeras3Reference() throws IOException {
        JsonNode errors = errors();
        return scenarios().keySet().stream().map(id -> DynamicTest.dynamicTest(id, () -> {
            JsonNode found = null;
            for (JsonNode e : errors) {
                if (e.get("id").asText().equals(id)) {
                    found = e;
                }
            }
            assertNotNull(found, id + " is not in errors.json");
        }));
    }
}
