package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.Conv2D;
import org.shapelab.model.Sequential;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/** The messages a learner sees when the array does not fit the model, and what passes unchanged. */
class InputErrorsTest {

    static ShapeException predictFails(Sequential model, INDArray batch) {
        ShapeException e = assertThrows(ShapeException.class, () -> ModelRuntime.of(model).predict(batch));
        System.out.println(e.getMessage() + "\n");
        return e;
    }

    static void assertContains(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), "missing \"" + part + "\" in:\n" + text);
        }
    }

    @Test
    void wrongFeatureCountNamesBatchSizeAndSampleSize() {
        Sequential model = Sequential.input(10).dense(4, "relu").dense(1);
        ShapeException e = predictFails(model, Nd4j.zeros(DataType.FLOAT, 300, 5));
        assertContains(e.getMessage(), "Layer \"dense\" (Dense)", "(None, 10)", "summary shape",
                "(300, 5)", "array shape", "300 samples (axis 0, the batch size)", "5 values each",
                "should have 10 values, not 5", "fix:", "Sequential.input(5)");
        assertEquals(Shape.array(300, 5), e.received().orElseThrow());
        assertEquals("(None, 10)", e.expected().orElseThrow());
        assertTrue(e.fix().isPresent());
    }

    @Test
    void singleSampleWithoutBatchAxis() {
        Sequential model = Sequential.input(10).dense(4);
        ShapeException e = predictFails(model, Nd4j.zeros(DataType.FLOAT, 10));
        assertContains(e.getMessage(), "(10,)", "array shape", "one sample without the batch axis",
                "add a batch axis: x.reshape(1, 10)");
    }

    @Test
    void singleImageWithoutBatchAxis() {
        Sequential model = Sequential.input(28, 28, 1).conv2d(8, 3);
        ShapeException e = predictFails(model, Nd4j.zeros(DataType.FLOAT, 28, 28, 1));
        assertContains(e.getMessage(), "\"conv2d\" (Conv2D)", "(None, 28, 28, 1)", "(28, 28, 1)",
                "x.reshape(1, 28, 28, 1)");
    }

    @Test
    void missingChannelAxis() {
        Sequential model = Sequential.input(28, 28, 1).conv2d(8, 3);
        ShapeException e = predictFails(model, Nd4j.zeros(DataType.FLOAT, 300, 28, 28));
        assertContains(e.getMessage(), "(300, 28, 28)", "channel", "300 is the batch size",
                "x.reshape(300, 28, 28, 1)");
    }

    @Test
    void flatRowsForImageModel() {
        Sequential model = Sequential.input(28, 28, 1).conv2d(8, 3);
        ShapeException e = predictFails(model, Nd4j.zeros(DataType.FLOAT, 300, 784));
        assertContains(e.getMessage(), "(300, 784)", "784 values laid out flat", "x.reshape(300, 28, 28, 1)");
    }

    @Test
    void channelsFirstDataForChannelsLastModelGetsTheSwapHint() {
        Sequential model = Sequential.input(32, 32, 3).conv2d(8, 3);
        ShapeException e = predictFails(model, Nd4j.zeros(DataType.FLOAT, 16, 3, 32, 32));
        assertContains(e.getMessage(), "(16, 3, 32, 32)", "axis 0, 16, is the batch size",
                "looks like channels_first data", "x.permute(0, 2, 3, 1)  (ND4J's permute counts every axis from 0, the batch"
                + " included)");
        assertTrue(e.getMessage().contains("note:"));
        assertFalse(e.getMessage().contains("permute(2, 3, 1)"), "an array fix must not mix in Keras's Permute axes");
    }

    @Test
    void channelsLastDataForChannelsFirstModelGetsTheSwapHint() {
        Sequential model = Sequential.input(3, 32, 32).add(new Conv2D(8, 3).dataFormat("channels_first"));
        ShapeException e = predictFails(model, Nd4j.zeros(DataType.FLOAT, 16, 32, 32, 3));
        assertContains(e.getMessage(), "looks like channels_last data", "x.permute(0, 3, 1, 2)");
    }

    @Test
    void wrongRankInGeneral() {
        Sequential model = Sequential.input(5, 8).lstm(4);
        ShapeException e = predictFails(model, Nd4j.zeros(DataType.FLOAT, 2, 3, 5, 8));
        assertContains(e.getMessage(), "\"lstm\" (LSTM)", "3 axes", "(BatchSize, 5, 8)", "has 4");
    }

    @Test
    void emptyBatch() {
        Sequential model = Sequential.input(3).dense(2);
        ShapeException e = predictFails(model, Nd4j.create(DataType.FLOAT, 0, 3));
        assertContains(e.getMessage(), "empty");
    }

    @Test
    void noneAxesAcceptAnyLength() {
        Sequential model = Sequential.input(Shape.NONE, 3).lstm(2, true);
        ModelRuntime runtime = ModelRuntime.of(model);
        assertArrayEquals(new long[] {4, 7, 2}, runtime.predict(Nd4j.rand(DataType.FLOAT, 4, 7, 3)).shape());
        assertArrayEquals(new long[] {1, 2, 2}, runtime.predict(Nd4j.rand(DataType.FLOAT, 1, 2, 3)).shape());
    }

    @Test
    void intAndDoubleInputBecomeFloat32AndNanPassesThrough() {
        Sequential model = Sequential.input(2).dense(2);
        ModelRuntime runtime = ModelRuntime.of(model);
        runtime.setWeights(java.util.List.of(Nd4j.eye(2).castTo(DataType.FLOAT), Nd4j.zeros(DataType.FLOAT, 2)));
        INDArray fromInts = runtime.predict(Nd4j.createFromArray(new int[][] {{1, 2}, {3, 4}}));
        assertEquals(DataType.FLOAT, fromInts.dataType());
        assertEquals(4f, fromInts.getFloat(1, 1));
        INDArray fromDoubles = runtime.predict(new double[][] {{Double.NaN, Double.POSITIVE_INFINITY}});
        assertEquals(DataType.FLOAT, fromDoubles.dataType());
        assertTrue(Float.isNaN(fromDoubles.getFloat(0, 0)));
    }

    @Test
    void predictNeverReturnsOrChangesTheCallersArray() {
        Sequential model = Sequential.input(4).dropout(0.5);
        INDArray x = Nd4j.create(new float[][] {{1, 2, 3, 4}});
        INDArray y = ModelRuntime.of(model).predict(x);
        assertTrue(y != x);
        y.addi(1);
        assertEquals(1f, x.getFloat(0, 0));
    }

    @Test
    void rowsFillTheSampleShape() {
        Sequential model = Sequential.input(2, 2, 1).flatten();
        INDArray y = ModelRuntime.of(model).predict(new float[] {1, 2, 3, 4}, new float[] {5, 6, 7, 8});
        assertArrayEquals(new long[] {2, 4}, y.shape());
        Sequential sequence = Sequential.input(Shape.NONE, 2).globalAveragePooling1d();
        assertArrayEquals(new long[] {1, 2}, ModelRuntime.of(sequence).predict(new float[] {1, 2, 3, 4, 5, 6}).shape());
        ShapeException ragged = assertThrows(ShapeException.class,
                () -> ModelRuntime.of(model).predict(new float[] {1, 2, 3, 4}, new float[] {1}));
        assertContains(ragged.getMessage(), "row 1 has 1 values");
    }

    @Test
    void embeddingIdOutOfRange() {
        Sequential model = Sequential.input(4).embedding(10, 3);
        ShapeException e = predictFails(model, Nd4j.create(new float[][] {{1, 2, 3, 4}, {5, 12, 0, 1}}));
        assertContains(e.getMessage(), "\"embedding\" (Embedding)", "token id 12", "position (1, 1)",
                "input_dim is 10", "ids go from 0 to 9", "at least 13");
        ShapeException negative = predictFails(model, Nd4j.create(new float[][] {{1, -3, 3, 4}}));
        assertContains(negative.getMessage(), "token id -3", "position (0, 1)");
    }
}
