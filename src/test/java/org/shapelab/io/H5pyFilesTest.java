package org.shapelab.io;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.shapelab.model.Model;

/**
 * Keras's HDF5 layouts written by Debian's python3-h5py (tools/model-files/h5py_files.py) from the models and
 * weights TensorFlow.js saved; the predictions are TF.js's.
 */
class H5pyFilesTest {

    static final Path DIR = Reference.FILES.resolve("h5py");

    @ParameterizedTest
    @ValueSource(strings = {"dense_conv2d_bn", "embedding_conv1d_rnn", "wrappers", "functional_merges"})
    void tfKeras2LegacyH5(String name) throws IOException {
        Model model = Model.load(DIR.resolve(name + ".h5"));
        Reference.of(TfjsFilesTest.DIR.resolve(name + ".json")).check(model);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dense_conv2d_bn", "embedding_conv1d_rnn", "wrappers"})
    void keras3WeightsWithoutNameAttributes(String name) throws IOException {
        Model model = Model.fromKerasJson(Model.load(TfjsFilesTest.DIR.resolve(name)).toKerasJson());
        model.loadWeights(DIR.resolve(name + ".weights.h5"));
        Reference.of(TfjsFilesTest.DIR.resolve(name + ".json")).check(model);
    }

    /** Without the names, the layers are found by class name in Keras's model.layers order, which ShapeLab keeps. */
    @Test
    void functionalWeightsFoundByKerasLayerOrder() throws IOException {
        Model model = Model.fromKerasJson(Model.load(Keras3FilesTest.DIR.resolve("functional_merges.keras"))
                .toKerasJson());
        model.loadWeights(DIR.resolve("functional_merges_no_names.weights.h5"));
        Reference.of(Keras3FilesTest.DIR.resolve("functional_merges.json")).check(model);
    }

    /** A legacy weights file is paired layer by layer, as Keras does: other layer names are fine. */
    @Test
    void legacyWeightsIntoALayerStackOfOtherNames() throws IOException {
        Model model = org.shapelab.model.Sequential.input(8, 8, 2).conv2d(4, 3, "relu").batchNormalization()
                .maxPooling2d(2).flatten().dense(5, "tanh").dense(3);
        model.loadWeights(DIR.resolve("dense_conv2d_bn.h5"));
        Reference.of(TfjsFilesTest.DIR.resolve("dense_conv2d_bn.json")).check(model);
    }

    /** A Keras 3.6+ weights file into a model built in Java with other names: Keras's pairing by class and order. */
    @Test
    void keras3WeightsIntoALayerStackOfOtherNames() throws IOException {
        Model model = org.shapelab.model.Sequential.input(8, 8, 2).conv2d(4, 3, "relu").batchNormalization()
                .maxPooling2d(2).flatten().dense(5, "tanh").dense(3);
        model.loadWeights(Keras3FilesTest.DIR.resolve("dense_conv2d_bn.weights.h5"));
        Reference.of(Keras3FilesTest.DIR.resolve("dense_conv2d_bn.json")).check(model);
    }
}
