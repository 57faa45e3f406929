package org.shapelab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.shapelab.layers.BatchNormalization;
import org.shapelab.layers.Conv1D;
import org.shapelab.layers.Conv2D;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Embedding;
import org.shapelab.layers.Flatten;
import org.shapelab.layers.LSTM;
import org.shapelab.layers.MaxPooling2D;
import org.shapelab.layers.TimeDistributed;
import org.shapelab.shape.DataFormat;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/** Models written with the fluent API equal the same models built by TensorFlow.js (names, shapes, counts). */
class FluentApiTest {

    @AfterEach
    void restoreDefaultFormat() {
        DataFormat.setImageDataFormat(DataFormat.CHANNELS_LAST);
    }

    private static void assertSameAsReference(String id, Sequential model) {
        JsonNode reference = KerasReferenceShapesTest.cases().filter(c -> c.get("id").asText().equals(id))
                .findFirst().orElseThrow();
        KerasReferenceShapesTest.assertModelMatches(reference, model);
    }

    @Test
    void lenet() {
        assertSameAsReference("model_lenet", Sequential.input(28, 28, 1)
                .add(new Conv2D(6, 5).padding("same").activation("relu"))
                .maxPooling2d(2)
                .conv2d(16, 5, "relu")
                .maxPooling2d(2)
                .flatten()
                .dense(120, "relu")
                .dense(84, "relu")
                .dense(10, "softmax"));
    }

    @Test
    void conv1dAudio() {
        assertSameAsReference("model_conv1d_audio", Sequential.input(1000, 2)
                .add(new Conv1D(16, 9).strides(2).activation("relu"))
                .batchNormalization()
                .maxPooling1d(4)
                .add(new Conv1D(32, 5).padding("same").activation("relu"))
                .maxPooling1d(4)
                .conv1d(64, 3, "relu")
                .globalAveragePooling1d()
                .dropout(0.3)
                .dense(5, "softmax"));
    }

    @Test
    void stackedLstmText() {
        assertSameAsReference("model_lstm_text", Sequential.input(100)
                .add(new Embedding(10000, 64).inputLength(100))
                .lstm(64, true)
                .lstm(32)
                .dense(1, "sigmoid"));
    }

    @Test
    void channelsFirstCnnWithTheGlobalDefault() {
        DataFormat.setImageDataFormat(DataFormat.CHANNELS_FIRST);
        assertSameAsReference("model_channels_first_cnn", Sequential.input(3, 32, 32)
                .add(new Conv2D(16, 3).padding("same").activation("relu"))
                .add(new BatchNormalization().axis(1))
                .maxPooling2d(2)
                .conv2d(32, 3, "relu")
                .maxPooling2d(2)
                .flatten()
                .dense(10, "softmax"));
    }

    @Test
    void videoCrnnNamesWrappedLayersFirst() {
        assertSameAsReference("model_video_crnn", Sequential.input(8, 32, 32, 3)
                .timeDistributed(new Conv2D(8, 3, "relu"))
                .timeDistributed(new MaxPooling2D(2))
                .timeDistributed(new Flatten())
                .lstm(16)
                .dense(3, "softmax"));
    }

    @Test
    void kerasStyleListOfLayersWithInputShapeOnTheFirst() {
        Sequential model = Sequential.of(new Dense(32, "relu").inputShape(10), new Dense(1));
        assertEquals("(None, 10)", model.inputShape().toString());
        assertEquals("(10,)", model.sampleInputShape().toString());
        assertEquals(385, model.countParams());
        assertEquals(java.util.List.of("dense", "dense_1"), model.layers().stream().map(l -> l.name()).toList());
    }

    @Test
    void denseActsOnTheLastAxis() {
        Sequential model = Sequential.input(28, 28).dense(64);
        assertEquals(Shape.summary(Shape.NONE, 28, 64), model.outputShape());
        assertEquals(28 * 64 + 64, model.countParams());
    }

    @Test
    void variableTimestepsStayNone() {
        Sequential model = Sequential.input(Shape.NONE, 8).add(new LSTM(16).returnSequences(true)).lstm(4);
        assertEquals("(None, None, 16)", model.layers().get(0).outputShape().toString());
        assertEquals("(None, 4)", model.outputShape().toString());
    }

    @Test
    void namesAreUniquePerModel() {
        assertThrows(ShapeException.class, () -> Sequential.input(4).add(new Dense(2).name("x")).add(new Dense(2).name("x")));
        // Each model counts its own names, so re-running a notebook cell gives the same names.
        assertEquals("dense", Sequential.input(4).dense(2).layers().get(0).name());
        assertEquals("dense", Sequential.input(4).dense(2).layers().get(0).name());
    }

    @Test
    void timeDistributedDenseOnSequences() {
        Sequential model = Sequential.input(10, 16).lstm(32, true).timeDistributed(new Dense(5));
        assertEquals("(None, 10, 5)", model.outputShape().toString());
        assertEquals("dense", model.layers().get(1).innerLayers().get(0).name());
        assertEquals("time_distributed", model.layers().get(1).name());
    }
}
