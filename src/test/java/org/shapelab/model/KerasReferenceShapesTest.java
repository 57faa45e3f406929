package org.shapelab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.shapelab.layers.Layer;
import org.shapelab.layers.WeightSpec;
import org.shapelab.shape.Shape;

/**
 * Every model TensorFlow.js built for tools/keras-reference: reading its JSON must give TF.js's shapes,
 * parameter counts and weight shapes, layer by layer, and writing it back must read back identically.
 */
class KerasReferenceShapesTest {

    static JsonNode fixture(String name) {
        try (InputStream in = KerasReferenceShapesTest.class.getResourceAsStream("/keras-reference/" + name)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Shape shapeOf(JsonNode sizes) {
        int[] dims = new int[sizes.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = sizes.get(i).isNull() ? Shape.NONE : sizes.get(i).asInt();
        }
        return Shape.summary(dims);
    }

    static Stream<JsonNode> cases() {
        List<JsonNode> out = new ArrayList<>();
        fixture("models.json").get("cases").forEach(out::add);
        return out.stream();
    }

    @Test
    void fixtureHasBroadCoverage() {
        assertTrue(cases().count() >= 100, "expected 100+ TF.js reference models");
    }

    @TestFactory
    Stream<DynamicTest> shapesAndCountsEqualTensorFlowJs() {
        return cases().map(c -> DynamicTest.dynamicTest(c.get("id").asText(), () -> {
            Sequential model = Sequential.fromKerasJson(c.get("model").toString());
            assertModelMatches(c, model);
        }));
    }

    @TestFactory
    Stream<DynamicTest> writtenJsonReadsBackIdentically() {
        return cases().map(c -> DynamicTest.dynamicTest(c.get("id").asText(), () -> {
            Sequential model = Sequential.fromKerasJson(c.get("model").toString());
            String json = model.toKerasJson();
            Sequential again = Sequential.fromKerasJson(json);
            assertModelMatches(c, again);
            assertEquals(json, again.toKerasJson());
        }));
    }

    static void assertModelMatches(JsonNode c, Sequential model) {
        String id = c.get("id").asText();
        JsonNode expectedLayers = c.get("layers");
        assertEquals(expectedLayers.size(), model.layers().size(), id + ": layer count");
        for (int i = 0; i < expectedLayers.size(); i++) {
            JsonNode expected = expectedLayers.get(i);
            Layer layer = model.layers().get(i);
            String where = id + " layer " + layer.name();
            assertEquals(expected.get("name").asText(), layer.name(), where + ": name");
            assertEquals(expected.get("class_name").asText(), layer.kerasClassName(), where + ": class");
            assertEquals(shapeOf(expected.get("input_shape")), layer.inputShape(), where + ": input shape");
            assertEquals(shapeOf(expected.get("output_shape")), layer.outputShape(), where + ": output shape");
            assertEquals(expected.get("params").asLong(), layer.countParams(), where + ": params");
            assertEquals(expected.get("trainable_params").asLong(), layer.trainableParams(), where + ": trainable");
            JsonNode weights = expected.get("weights");
            assertEquals(weights.size(), layer.weights().size(), where + ": weight count");
            for (int w = 0; w < weights.size(); w++) {
                WeightSpec spec = layer.weights().get(w);
                assertEquals(weights.get(w).get("name").asText(), spec.name(), where + ": weight name");
                assertEquals(shapeOf(prependNull(weights.get(w).get("shape"))).sampleShape(),
                        Shape.sample(spec.shape()), where + ": weight " + spec.name());
                assertEquals(weights.get(w).get("trainable").asBoolean(), spec.trainable(), where + ": trainable flag");
            }
        }
        assertEquals(shapeOf(c.get("output_shape")), model.outputShape(), id + ": model output");
        assertEquals(c.get("total_params").asLong(), model.countParams(), id + ": total params");
        assertEquals(c.get("trainable_params").asLong(), model.trainableParams(), id + ": trainable params");
        assertEquals(c.get("non_trainable_params").asLong(), model.nonTrainableParams(), id + ": non-trainable");
    }

    private static JsonNode prependNull(JsonNode sizes) {
        var array = new ObjectMapper().createArrayNode().addNull();
        sizes.forEach(array::add);
        return array;
    }
}
