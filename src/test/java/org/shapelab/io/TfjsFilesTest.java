package org.shapelab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.shapelab.model.Functional;
import org.shapelab.model.Model;
import org.shapelab.model.Sequential;

/** model.json and .bin shards written by TensorFlow.js 4.22's own save (tools/model-files/tfjs.mjs). */
class TfjsFilesTest {

    static final Path DIR = Reference.FILES.resolve("tfjs");

    @ParameterizedTest
    @ValueSource(strings = {"dense_conv2d_bn", "embedding_conv1d_rnn", "wrappers", "functional_merges", "dense_uint8",
        "dense_uint16", "dense_float16"})
    void modelJsonPredictsAsTfjs(String name) throws IOException {
        Model model = Model.load(DIR.resolve(name).resolve("model.json"));
        assertEquals(name.startsWith("functional") ? Functional.class : Sequential.class, model.getClass());
        Reference.of(DIR.resolve(name + ".json")).check(model);
    }

    @Test
    void tfjsHardSigmoidStaysTfjsHardSigmoid() throws IOException {
        // TF.js's LSTM and GRU default to its hard_sigmoid, clip(0.2x + 0.5, 0, 1): Keras 3's relu6(x + 3) / 6 is
        // 2e-3 to 3e-3 away on this model, so only TF.js's own function passes the 1e-5 check
        Model model = Model.load(DIR.resolve("tfjs_hard_sigmoid/model.json"));
        Reference.of(DIR.resolve("tfjs_hard_sigmoid.json")).check(model);
        assertEquals("hard_sigmoid_keras2", model.layers().get(0).getConfig().get("recurrent_activation"));
        assertEquals("hard_sigmoid_keras2", model.layers().get(3).getConfig().get("activation"));
        // written back for TF.js and tf.keras 2 under their name; Keras 3 has no such function, so no .keras
        String json = model.toKerasJson();
        org.junit.jupiter.api.Assertions.assertTrue(json.contains("\"recurrent_activation\":\"hard_sigmoid\""), json);
        org.junit.jupiter.api.Assertions.assertFalse(json.contains("keras2"), json);
        org.shapelab.shape.ShapeException refused = org.junit.jupiter.api.Assertions.assertThrows(
                org.shapelab.shape.ShapeException.class, () -> model.save(java.nio.file.Files.createTempDirectory("t")
                        .resolve("m.keras")));
        org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("Keras 3 does not have"),
                refused.getMessage());
        org.junit.jupiter.api.Assertions.assertTrue(model.toKerasPython().contains(
                "recurrent_activation=lambda x: keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0)"), model.toKerasPython());
    }

    @Test
    void aFolderWithModelJsonLoadsToo() throws IOException {
        Model model = Model.load(DIR.resolve("wrappers"));
        Reference.of(DIR.resolve("wrappers.json")).check(model);
    }

    @Test
    void weightsOfModelJsonIntoTheSameArchitecture() throws IOException {
        Model model = Model.load(DIR.resolve("functional_merges/model.json"));
        Model fresh = Model.fromKerasJson(model.toKerasJson());
        fresh.loadWeights(DIR.resolve("functional_merges/model.json"));
        Reference.of(DIR.resolve("functional_merges.json")).check(fresh);
    }
}
