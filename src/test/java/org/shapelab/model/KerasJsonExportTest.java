package org.shapelab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

/**
 * Writes ShapeLab's Keras JSON of every TF.js reference model to target/keras-json-export/, where CI hands
 * them back to TensorFlow.js (tools/keras-reference/check-readable.mjs): a model must survive
 * TF.js -> ShapeLab -> TF.js with the shapes and counts TF.js first reported.
 */
class KerasJsonExportTest {

    static final Path EXPORT_DIR = Path.of("target", "keras-json-export");

    @Test
    void writesEveryReferenceModelForTensorFlowJs() throws IOException {
        Files.createDirectories(EXPORT_DIR);
        List<JsonNode> cases = KerasReferenceShapesTest.cases().toList();
        for (JsonNode c : cases) {
            String json = Sequential.fromKerasJson(c.get("model").toString()).toKerasJson();
            Files.writeString(EXPORT_DIR.resolve(c.get("id").asText() + ".json"), json);
        }
        try (var files = Files.list(EXPORT_DIR)) {
            assertEquals(cases.size(), files.filter(p -> p.toString().endsWith(".json")).count());
        }
    }
}
