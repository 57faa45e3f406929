package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.Layer;
import org.shapelab.layers.WeightSpec;
import org.shapelab.model.Sequential;

/**
 * Every case of tools/keras-reference/forward.json (TensorFlow.js 4.22 as the Keras oracle): the model read from
 * its Keras JSON, with the fixture's weights, must predict the fixture's output.
 *
 * <p>Tolerance: {@code |ours - keras| <= 1e-5 · max(1, |keras|)} for every value, i.e. 1e-5 relative for values
 * above 1 in magnitude and 1e-5 absolute below (float32 sums in another order differ by a few 1e-7).
 */
class KerasForwardTest {

    static final double TOLERANCE = 1e-5;

    private static double worstError;
    private static String worstCase = "none";

    static JsonNode cases() {
        try (InputStream in = KerasForwardTest.class.getResourceAsStream("/keras-reference/forward.json")) {
            return new ObjectMapper().readTree(in).get("cases");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fixture array: the one reader every reference test uses. */
    static INDArray array(JsonNode node) {
        return org.shapelab.reference.CaseCheck.array(node);
    }

    @Test
    void fixtureHasAllCases() {
        assertEquals(110, cases().size());
    }

    @TestFactory
    Stream<DynamicTest> predictEqualsKeras() {
        List<DynamicTest> tests = new ArrayList<>();
        cases().forEach(c -> tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> check(c))));
        return tests.stream();
    }

    private static void check(JsonNode c) {
        String id = c.get("id").asText();
        Sequential model = Sequential.fromKerasJson(c.get("model").toString());
        List<INDArray> weights = new ArrayList<>();
        List<String> names = new ArrayList<>();
        c.get("weights").forEach(w -> {
            weights.add(array(w));
            names.add(w.get("layer").asText() + "/" + w.get("name").asText());
        });
        List<String> ours = new ArrayList<>();
        for (Layer layer : model.layers()) {
            for (WeightSpec spec : layer.weights()) {
                ours.add(layer.name() + "/" + spec.name());
            }
        }
        assertEquals(names, ours, id + ": weight order");
        ModelRuntime runtime = ModelRuntime.of(model);
        runtime.setWeights(weights);

        INDArray expected = array(c.get("output"));
        INDArray actual = runtime.predict(array(c.get("input")));
        assertArrayEquals(expected.shape(), actual.shape(), id + ": output shape");
        float[] want = expected.data().asFloat();
        float[] got = actual.dup('c').data().asFloat();
        double caseWorst = 0;
        for (int i = 0; i < want.length; i++) {
            double error = Math.abs(got[i] - want[i]) / Math.max(1.0, Math.abs(want[i]));
            assertTrue(error <= TOLERANCE, id + ": value " + i + " is " + got[i] + ", Keras " + want[i]);
            caseWorst = Math.max(caseWorst, error);
        }
        synchronized (KerasForwardTest.class) {
            if (caseWorst > worstError) {
                worstError = caseWorst;
                worstCase = id;
            }
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("forward.json: worst error |ours - keras| / max(1, |keras|) = %.3g (%s)%n", worstError,
                worstCase);
    }
}
