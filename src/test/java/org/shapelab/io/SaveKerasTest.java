package org.shapelab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.shapelab.model.Model;

/** {@code model.save("m.keras")}: a round trip, and the files real Keras 3 opened (tools/model-files/check-saved.py). */
class SaveKerasTest {

    static final List<String> NAMES = List.of("dense_conv2d_bn", "embedding_conv1d_rnn", "wrappers",
            "functional_merges");

    /** Where the saved files go for tools/model-files/check-saved.py (target/ is not committed). */
    static final Path SAVED = Path.of("target/model-files-saved");

    @ParameterizedTest
    @ValueSource(strings = {"dense_conv2d_bn", "embedding_conv1d_rnn", "wrappers", "functional_merges"})
    void roundTrip(String name, @TempDir Path dir) throws IOException {
        Model model = Model.load(Keras3FilesTest.DIR.resolve(name + ".keras"));
        Path file = dir.resolve(name + ".keras");
        model.save(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<String> members = new ArrayList<>();
            Collections.list(zip.entries()).forEach(e -> members.add(e.getName()));
            assertEquals(List.of("metadata.json", "config.json", "model.weights.h5"), members);
        }
        Model back = Model.load(file);
        assertEquals(model.getClass(), back.getClass());
        assertEquals(model.toKerasJson(), back.toKerasJson());
        Reference.of(Keras3FilesTest.DIR.resolve(name + ".json")).check(back);

        Files.createDirectories(SAVED);
        model.save(SAVED.resolve(name + ".keras"));
        model.save(SAVED.resolve(name + ".weights.h5"));
        Model fresh = Model.fromKerasJson(model.toKerasJson());
        fresh.loadWeights(SAVED.resolve(name + ".weights.h5"));
        Reference.of(Keras3FilesTest.DIR.resolve(name + ".json")).check(fresh);
    }

    static final Path VERIFIED = Reference.FILES.resolve("saved-by-shapelab");

    /**
     * Real Keras 3 opened the files in saved-by-shapelab/ (tools/model-files/check-saved.py recorded its predictions
     * in check.json); ShapeLab must still write the same: the same config.json and the same weight datasets.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dense_conv2d_bn", "embedding_conv1d_rnn", "wrappers", "functional_merges"})
    void stillWritesWhatKerasOpened(String name, @TempDir Path dir) throws IOException {
        Model model = Model.load(Keras3FilesTest.DIR.resolve(name + ".keras"));
        Path file = dir.resolve(name + ".keras");
        model.save(file);
        Path verified = VERIFIED.resolve(name + ".keras");
        assertEquals(member(verified, "config.json"), member(file, "config.json"), "config.json");
        try (HdfFile now = HdfFile.fromBytes(member(file, "model.weights.h5").getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1));
             HdfFile then = HdfFile.fromBytes(member(verified, "model.weights.h5").getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1))) {
            assertEquals(datasets(then, new java.util.TreeMap<>()), datasets(now, new java.util.TreeMap<>()));
        }
    }

    @Test
    void kerasFoundTheSamePredictions() throws IOException {
        JsonNode check = new ObjectMapper().readTree(Files.readString(VERIFIED.resolve("check.json")));
        assertTrue(check.path("keras_version").asText().startsWith("3."), "checked with Keras 3");
        for (String name : NAMES) {
            JsonNode model = check.path("models").path(name);
            assertTrue(model.path("load_model max |diff|").asDouble(1) <= 1e-5, name + " load_model");
            assertTrue(model.path("load_weights max |diff|").asDouble(1) <= 1e-5, name + " load_weights");
        }
    }

    private static String member(Path zipFile, String name) throws IOException {
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            ZipEntry entry = zip.getEntry(name);
            assertTrue(entry != null, zipFile.getFileName() + " has " + name);
            try (var in = zip.getInputStream(entry)) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** Every dataset path with its shape and values, as text. */
    private static java.util.TreeMap<String, String> datasets(Group group, java.util.TreeMap<String, String> into) {
        for (Node node : group) {
            if (node instanceof Group g) {
                datasets(g, into);
            } else if (node instanceof Dataset d) {
                into.put(d.getPath(), java.util.Arrays.toString(d.getDimensions()) + " "
                        + java.util.Arrays.toString((float[]) d.getDataFlat()));
            }
        }
        return into;
    }

    static final List<String> BUILT = List.of("built_sequence", "built_image", "built_graph");

    /**
     * Models built in Java: saved, read back (the same JSON and predictions), and written with their inputs and
     * ShapeLab's predictions for check-saved.py, which has Keras predict them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"built_sequence", "built_image", "built_graph"})
    void builtModelsRoundTrip(String name, @TempDir Path dir) throws IOException {
        Model model = BuiltModels.all().get(name);
        List<org.nd4j.linalg.api.ndarray.INDArray> x = BuiltModels.inputs(model, 7);
        List<org.nd4j.linalg.api.ndarray.INDArray> y = model.predict(x.toArray(org.nd4j.linalg.api.ndarray.INDArray[]::new));
        Path file = dir.resolve(name + ".keras");
        model.save(file);
        Model back = Model.load(file);
        assertEquals(model.toKerasJson(), back.toKerasJson());
        new Reference(x, y.stream().map(a -> a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)).toList())
                .check(back);
        Files.createDirectories(SAVED);
        model.save(SAVED.resolve(name + ".keras"));
        model.save(SAVED.resolve(name + ".weights.h5"));
        Files.writeString(SAVED.resolve(name + ".json"), "{\"x\": " + lists(x) + ", \"y\": " + lists(y) + "}");
    }

    /** Keras's predictions for the built models, from the files it opened (check-saved.py), are ShapeLab's. */
    @ParameterizedTest
    @ValueSource(strings = {"built_sequence", "built_image", "built_graph"})
    void builtModelsPredictAsKerasDid(String name, @TempDir Path dir) throws IOException {
        Model model = Model.load(VERIFIED.resolve(name + ".keras"));
        Reference.of(VERIFIED.resolve(name + ".keras-predictions.json")).check(model);
        Path file = dir.resolve(name + ".keras");
        BuiltModels.all().get(name).save(file);
        assertEquals(member(VERIFIED.resolve(name + ".keras"), "config.json"), member(file, "config.json"));
    }

    private static String lists(List<org.nd4j.linalg.api.ndarray.INDArray> arrays) {
        StringBuilder out = new StringBuilder("[");
        for (var array : arrays) {
            out.append(out.length() > 1 ? ", " : "").append(nested(array.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE), 0, new long[] {0}));
        }
        return out.append("]").toString();
    }

    private static String nested(org.nd4j.linalg.api.ndarray.INDArray array, int axis, long[] offset) {
        double[] flat = array.dup('c').data().asDouble();
        return nested(flat, array.shape(), axis, offset);
    }

    private static String nested(double[] flat, long[] shape, int axis, long[] offset) {
        if (axis == shape.length) {
            return Double.toString(flat[(int) offset[0]++]);
        }
        StringBuilder out = new StringBuilder("[");
        for (long i = 0; i < shape[axis]; i++) {
            out.append(i > 0 ? ", " : "").append(nested(flat, shape, axis + 1, offset));
        }
        return out.append("]").toString();
    }
}
