package org.shapelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.model.Sequential;

/**
 * Every case of tools/keras-reference/training.json (TensorFlow.js 4.22 as Keras): from the same initial weights, the
 * same batches through train_on_batch give the same loss at every step and the same weights after the last, within
 * {@value #TOLERANCE} of {@code max(1, |keras|)}; evaluate on the first batch afterwards gives the same loss.
 */
class KerasTrainingTest {

    static final double TOLERANCE = 1e-4;
    private static final Map<String, Integer> PER_FAMILY = new LinkedHashMap<>();
    private static double worst;
    private static String worstCase = "none";

    static JsonNode cases() {
        try (InputStream in = KerasTrainingTest.class.getResourceAsStream("/keras-reference/training.json")) {
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
    void fixtureCoversEveryLossOptimizerAndLayerFamily() {
        assertTrue(cases().size() >= 100, "cases: " + cases().size());
    }

    @TestFactory
    Stream<DynamicTest> trainOnBatchEqualsKeras() {
        List<DynamicTest> tests = new ArrayList<>();
        cases().forEach(c -> tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> check(c))));
        return tests.stream();
    }

    static Optimizer optimizer(JsonNode config) {
        double rate = config.get("learning_rate").asDouble();
        return switch (config.get("name").asText()) {
            case "sgd" -> new Optimizer.SGD(rate).momentum(config.path("momentum").asDouble(0))
                    .nesterov(config.path("nesterov").asBoolean(false));
            case "adam" -> new Optimizer.Adam(rate);
            case "rmsprop" -> new Optimizer.RMSprop(rate).momentum(config.path("momentum").asDouble(0));
            default -> throw new IllegalArgumentException(config.toString());
        };
    }

    static Loss loss(JsonNode config) {
        boolean logits = config.get("from_logits").asBoolean();
        return switch (config.get("name").asText()) {
            case "binary_crossentropy" -> Loss.binaryCrossentropy(logits);
            case "categorical_crossentropy" -> Loss.categoricalCrossentropy(logits);
            case "sparse_categorical_crossentropy" -> Loss.sparseCategoricalCrossentropy(logits);
            default -> Loss.of(config.get("name").asText());
        };
    }

    private static void check(JsonNode c) {
        String id = c.get("id").asText();
        Sequential model = Sequential.fromKerasJson(c.get("model").toString());
        List<INDArray> initial = new ArrayList<>();
        c.get("initial_weights").forEach(w -> initial.add(array(w)));
        model.setWeights(initial);
        model.compile(optimizer(c.get("optimizer")), loss(c.get("loss")));
        JsonNode batches = c.get("batches");
        for (int s = 0; s < batches.size(); s++) {
            double got = model.trainOnBatch(array(batches.get(s).get("x")), array(batches.get(s).get("y")));
            compare(id, "loss of step " + s, c.get("losses").get(s).asDouble(), got);
        }
        List<INDArray> weights = model.getWeights();
        JsonNode expected = c.get("final_weights");
        assertEquals(expected.size(), weights.size(), id + ": weight count");
        for (int w = 0; w < weights.size(); w++) {
            float[] want = array(expected.get(w)).data().asFloat();
            float[] got = weights.get(w).dup('c').data().asFloat();
            for (int i = 0; i < want.length; i++) {
                compare(id, expected.get(w).get("layer").asText() + "/" + expected.get(w).get("name").asText()
                        + "[" + i + "] after the last step", want[i], got[i]);
            }
        }
        Map<String, Double> evaluated = model.evaluate(array(batches.get(0).get("x")), array(batches.get(0).get("y")));
        compare(id, "evaluate's loss", c.get("evaluate_first_batch_loss").asDouble(), evaluated.get("loss"));
        synchronized (PER_FAMILY) {
            PER_FAMILY.merge(id.replaceAll("_.*", ""), 1, Integer::sum);
        }
    }

    private static void compare(String id, String what, double want, double got) {
        double error = Math.abs(got - want) / Math.max(1.0, Math.abs(want));
        assertTrue(error <= TOLERANCE, id + ": " + what + " is " + got + ", Keras " + want);
        synchronized (PER_FAMILY) {
            if (error > worst) {
                worst = error;
                worstCase = id + " (" + what + ")";
            }
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("training.json: %s; worst error %.3g in %s%n", PER_FAMILY, worst, worstCase);
    }
}
