package org.shapelab.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.shapelab.model.Model;
import org.shapelab.model.Sequential;
import org.shapelab.shape.ShapeException;

/** Broken or unsupported files: each message names the file part or the layer, and says what to do. */
class ModelFilesErrorsTest {

    static final Path BROKEN = H5pyFilesTest.DIR.resolve("broken");

    private static String message(Executable call, String... parts) {
        String message = assertThrows(ShapeException.class, call).getMessage();
        for (String part : parts) {
            assertTrue(message.contains(part), "message lacks \"" + part + "\": " + message);
        }
        return message;
    }

    private static Sequential denseConvModel(int units) {
        return Sequential.input(8, 8, 2).conv2d(4, 3, "relu").batchNormalization().maxPooling2d(2).flatten()
                .dense(units, "tanh").dense(3);
    }

    @Test
    void unknownLayerClassIsNamedWithTheSupportedOnes() {
        message(() -> Model.load(BROKEN.resolve("unknown_layer.h5")), "unknown_layer.h5, attribute model_config",
                "\"flatten_Flatten1\" (MultiHeadAttention)", "MultiHeadAttention, which ShapeLab does not support",
                "Supported: ", "Dense", "Bidirectional");
    }

    @Test
    void missingDatasetIsNamed() {
        message(() -> Model.load(BROKEN.resolve("missing_dataset.h5")),
                "missing_dataset.h5: the dataset model_weights/dense_Dense2/dense_Dense2/bias:0",
                "is missing");
    }

    @Test
    void hdf5ThatIsNotKeras() {
        message(() -> Model.load(BROKEN.resolve("not_keras.h5")), "not_keras.h5", "'model_config'",
                "model.loadWeights");
        message(() -> denseConvModel(5).loadWeights(BROKEN.resolve("not_keras.h5")), "not_keras.h5",
                "neither a 'layers' group", "holds: measurements");
    }

    @Test
    void weightsOnlyFileGivenToLoad() {
        message(() -> Model.load(Keras3FilesTest.DIR.resolve("dense_conv2d_bn.weights.h5")),
                "dense_conv2d_bn.weights.h5 is a Keras 3 weights file", "not the model's layers",
                "model.loadWeights(Path.of(\"dense_conv2d_bn.weights.h5\"))");
    }

    @Test
    void weightOfTheWrongShapeNamesTheDatasetAndTheWeight() throws IOException {
        Sequential model = denseConvModel(6);
        message(() -> model.loadWeights(Keras3FilesTest.DIR.resolve("dense_conv2d_bn.weights.h5")),
                "dense_conv2d_bn.weights.h5: layers/dense/vars/0 has shape (36, 5)",
                "weight kernel of layer \"dense\" (Dense) is (36, 6)");
        message(() -> model.loadWeights(H5pyFilesTest.DIR.resolve("dense_conv2d_bn.h5")),
                "model_weights/dense_Dense1/dense_Dense1/kernel:0 has shape (36, 5)", "(36, 6)");
        Path tfjs = TfjsFilesTest.DIR.resolve("dense_conv2d_bn/model.json");
        Model wider = Model.fromKerasJson(Files.readString(tfjs).replace("\"units\":5", "\"units\":6"));
        message(() -> wider.loadWeights(tfjs), "model.json: weight \"dense_Dense1/kernel\" has shape (36, 5)",
                "weight kernel of layer \"dense_Dense1\" (Dense) is (36, 6)");
        message(() -> model.loadWeights(tfjs), "the weights conv2d_Conv2D1/kernel, ", "belong to no layer of model",
                "(its layers: conv2d, batch_normalization, max_pooling2d, flatten, dense, dense_1)");
    }

    @Test
    void missingLayerGroupIsNamedWithWhatTheFileHas() {
        message(() -> denseConvModel(5).loadWeights(Keras3FilesTest.DIR.resolve("wrappers.weights.h5")),
                "there is no group layers/conv2d/vars", "layer \"conv2d\" (Conv2D)",
                "The file has: bidirectional, bidirectional_1, dense, time_distributed");
    }

    @Test
    void legacyWeightsOfAnotherLayerStack() {
        Sequential small = Sequential.input(4).dense(3).dense(2);
        message(() -> small.loadWeights(H5pyFilesTest.DIR.resolve("dense_conv2d_bn.h5")),
                "has weights for 4 layer(s) (conv2d_Conv2D1, batch_normalization_BatchNormalization1, dense_Dense1,"
                        + " dense_Dense2)", "has 2 layer(s) with weights");
    }

    @Test
    void kerasArchiveWithoutWeights(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("no_weights.keras");
        try (ZipFile source = new ZipFile(Keras3FilesTest.DIR.resolve("dense_conv2d_bn.keras").toFile());
             OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : new String[] {"metadata.json", "config.json"}) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(source.getInputStream(source.getEntry(name)).readAllBytes());
                zip.closeEntry();
            }
        }
        message(() -> Model.load(file), "no_weights.keras has no model.weights.h5",
                "it has: metadata.json, config.json");
    }

    @Test
    void unknownLayerClassInAKerasArchive(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("einsum.keras");
        try (ZipFile source = new ZipFile(Keras3FilesTest.DIR.resolve("dense_conv2d_bn.keras").toFile());
             OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : new String[] {"metadata.json", "config.json", "model.weights.h5"}) {
                byte[] bytes = source.getInputStream(source.getEntry(name)).readAllBytes();
                if (name.equals("config.json")) {
                    bytes = new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                            .replace("\"class_name\": \"Flatten\"", "\"class_name\": \"EinsumDense\"")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                zip.putNextEntry(new ZipEntry(name));
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        message(() -> Model.load(file), "einsum.keras, config.json: ", "\"flatten\" (EinsumDense)",
                "EinsumDense, which ShapeLab does not support", "Supported: Dense, Conv1D");
    }

    @Test
    void kerasArchiveThatIsCutShort(@TempDir Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(Keras3FilesTest.DIR.resolve("dense_conv2d_bn.keras"));
        Path file = dir.resolve("cut.keras");
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        message(() -> Model.load(file), "cut.keras is not a readable .keras file", "save it again");
    }

    /**
     * A cut-short HDF5 file gives a ShapeException naming it, never another exception; where jHDF finds everything
     * it needs before the cut (the last bytes of these files are group metadata it may not read), the weights are
     * the right ones.
     */
    @Test
    void hdf5FilesThatAreCutShort(@TempDir Path dir) throws IOException {
        Reference reference = Reference.of(Keras3FilesTest.DIR.resolve("dense_conv2d_bn.json"));
        int refused = 0;
        for (String name : new String[] {"dense_conv2d_bn.h5", "dense_conv2d_bn.weights.h5"}) {
            byte[] bytes = Files.readAllBytes(Keras3FilesTest.DIR.resolve(name));
            for (int length = 0; length < bytes.length; length += 997) {
                Path file = dir.resolve("cut-" + length + "-" + name);
                Files.write(file, Arrays.copyOf(bytes, length));
                Sequential model = denseConvModel(5);
                try {
                    model.loadWeights(file);
                    reference.check(model);
                } catch (ShapeException e) {
                    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
                    refused++;
                }
            }
        }
        assertTrue(refused >= 40, "most cuts are refused: " + refused);
    }

    @Test
    void tfjsShardMissingOrShort(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("model.json");
        Files.copy(TfjsFilesTest.DIR.resolve("dense_conv2d_bn/model.json"), json);
        message(() -> Model.load(json), "model.json: the weight shard weights.bin is missing",
                "keep the .bin files beside model.json");
        byte[] bin = Files.readAllBytes(TfjsFilesTest.DIR.resolve("dense_conv2d_bn/weights.bin"));
        Files.write(dir.resolve("weights.bin"), Arrays.copyOf(bin, bin.length - 8));
        message(() -> Model.load(json), "the shards end inside weight \"batch_normalization_BatchNormalization1"
                + "/moving_variance\"", "needs 16 bytes, 8 are left");
    }

    @Test
    void noFileNotAModelFileAndTheWrongSaveName(@TempDir Path dir) throws IOException {
        message(() -> Model.load(dir.resolve("missing.keras")), "there is no file", "missing.keras");
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a model");
        message(() -> Model.load(text), "notes.txt is none of the model files ShapeLab reads", ".keras");
        message(() -> denseConvModel(5).save(dir.resolve("m.h5")), "m.h5 should end in .keras",
                "model.save(Path.of(\"m.keras\"))");
    }

    @Test
    void sequentialLoadOfAFunctionalModel() {
        message(() -> Sequential.load(Keras3FilesTest.DIR.resolve("functional_merges.keras")),
                "holds a functional model (\"two_heads\")", "Model.load(path)");
    }

    @Test
    void npzStillLoadsAndExplainsItself(@TempDir Path dir) {
        message(() -> Model.load(dir.resolve("w.npz")), "there is no file");
    }
}
