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
