package org.shapelab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
     * tf.keras 2's layout, summary(SummaryStyle.TF_KERAS_2). The fixture is tf.keras 2.x's own summary() output for this CNN, as published in a Colab notebook
     * (2022): trailing spaces, the wrapped "MaxPooling2D" cells and the blank line after each layer are Keras's.
     */
    @Test
    void equalsTfKerasOutputForTheSameCnn() throws IOException {
        Sequential model = Sequential.input(28, 28, 1)
                .conv2d(32, 3, "relu").maxPooling2d(2)
                .conv2d(32, 3, "relu").maxPooling2d(2)
                .flatten().dense(64, "relu").dense(10, "softmax");
        assertEquals(resource("/keras-reference/tf-keras-2-summary-cnn.txt"), model.summary(SummaryStyle.TF_KERAS_2));
    }

    /** The default is Keras 3's boxed table (byte-exact cases against real Keras 3 are in Keras3SummaryTest). */
    @Test
    void defaultIsKeras3() {
        Sequential model = Sequential.input(8).dense(4, "relu").dense(1);
        assertEquals("""
                Model: "sequential"
                ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
                ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
                ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
                │ dense (Dense)                   │ (None, 4)              │            36 │
                ├─────────────────────────────────┼────────────────────────┼───────────────┤
                │ dense_1 (Dense)                 │ (None, 1)              │             5 │
                └─────────────────────────────────┴────────────────────────┴───────────────┘
                 Total params: 41 (164.00 B)
                 Trainable params: 41 (164.00 B)
                 Non-trainable params: 0 (0.00 B)
                """, model.summary());
        assertEquals(model.summary(), model.summary(SummaryStyle.KERAS_3));
        assertEquals(model.summary(), model.toString());
    }

    /** Keras 3 on {@code keras.Sequential([keras.Input(shape=(10,))], name="empty [test]")}: the header rule stays. */
    @Test
    void modelWithoutLayers() {
        Sequential model = new Sequential("empty [test]").withInput(org.shapelab.layers.Input.shape(10));
        assertEquals("""
                Model: "empty [test]"
                ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
                ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
                ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
                └─────────────────────────────────┴────────────────────────┴───────────────┘
                 Total params: 0 (0.00 B)
                 Trainable params: 0 (0.00 B)
                 Non-trainable params: 0 (0.00 B)
                """, model.summary());
    }

    @Test
    void thousandsSeparatorsInCountsAndTotals() {
        Sequential model = Sequential.input(784).dense(512).dense(10);
        String keras3 = model.summary();
        assertTrue(keras3.contains("│ dense (Dense)                   │ (None, 512)            │       401,920 │\n"), keras3);
        assertTrue(keras3.contains(" Total params: 407,050 (1.55 MB)\n"), keras3);
        String tfKeras2 = model.summary(SummaryStyle.TF_KERAS_2);
        assertTrue(tfKeras2.contains(" dense (Dense)               (None, 512)               401920    \n"), tfKeras2);
        assertTrue(tfKeras2.contains("Total params: 407,050\n"), tfKeras2);
    }

    @Test
    void modelAndLayerNamesAsGiven() {
        Sequential model = new Sequential("classifier").add(new Dense(4).inputShape(3)).add(new Dense(2).name("out"));
        for (SummaryStyle style : SummaryStyle.values()) {
            String summary = model.summary(style);
            assertTrue(summary.startsWith("Model: \"classifier\"\n"), summary);
            assertTrue(summary.contains(" out (Dense)"), summary);
        }
    }

    @Test
    void nonTrainableCountsFromBatchNormalization() {
        Sequential model = Sequential.input(32, 32, 3).add(new Conv2D(16, 3)).batchNormalization();
        String keras3 = model.summary();
        assertTrue(keras3.contains(" Total params: 512 (2.00 KB)\n"), keras3);
        assertTrue(keras3.contains(" Trainable params: 480 (1.88 KB)\n"), keras3);
        assertTrue(keras3.contains(" Non-trainable params: 32 (128.00 B)\n"), keras3);
        String tfKeras2 = model.summary(SummaryStyle.TF_KERAS_2);
        assertTrue(tfKeras2.contains("Total params: 512\n"), tfKeras2);
        assertTrue(tfKeras2.contains("Trainable params: 480\n"), tfKeras2);
        assertTrue(tfKeras2.contains("Non-trainable params: 32\n"), tfKeras2);
    }

    /** Python's "{:.2f}" rounds the exact binary value half to even: 1.125 KB is "1.12 KB", not Java's "1.13". */
    @Test
    void sizesRoundAsPythonFormatsThem() {
        assertEquals("0.00 B", Summary.Keras3.readableSize(0));
        assertEquals("1020.00 B", Summary.Keras3.readableSize(1020));
        assertEquals("1.00 KB", Summary.Keras3.readableSize(1024));
        assertEquals("1.12 KB", Summary.Keras3.readableSize(1152));
        assertEquals("1.38 KB", Summary.Keras3.readableSize(1408));
        assertEquals("3.03 GB", Summary.Keras3.readableSize(813_869_800L * 4.0));
        assertEquals("1.00 PB", Summary.Keras3.readableSize(Math.pow(1024, 6)));
        assertEquals("1024.00 PB", Summary.Keras3.readableSize(Math.pow(1024, 7)));
        assertEquals("(None)", Summary.Keras3.shapeText(org.shapelab.shape.Shape.summary(-1)));
    }

    /** rich's widths: Keras's 0.45/0.80/1.0 of 76 plus padding, reduced evenly (Python's round) to fit the borders. */
    @Test
    void columnWidthsAsRichComputesThem() {
        assertArrayEquals(new int[] {33, 24, 15}, Summary.Keras3.columnWidths(76, new double[] {0.45, 0.80, 1.0}));
        assertArrayEquals(new int[] {21, 19, 12, 19},
                Summary.Keras3.columnWidths(76, new double[] {0.3, 0.56, 0.74, 1.0}));
    }

    /** A word longer than its column is cut with "…" (rich's overflow "ellipsis"), never folded. */
    @Test
    void cellsWrapAtSpacesAndCutLongWords() {
        assertEquals(java.util.List.of("input_layer        ", "(InputLayer)       "),
                Summary.Keras3.wrap("input_layer (InputLayer)", 19, false));
        assertEquals(java.util.List.of("categorical_featur…", "(InputLayer)       "),
                Summary.Keras3.wrap("categorical_features (InputLayer)", 19, false));
        assertEquals(java.util.List.of("    1,234"), Summary.Keras3.wrap("1,234", 9, true));
    }

    static String resource(String path) throws IOException {
        try (InputStream in = SummaryTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
