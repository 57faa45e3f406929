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
}
