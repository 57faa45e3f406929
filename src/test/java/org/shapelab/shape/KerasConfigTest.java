package org.shapelab.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default data format comes from keras.json, where Keras 3 looks for it. */
class KerasConfigTest {

    @TempDir
    Path home;

    @Test
    void kerasHomeWinsOverTheUsersHome() {
        assertEquals(Path.of("/opt/k", "keras.json"), KerasConfig.file("/opt/k", "/home/a"));
        assertEquals(Path.of("/home/a", ".keras", "keras.json"), KerasConfig.file(null, "/home/a"));
        assertEquals(Path.of("/home/a", ".keras", "keras.json"), KerasConfig.file(" ", "/home/a"));
    }

    @Test
    void readsTheFileKeras3Writes() throws IOException {
        // the file Keras 3 writes on first import (keras/src/backend/config.py), with channels_first set by hand
        Path file = Files.writeString(home.resolve("keras.json"), "{\n    \"floatx\": \"float32\",\n    \"epsilon\": 1e-07,\n"
                + "    \"backend\": \"jax\",\n    \"image_data_format\": \"channels_first\"\n}");
        KerasConfig config = KerasConfig.read(file);
        assertEquals(DataFormat.CHANNELS_FIRST, config.format());
        assertEquals("image_data_format \"channels_first\" in " + file, config.source());
    }

    @Test
    void withoutTheFileOrTheKeyKerassDefaultApplies() throws IOException {
        KerasConfig missing = KerasConfig.read(home.resolve("nothing.json"));
        assertEquals(DataFormat.CHANNELS_LAST, missing.format());
        assertTrue(missing.source().startsWith("Keras's default, channels_last (there is no "), missing.source());
        Path noKey = Files.writeString(home.resolve("k.json"), "{\"backend\": \"jax\"}");
        assertEquals(DataFormat.CHANNELS_LAST, KerasConfig.read(noKey).format());
        assertTrue(KerasConfig.read(noKey).source().contains("has no image_data_format"));
    }

    @Test
    void aValueKerasRejectsIsNamedWithTheFix() throws IOException {
        Path file = Files.writeString(home.resolve("keras.json"), "{\"image_data_format\": \"channels_middle\"}");
        KerasConfig config = KerasConfig.read(file);
        assertEquals(DataFormat.CHANNELS_LAST, config.format());
        assertTrue(config.source().contains("\"channels_middle\", which Keras rejects"), config.source());
        assertTrue(config.source().endsWith("fix the file"), config.source());
    }

    @Test
    void settingTheFormatInTheSessionIsReportedAsSuch() {
        DataFormat before = DataFormat.imageDataFormat();
        try {
            DataFormat.setImageDataFormat(DataFormat.CHANNELS_FIRST);
            assertTrue(DataFormat.imageDataFormatSource().contains("keras.config.set_image_data_format(\"channels_first\")"));
        } finally {
            DataFormat.setImageDataFormat(before);
        }
    }
}
