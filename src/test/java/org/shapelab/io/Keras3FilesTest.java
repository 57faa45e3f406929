package org.shapelab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.shapelab.model.Functional;
import org.shapelab.model.Model;
import org.shapelab.model.Sequential;

/**
 * Files written by real Keras 3.15.1 (JAX backend; tools/model-files/keras3.py): {@code .keras}, legacy {@code .h5}
 * and {@code .weights.h5}, with Keras's own predictions.
 */
class Keras3FilesTest {

    static final Path DIR = Reference.FILES.resolve("keras3");

    @ParameterizedTest
    @ValueSource(strings = {"dense_conv2d_bn", "embedding_conv1d_rnn", "wrappers", "functional_merges"})
    void kerasFilePredictsAsKeras(String name) throws IOException {
        Model model = Model.load(DIR.resolve(name + ".keras"));
        assertEquals(name.startsWith("functional") ? Functional.class : Sequential.class, model.getClass());
        Reference.of(DIR.resolve(name + ".json")).check(model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense_conv2d_bn", "embedding_conv1d_rnn", "wrappers", "functional_merges"})
    void legacyH5PredictsAsKeras(String name) throws IOException {
        Model model = Model.load(DIR.resolve(name + ".h5"));
        Reference.of(DIR.resolve(name + ".json")).check(model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense_conv2d_bn", "embedding_conv1d_rnn", "wrappers", "functional_merges"})
    void weightsFileIntoTheSameArchitecture(String name) throws IOException {
        Model model = Model.load(DIR.resolve(name + ".keras"));
        Model fresh = Model.fromKerasJson(model.toKerasJson());
        fresh.loadWeights(DIR.resolve(name + ".weights.h5"));
        Reference.of(DIR.resolve(name + ".json")).check(fresh);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense_conv2d_bn", "wrappers"})
    void sequentialLoad(String name) {
        Sequential model = Sequential.load(DIR.resolve(name + ".keras"));
        assertEquals(Model.load(DIR.resolve(name + ".h5")).countParams(), model.countParams());
    }
}
