package org.shapelab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.shapelab.layers.Conv2D;
import org.shapelab.layers.Dense;

class SummaryTest {

    /**
     * The fixture is tf.keras 2.x's own summary() output for this CNN, as published in a Colab notebook
     * (2022): trailing spaces, the wrapped "MaxPooling2D" cells and the blank line after each layer are Keras's.
     */
    @Test
    void equalsTfKerasOutputForTheSameCnn() throws IOException {
        Sequential model = Sequential.input(28, 28, 1)
                .conv2d(32, 3, "relu").maxPooling2d(2)
                .conv2d(32, 3, "relu").maxPooling2d(2)
                .flatten().dense(64, "relu").dense(10, "softmax");
        assertEquals(resource("/keras-reference/tf-keras-2-summary-cnn.txt"), model.summary());
    }

    @Test
    void thousandsSeparatorsOnlyInTotals() {
        Sequential model = Sequential.input(784).dense(512).dense(10);
        String summary = model.summary();
        assertTrue(summary.contains(" dense (Dense)               (None, 512)               401920    \n"), summary);
        assertTrue(summary.contains("Total params: 407,050\n"), summary);
    }

    @Test
    void modelAndLayerNamesAsGiven() {
        Sequential model = new Sequential("classifier").add(new Dense(4).inputShape(3)).add(new Dense(2).name("out"));
        String summary = model.summary();
        assertTrue(summary.startsWith("Model: \"classifier\"\n"), summary);
        assertTrue(summary.contains(" out (Dense)"), summary);
    }

    @Test
    void nonTrainableCountsFromBatchNormalization() {
        Sequential model = Sequential.input(32, 32, 3).add(new Conv2D(16, 3)).batchNormalization();
        String summary = model.summary();
        assertTrue(summary.contains("Total params: 512\n"), summary);
        assertTrue(summary.contains("Trainable params: 480\n"), summary);
        assertTrue(summary.contains("Non-trainable params: 32\n"), summary);
    }

    static String resource(String path) throws IOException {
        try (InputStream in = SummaryTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
