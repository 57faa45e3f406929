package org.shapelab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.shapelab.layers.Conv1D;
import org.shapelab.layers.Conv2D;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Dropout;
import org.shapelab.layers.Embedding;
import org.shapelab.layers.LSTM;
import org.shapelab.layers.MaxPooling2D;
import org.shapelab.layers.Permute;
import org.shapelab.layers.Reshape;
import org.shapelab.shape.DataFormat;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * Every shape mistake must explain itself in the message alone (kernels drop causes): the layer, what it
 * expects with None, what it received, which kind of shape each is, and a concrete fix.
 */
class ShapeErrorMessagesTest {

    @AfterEach
    void restoreDefaultFormat() {
        DataFormat.setImageDataFormat(DataFormat.CHANNELS_LAST);
    }

    private static String message(Executable mistake) {
        return assertThrows(ShapeException.class, mistake).getMessage();
    }

    /** The parts every layer error has. */
    private static void assertComplete(String message, String layer, String expected, String received) {
        assertTrue(message.startsWith("Layer " + layer + ": "), message);
        assertTrue(message.contains("\n  expected: " + expected + "  <- summary shape"), message);
        assertTrue(message.contains("\n  received: " + received + "  <- summary shape"), message);
        assertTrue(message.contains("\n  fix:      "), message);
        assertTrue(message.contains("(summary shape: batch axis first, shown as None because any batch size fits.)"),
                message);
    }

    @Test
    void conv2dWithoutChannelAxis() {
        String m = message(() -> Sequential.input(28, 28).conv2d(8, 3));
        assertComplete(m, "\"conv2d\" (Conv2D)", "(None, rows, cols, channels)", "(None, 28, 28)");
        assertTrue(m.contains("needs 4 axes (batch, rows, cols, channels) but got 3"), m);
        assertTrue(m.contains("of the model input, declared as (28, 28)"), m);
        assertTrue(m.contains("fix:      add a channel axis of size 1: declare input(28, 28, 1), or put"
                + " reshape(28, 28, 1) before this layer"), m);
    }

    @Test
    void conv2dOnFlatPixelsSuggestsTheSquareImage() {
        String m = message(() -> Sequential.input(784).conv2d(8, 3));
        assertComplete(m, "\"conv2d\" (Conv2D)", "(None, rows, cols, channels)", "(None, 784)");
        assertTrue(m.contains("reshape(28, 28, 1)"), m);
    }

    @Test
    void conv2dChannelsFirstSuggestsChannelInFront() {
        String m = message(() -> Sequential.input(28, 28).add(new Conv2D(8, 3).dataFormat("channels_first")));
        assertComplete(m, "\"conv2d\" (Conv2D)", "(None, channels, rows, cols)", "(None, 28, 28)");
        assertTrue(m.contains("input(1, 28, 28)"), m);
    }

    @Test
    void conv1dWrongRankBothWays() {
        String tooFew = message(() -> Sequential.input(100).conv1d(4, 3));
        assertComplete(tooFew, "\"conv1d\" (Conv1D)", "(None, length, channels)", "(None, 100)");
        assertTrue(tooFew.contains("input(100, 1)"), tooFew);
        String tooMany = message(() -> Sequential.input(28, 28, 3).conv1d(4, 3));
        assertComplete(tooMany, "\"conv1d\" (Conv1D)", "(None, length, channels)", "(None, 28, 28, 3)");
        assertTrue(tooMany.contains("for images use Conv2D"), tooMany);
    }

    @Test
    void lstmWithoutTimeAxis() {
        String m = message(() -> Sequential.input(10).dense(8).lstm(4));
        assertComplete(m, "\"lstm\" (LSTM)", "(None, timesteps, features)", "(None, 8)");
        assertTrue(m.contains("of the output of layer \"dense\" (Dense)"), m);
        assertTrue(m.contains("reshape(8, 1)"), m);
    }

    @Test
    void stackedLstmWithoutReturnSequencesIsNamed() {
        String m = message(() -> Sequential.input(24, 3).lstm(16).lstm(8));
        assertComplete(m, "\"lstm_1\" (LSTM)", "(None, timesteps, features)", "(None, 16)");
        assertTrue(m.contains("give \"lstm\" (LSTM) returnSequences(true)"), m);
        assertFalse(m.contains("reshape("), "the previous layer is an LSTM: reshaping its last output is not the fix");
    }

    @Test
    void lstmOnImagesSuggestsMergingAxes() {
        String m = message(() -> Sequential.input(28, 28, 1).add(new LSTM(4)));
        assertComplete(m, "\"lstm\" (LSTM)", "(None, timesteps, features)", "(None, 28, 28, 1)");
        assertTrue(m.contains("reshape(28, 28)"), m);
    }

    @Test
    void poolingWrongRank() {
        String m = message(() -> Sequential.input(10).maxPooling2d(2));
        assertComplete(m, "\"max_pooling2d\" (MaxPooling2D)", "(None, rows, cols, channels)", "(None, 10)");
    }

    @Test
    void convolutionTooSmallSaysByHowMuch() {
        String m = message(() -> Sequential.input(4, 4, 1).conv2d(8, 3).conv2d(8, 5));
        assertComplete(m, "\"conv2d_1\" (Conv2D)", "(None, rows >= 5, cols, channels)", "(None, 2, 2, 8)");
        assertTrue(m.contains("covers 5 rows but the input has only 2 (axis 1): it is 3 too small"), m);
        assertTrue(m.contains("zero or negative"), m);
        assertTrue(m.contains("padding(\"same\")"), m);
    }

    @Test
    void dilatedKernelSpanCounts() {
        // span = d*(k-1)+1 = 3*(3-1)+1 = 7 > 6
        String m = message(() -> Sequential.input(6, 2).add(new Conv1D(2, 3).dilationRate(3)));
        assertTrue(m.contains("covers 7 length but the input has only 6"), m);
        assertTrue(m.contains("it is 1 too small"), m);
    }

    @Test
    void poolingTooSmall() {
        String m = message(() -> Sequential.input(3, 3, 1).maxPooling2d(5));
        assertComplete(m, "\"max_pooling2d\" (MaxPooling2D)", "(None, rows >= 5, cols, channels)", "(None, 3, 3, 1)");
        assertTrue(m.contains("it is 2 too small"), m);
    }

    @Test
    void channelsFirstDataInAChannelsLastLayerIsPointedOut() {
        String m = message(() -> Sequential.input(3, 32, 32).conv2d(8, 5));
        assertTrue(m.contains("note:     (None, 3, 32, 32) looks like channels_first data (3 channels first)"), m);
        assertTrue(m.contains("dataFormat(\"channels_first\")"), m);
        assertTrue(m.contains("permute(2, 3, 1)"), m);
    }

    @Test
    void aMapThatIsMerelySmallGetsNoDataFormatHint() {
        // notebook 07, mistake 5: channels_last all along, shrunk to 1x1 by pooling; the fix is about shrinking
        String m = message(() -> Sequential.input(8, 8, 1).conv2d(16, 3).maxPooling2d(2).conv2d(16, 3).maxPooling2d(2));
        assertTrue(m.contains("received: (None, 1, 1, 16)"), m);
        assertFalse(m.contains("channels_first"), m);
        assertTrue(m.contains("fix:      "), m);
        assertFalse(m.contains("note:"), m);
    }

    @Test
    void channelsFirstDataThatDoesNotFitTheWindowIsFixedByTheDataFormatFirst() {
        // input(1, 64, 64) read channels_last: 1 row, so the window does not fit; the data format is the mistake
        String m = message(() -> Sequential.input(1, 64, 64).conv2d(8, 3));
        assertTrue(m.contains("note:     (None, 1, 64, 64) looks like channels_first data (1 channel first), but this"
                + " layer reads channels_last, so it sees 64 channels and takes the 1 for rows."), m);
        String fix = m.substring(m.indexOf("fix:"));
        assertTrue(fix.startsWith("fix:      if the data is channels_first, tell the layer: dataFormat(\"channels_first\")"),
                fix);
        assertTrue(fix.contains("permute(2, 3, 1) as the first layer (Keras's Permute counts the sample axes from 1"), fix);
        assertTrue(fix.indexOf("padding") > fix.indexOf("dataFormat"), fix);
    }

    @Test
    void channelsLastDataInAChannelsFirstLayerIsPointedOut() {
        DataFormat.setImageDataFormat(DataFormat.CHANNELS_FIRST);
        String m = message(() -> Sequential.input(32, 32, 3).add(new MaxPooling2D(4)));
        assertTrue(m.contains("looks like channels_last data (3 channels last)"), m);
        assertTrue(m.contains("permute(3, 1, 2)"), m);
    }

    @Test
    void reshapeGivesBothCounts() {
        String m = message(() -> Sequential.input(784).reshape(28, 28, 2));
        assertComplete(m, "\"reshape\" (Reshape)", "(None, ...) with 1568 values per sample", "(None, 784)");
        assertTrue(m.contains("needs 1568 values per sample (28·28·2), but each sample has 784"), m);
        assertTrue(m.contains("-1"), m);
    }

    @Test
    void reshapeWithInferredAxisThatDoesNotDivide() {
        String m = message(() -> Sequential.input(10).reshape(-1, 3));
        assertTrue(m.contains("needs a multiple of 3 values per sample"), m);
        assertTrue(m.contains("each sample has 10"), m);
    }

    @Test
    void flattenAfterNoneAxisIsNoneAndTheDenseAfterItExplains() {
        // Keras: Flatten of (None, None, 8) is (None, None) (KERAS-REFERENCE, checked with Keras 3); Dense then fails.
        assertEquals("(None, None)", Sequential.input(Shape.NONE, 8).flatten().outputShape().toString());
        String m = message(() -> Sequential.input(Shape.NONE, 8).flatten().dense(1));
        assertComplete(m, "\"dense\" (Dense)", "(None, ..., features) with features known", "(None, None)");
        assertTrue(m.contains("A Flatten after an axis of unknown size (None) also gives None"), m);
        assertTrue(m.contains("GlobalAveragePooling1D"), m);
        assertTrue(m.contains("should be defined. Found None."), m);
    }

    @Test
    void denseOnNoneLastAxis() {
        String m = message(() -> Sequential.input(8, Shape.NONE).dense(4));
        assertComplete(m, "\"dense\" (Dense)", "(None, ..., features) with features known", "(None, 8, None)");
    }

    @Test
    void nonPositiveSizesAndUnits() {
        assertTrue(message(() -> new Dense(0)).contains("Layer Dense: units=0 is not valid: units must be a positive"));
        assertTrue(message(() -> new Conv2D(8, 0)).contains("kernel_size=0 is not valid"));
        assertTrue(message(() -> new Conv2D(8, 3).strides(0)).contains("strides=0 is not valid"));
        assertTrue(message(() -> new LSTM(-4)).contains("units=-4 is not valid"));
        assertTrue(message(() -> new Embedding(0, 8)).contains("input_dim=0 is not valid"));
        assertTrue(message(() -> new Dropout(1.0)).contains("rate=1.0 is not valid"));
        assertTrue(message(() -> new Reshape(0, 4)).contains("target_shape=(0, 4) is not valid"));
        assertTrue(message(() -> new Permute(1, 1)).contains("give each axis 1..2 exactly once"));
        assertTrue(message(() -> Sequential.input(28, 0)).contains("needs positive sizes"));
        assertTrue(message(() -> Shape.sample(10, -3)).contains("axis 1 of [10, -3] is -3"));
    }

    @Test
    void unknownActivationListsValidOnes() {
        String m = message(() -> Sequential.input(10).dense(3, "rleu"));
        assertTrue(m.startsWith("Layer Dense: unknown activation 'rleu'. Did you mean 'relu'?"), m);
        assertTrue(m.contains("Valid activations: linear, relu, relu6, sigmoid"), m);
    }

    @Test
    void unknownLayerNameListsTheLayers() {
        Sequential model = Sequential.input(10).dense(8).dense(1);
        String m = message(() -> model.getLayer("dnese"));
        assertTrue(m.contains("has no layer named \"dnese\". Its layers: dense, dense_1."), m);
    }

    @Test
    void declaredInputShapeMissing() {
        String m = message(() -> new Sequential().add(new Dense(3)));
        assertTrue(m.contains("does not know its input shape"), m);
        assertTrue(m.contains("inputShape(10) (Keras's input_shape=(10,), without the batch axis)"), m);
    }

    @Test
    void conflictingInputShapeNamesBothKinds() {
        String m = message(() -> Sequential.input(10).add(new Dense(3).inputShape(5)));
        assertTrue(m.contains("received: (5,)  <- declared sample shape"), m);
        assertTrue(m.contains("expected: (None, 10)  <- summary shape"), m);
        assertTrue(m.contains("(declared sample shape: one sample, batch axis left out, as in input_shape.)"), m);
    }

    @Test
    void aLayerCannotBeAddedTwiceOrChangedAfterBuilding() {
        Dense dense = new Dense(3);
        Sequential.input(4).add(dense);
        assertTrue(message(() -> Sequential.input(4).add(dense)).contains("already part of a model"));
        assertTrue(message(() -> dense.activation("relu")).contains("is already part of a model, so activation"));
    }

    @Test
    void failedAddLeavesTheModelAsItWas() {
        Sequential model = Sequential.input(28, 28, 1).conv2d(4, 3);
        assertThrows(ShapeException.class, () -> model.conv2d(4, 30));
        assertEquals(1, model.layers().size());
        assertEquals("(None, 26, 26, 4)", model.outputShape().toString());
    }

    @Test
    void errorPartsAreAvailableToRenderers() {
        ShapeException e = assertThrows(ShapeException.class, () -> Sequential.input(28, 28).conv2d(8, 3));
        assertEquals("\"conv2d\" (Conv2D)", e.layer().orElseThrow());
        assertEquals("(None, rows, cols, channels)", e.expected().orElseThrow());
        assertEquals(Shape.summary(Shape.NONE, 28, 28), e.received().orElseThrow());
        assertTrue(e.fix().orElseThrow().contains("input(28, 28, 1)"));
    }
}
