package org.shapelab.shape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keras's configuration file, {@code keras.json}, as far as shapes care: its {@code image_data_format}. Keras 3
 * reads it from {@code $KERAS_HOME/keras.json}, else {@code ~/.keras/keras.json} (keras/src/backend/config.py), and
 * rejects any value but channels_last and channels_first; without the file or the key it uses channels_last.
 */
record KerasConfig(DataFormat format, String source) {

    private static final Pattern IMAGE_DATA_FORMAT = Pattern.compile("\"image_data_format\"\\s*:\\s*\"([^\"]*)\"");

    /** The file Keras reads: {@code $KERAS_HOME/keras.json}, else {@code <home>/.keras/keras.json}. */
    static Path file(String kerasHome, String userHome) {
        if (kerasHome != null && !kerasHome.isBlank()) {
            return Path.of(kerasHome, "keras.json");
        }
        return Path.of(userHome == null ? "." : userHome, ".keras", "keras.json");
    }

    /** The format the file sets, and a sentence saying so; never throws (a learner's kernel must start). */
    static KerasConfig read(Path file) {
        String text;
        try {
            if (!Files.isRegularFile(file)) {
                return new KerasConfig(DataFormat.CHANNELS_LAST, "Keras's default, channels_last (there is no " + file
                        + ")");
            }
            text = Files.readString(file);
        } catch (IOException | RuntimeException unreadable) {
            return new KerasConfig(DataFormat.CHANNELS_LAST, "Keras's default, channels_last (" + file
                    + " could not be read: " + unreadable.getMessage() + ")");
        }
        Matcher m = IMAGE_DATA_FORMAT.matcher(text);
        if (!m.find()) {
            return new KerasConfig(DataFormat.CHANNELS_LAST, "Keras's default, channels_last (" + file
                    + " has no image_data_format)");
        }
        String value = m.group(1);
        for (DataFormat format : DataFormat.values()) {
            if (format.kerasName().equals(value)) {
                return new KerasConfig(format, "image_data_format \"" + value + "\" in " + file);
            }
        }
        return new KerasConfig(DataFormat.CHANNELS_LAST, "channels_last, because " + file + " says image_data_format \""
                + value + "\", which Keras rejects (it must be \"channels_last\" or \"channels_first\"); fix the file");
    }
}
