package org.shapelab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.shapelab.layers.Layer;
import org.shapelab.shape.ShapeException;

/**
 * JSON dialects and layer options TensorFlow.js cannot produce (Keras 3, tf.keras 2 with an InputLayer,
 * causal Conv1D, GRU reset_after=True): hand-derived fixtures whose shapes and counts come from the
 * Keras formulas, with the arithmetic written beside each layer.
 */
class KerasJsonDialectsTest {

    static Stream<JsonNode> cases() {
        List<JsonNode> out = new ArrayList<>();
        KerasReferenceShapesTest.fixture("../hand-derived/dialects.json").get("cases").forEach(out::add);
        return out.stream();
    }

    @TestFactory
    Stream<DynamicTest> handDerivedModelsMatchTheirFormulas() {
        return cases().map(c -> DynamicTest.dynamicTest(c.get("id").asText(), () -> {
            Sequential model = Sequential.fromKerasJson(c.get("model").toString());
            assertMatches(c, model);
            assertMatches(c, Sequential.fromKerasJson(model.toKerasJson()));
        }));
    }

    private static void assertMatches(JsonNode c, Sequential model) {
        JsonNode layers = c.get("layers");
        assertEquals(layers.size(), model.layers().size());
        for (int i = 0; i < layers.size(); i++) {
            JsonNode expected = layers.get(i);
            Layer layer = model.layers().get(i);
            String where = c.get("id").asText() + " " + expected.get("name").asText() + " ("
                    + expected.get("derivation").asText() + ")";
            assertEquals(expected.get("name").asText(), layer.name(), where);
            assertEquals(expected.get("class_name").asText(), layer.kerasClassName(), where);
            assertEquals(KerasReferenceShapesTest.shapeOf(expected.get("output_shape")), layer.outputShape(), where);
            assertEquals(expected.get("params").asLong(), layer.countParams(), where);
            assertEquals(expected.get("trainable_params").asLong(), layer.trainableParams(), where);
        }
        assertEquals(c.get("total_params").asLong(), model.countParams());
        assertEquals(c.get("trainable_params").asLong(), model.trainableParams());
        assertEquals(c.get("non_trainable_params").asLong(), model.nonTrainableParams());
    }

    @Test
    void readsTensorFlowJsModelJsonWithModelTopology() {
        String json = "{\"format\": \"layers-model\", \"modelTopology\": {\"keras_version\": \"3.5.0\", \"model_config\":"
                + " {\"class_name\": \"Sequential\", \"config\": {\"name\": \"sequential\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"batch_shape\": [null, 30], \"name\": \"input_layer\"}},"
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense\", \"units\": 64, \"activation\": \"relu\"}}]}}},"
                + " \"weightsManifest\": []}";
        Sequential model = Sequential.fromKerasJson(json);
        assertEquals("(None, 64)", model.outputShape().toString());
        assertEquals(30 * 64 + 64, model.countParams());
    }

    @Test
    void malformedJsonSaysWhereAndWhatToDo() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Sequential.fromKerasJson("{\"class_name\": \"Sequential\", \"config\": {\"layers\": [}"));
        assertTrue(e.getMessage().startsWith("Keras JSON is malformed"), e.getMessage());
        assertTrue(e.getMessage().contains("line 1, column"), e.getMessage());
        assertTrue(e.getMessage().contains("model.to_json()"), e.getMessage());
    }

    @Test
    void unsupportedLayerIsNamedWithTheSupportedOnes() {
        String json = "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"Conv3D\","
                + " \"config\": {\"name\": \"conv3d\", \"filters\": 4, \"kernel_size\": 3, \"batch_input_shape\":"
                + " [null, 8, 8, 8, 1]}}]}}";
        ShapeException e = assertThrows(ShapeException.class, () -> Sequential.fromKerasJson(json));
        assertTrue(e.getMessage().contains("layer #1 \"conv3d\" (Conv3D)"), e.getMessage());
        assertTrue(e.getMessage().contains("does not support"), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean Conv1D?") || e.getMessage().contains("Did you mean Conv2D?"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Supported: Dense, Conv1D, Conv2D, LSTM"), e.getMessage());
    }

    @Test
    void unsupportedOptionIsNamed() {
        String json = "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"LSTM\","
                + " \"config\": {\"name\": \"lstm\", \"units\": 4, \"time_major\": true, \"batch_input_shape\":"
                + " [null, 5, 3]}}]}}";
        ShapeException e = assertThrows(ShapeException.class, () -> Sequential.fromKerasJson(json));
        assertTrue(e.getMessage().contains("\"lstm\" (LSTM) sets 'time_major' to true"), e.getMessage());
        assertTrue(e.getMessage().contains("does not support"), e.getMessage());
    }

    /** Keras 2's batch_input_shape with a number keeps the batch fixed, which a stateful layer needs. */
    @Test
    void statefulLayerReadsItsFixedBatch() {
        String fixed = "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"LSTM\","
                + " \"config\": {\"name\": \"lstm\", \"units\": 4, \"stateful\": true, \"batch_input_shape\":"
                + " [6, 5, 3]}}]}}";
        Sequential model = Sequential.fromKerasJson(fixed);
        assertEquals("(6, 5, 3)", model.inputShape().toString());
        assertEquals("(6, 4)", model.outputShape().toString());
        assertTrue(model.summary().contains("│ lstm (LSTM)                     │ (6, 4)                 │"), model.summary());
        assertTrue(model.summary(SummaryStyle.TF_KERAS_2).contains("lstm (LSTM)                 (6, 4)"),
                model.summary(SummaryStyle.TF_KERAS_2));
        assertTrue(model.toKerasJson().contains("\"batch_input_shape\":[6,5,3]"), model.toKerasJson());
        assertTrue(model.toKerasJson().contains("\"stateful\":true"), model.toKerasJson());

        ShapeException e = assertThrows(ShapeException.class, () -> Sequential.fromKerasJson(fixed.replace("[6, 5, 3]",
                "[null, 5, 3]")));
        assertTrue(e.getMessage().contains("When using `stateful=True` in a RNN, the batch size must be static"),
                e.getMessage());
        assertTrue(e.getMessage().contains("(None, 5, 3)"), e.getMessage());
        assertTrue(e.getMessage().contains("batchSize(32)"), e.getMessage());
    }

    @Test
    void badOptionValueNamesLayerAndKey() {
        String json = "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"Dense\","
                + " \"config\": {\"name\": \"dense\", \"units\": \"ten\", \"batch_input_shape\": [null, 5]}}]}}";
        ShapeException e = assertThrows(ShapeException.class, () -> Sequential.fromKerasJson(json));
        assertTrue(e.getMessage().contains("layer #1 \"dense\" (Dense) has 'units': \"ten\""), e.getMessage());
        assertTrue(e.getMessage().contains("whole number"), e.getMessage());
    }

    @Test
    void functionalJsonGivenToSequentialPointsToModel() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Sequential.fromKerasJson("{\"class_name\": \"Functional\", \"config\": {\"layers\": []}}"));
        assertTrue(e.getMessage().contains("this is a functional model"), e.getMessage());
        assertTrue(e.getMessage().contains("Model.fromKerasJson(json)"), e.getMessage());
    }

    @Test
    void missingInputShapeIsExplained() {
        String json = "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"Dense\","
                + " \"config\": {\"name\": \"dense\", \"units\": 3}}]}}";
        ShapeException e = assertThrows(ShapeException.class, () -> Sequential.fromKerasJson(json));
        assertTrue(e.getMessage().contains("does not say its input shape"), e.getMessage());
    }

    @Test
    void writesTfKeras2DialectWithInputLayer() {
        Sequential model = Sequential.input(10).dense(32, "relu").dense(1);
        String json = model.toKerasJson();
        assertTrue(json.startsWith("{\"class_name\":\"Sequential\",\"config\":{\"name\":\"sequential\",\"layers\":"
                + "[{\"class_name\":\"InputLayer\",\"config\":{\"batch_input_shape\":[null,10]"), json);
        assertTrue(json.contains("{\"class_name\":\"Dense\",\"config\":{\"name\":\"dense\",\"trainable\":true,"
                + "\"dtype\":\"float32\",\"batch_input_shape\":[null,10],\"units\":32,\"activation\":\"relu\""), json);
    }
}
