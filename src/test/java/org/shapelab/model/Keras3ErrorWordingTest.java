package org.shapelab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.Conv1D;
import org.shapelab.layers.LSTM;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * The notebooks' shape mistakes, made in Java as {@code tools/keras-reference/keras3-errors.py} made them in real
 * Keras 3 ({@code keras3-errors.json}): ShapeLab's "Keras 3:" line must be Keras's sentence word for word, and a
 * mistake whose Keras wording ShapeLab does not know must not get a made-up one.
 */
class Keras3ErrorWordingTest {

    private static Map<String, Executable> scenarios() {
        Map<String, Executable> all = new LinkedHashMap<>();
        all.put("conv2d_no_channel", () -> Sequential.input(28, 28).conv2d(32, 3));
        all.put("conv1d_no_channel", () -> Sequential.input(1000).conv1d(8, 3));
        all.put("lstm_no_time", () -> Sequential.input(8).lstm(16));
        all.put("stacked_lstm", () -> Sequential.input(24, 3).lstm(16).lstm(8));
        all.put("reshape_mismatch", () -> Sequential.input(784).reshape(28, 27, 1));
        all.put("flatten_none_dense", () -> Sequential.input(Shape.NONE, 8).flatten().dense(1));
        all.put("window_too_small", () -> Sequential.input(8, 8, 1).conv2d(16, 3).maxPooling2d(2).conv2d(16, 3)
                .maxPooling2d(2));
        all.put("conv_too_small", () -> Sequential.input(1, 64, 64).conv2d(8, 3));
        all.put("conv1d_too_small", () -> Sequential.input(2, 1000).add(new Conv1D(8, 3)));
        all.put("pool1d_too_small", () -> Sequential.input(3, 8).maxPooling1d(4));
        all.put("unknown_activation", () -> Sequential.input(10).dense(4, "reul"));
        all.put("predict_wrong_features", () -> Sequential.input(10).dense(4, "relu").dense(1).seed(1)
                .predict(Nd4j.zeros(DataType.FLOAT, 300, 12)));
        all.put("predict_channels_first", () -> Sequential.input(32, 32, 3).conv2d(8, 3, "relu").seed(1)
                .predict(Nd4j.zeros(DataType.FLOAT, 10, 3, 32, 32)));
        all.put("predict_no_batch", () -> Sequential.input(28, 28, 1).conv2d(8, 3, "relu").flatten()
                .dense(10, "softmax").seed(1).predict(Nd4j.zeros(DataType.FLOAT, 28, 28, 1)));
        return all;
    }

    /** Mistakes whose Keras 3 wording depends on the backend, so ShapeLab quotes none. */
    private static final java.util.Set<String> NOT_QUOTED = java.util.Set.of("predict_no_batch");

    /** Keras's sentence without the "Exception encountered when calling ..." frame and terminal colours. */
    static String sentence(JsonNode error) {
        String message = error.get("message").asText();
        java.util.regex.Matcher framed = java.util.regex.Pattern.compile("(?s)\u001b\\[1m(.*?)\u001b\\[0m").matcher(message);
        String core = framed.find() ? framed.group(1) : message;
        return error.get("raises").asText() + ": " + core.trim();
    }

    static JsonNode errors() throws IOException {
        try (InputStream in = Keras3ErrorWordingTest.class.getResourceAsStream("/keras-reference/keras3-errors.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @TestFactory
    Stream<DynamicTest> shapeLabQuotesWhatKeras3Says() throws IOException {
        JsonNode fixture = errors();
        assertEquals("3", fixture.get("keras").asText().substring(0, 1));
        Map<String, Executable> scenarios = scenarios();
        return java.util.stream.StreamSupport.stream(fixture.get("errors").spliterator(), false)
                .map(e -> DynamicTest.dynamicTest(e.get("id").asText(), () -> {
                    String id = e.get("id").asText();
                    Executable mistake = scenarios.get(id);
                    assertNotNull(mistake, id + " has no Java scenario");
                    assertFalse(e.get("raises").isNull(), "Keras 3 accepted " + e.get("code").asText());
                    ShapeException error = assertThrows(ShapeException.class, mistake);
                    if (NOT_QUOTED.contains(id)) {
                        assertTrue(error.kerasMessage().isEmpty(), error.getMessage());
                        return;
                    }
                    String ours = error.kerasMessage().orElseThrow(() -> new AssertionError("no Keras 3 line in "
                            + error.getMessage()));
                    String keras = sentence(e);
                    if (id.equals("flatten_none_dense")) {
                        // the variable's path names the model, which a layer does not know: ShapeLab elides it
                        keras = keras.substring(0, keras.indexOf(" for variable path="));
                        ours = ours.substring(0, ours.indexOf(" for variable path="));
                    }
                    assertEquals(keras, ours);
                    assertTrue(error.getMessage().contains("\n  Keras 3:  " + error.kerasMessage().get()), error.getMessage());
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioHasAKeras3Reference() throws IOException {
        JsonNode fixture = errors();
        return scenarios().keySet().stream().map(id -> DynamicTest.dynamicTest(id, () -> {
            boolean found = false;
            for (JsonNode e : fixture.get("errors")) {
                found |= e.get("id").asText().equals(id);
            }
            assertTrue(found, id + " is not in keras3-errors.json");
        }));
    }

    @org.junit.jupiter.api.Test
    void anLstmWithoutReturnSequencesBeforeAnotherIsNamedInTheFix() {
        ShapeException e = assertThrows(ShapeException.class, () -> Sequential.input(24, 3).add(new LSTM(16)).lstm(8));
        String fix = e.fix().orElseThrow();
        assertTrue(fix.startsWith("give \"lstm\" (LSTM) returnSequences(true)"), fix);
    }
}
