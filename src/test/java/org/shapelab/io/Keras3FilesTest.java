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
    @ValueSource(strings = {"dense_conv2d_bn", "embedding_conv1d_rnn", "wrappers", "functional_merges", "trained_dense"})
    void kerasFilePredictsAsKeras(String name) throws IOException {
        Model model = Model.load(DIR.resolve(name + ".keras"));
        assertEquals(name.startsWith("functional") ? Functional.class : Sequential.class, model.getClass());
        Reference.of(DIR.resolve(name + ".json")).check(model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense_conv2d_bn", "embedding_conv1d_rnn", "wrappers", "functional_merges", "trained_dense"})
    void legacyH5PredictsAsKeras(String name) throws IOException {
        Model model = Model.load(DIR.resolve(name + ".h5"));
        Reference.of(DIR.resolve(name + ".json")).check(model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense_conv2d_bn", "embedding_conv1d_rnn", "wrappers", "functional_merges", "trained_dense"})
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

    @org.junit.jupiter.api.Test
    void functionalLoadAndTheUnzippedFolder(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Functional model = Functional.load(DIR.resolve("functional_merges.keras"));
        Reference.of(DIR.resolve("functional_merges.json")).check(model);
        // keras.saving.save_model(model, "dir", zipped=False) writes the three members into a folder.
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(DIR.resolve("wrappers.keras").toFile())) {
            for (String name : new String[] {"config.json", "metadata.json", "model.weights.h5"}) {
                java.nio.file.Files.write(dir.resolve(name), zip.getInputStream(zip.getEntry(name)).readAllBytes());
            }
        }
        Reference.of(DIR.resolve("wrappers.json")).check(Model.load(dir));
        org.junit.jupiter.api.Assertions.assertThrows(org.shapelab.shape.ShapeException.class,
                () -> Functional.load(DIR.resolve("wrappers.keras")));
    }

    /** The reference check can fail: the same layers with other weights do not pass it. */
    @org.junit.jupiter.api.Test
    void otherWeightsFailTheCheck() throws IOException {
        Model model = Model.fromKerasJson(Model.load(DIR.resolve("wrappers.keras")).toKerasJson());
        Reference reference = Reference.of(DIR.resolve("wrappers.json"));
        org.junit.jupiter.api.Assertions.assertThrows(org.opentest4j.AssertionFailedError.class,
                () -> reference.check(model));
    }
}
