package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.Conv1D;
import org.shapelab.layers.Dropout;
import org.shapelab.layers.LSTM;
import org.shapelab.model.Sequential;
import org.shapelab.shape.ShapeException;

/**
 * Layers before the last reuse their output arrays from one predict to the next (NativeOp.output); what predict
 * returns must still be the caller's own array, untouched by later calls, whatever the last layer is.
 */
class ReusedOutputsTest {

    static List<Supplier<Sequential>> models() {
        return List.of(
                () -> Sequential.input(6).dense(5, "relu").dense(3, "softmax"),
                () -> Sequential.input(8, 8, 2).conv2d(4, 3, "relu").maxPooling2d(2).flatten(),
                () -> Sequential.input(12, 2).conv1d(3, 3).add(new Dropout(0.5)),
                () -> Sequential.input(6).dense(4),
                () -> Sequential.input(5, 3).add(new LSTM(4, true)).add(new LSTM(2)),
                () -> Sequential.input(5, 3).add(new Conv1D(2, 2).padding("causal")).reshape(10).activation("tanh"));
    }

    private static long[] batch(Sequential model, int size) {
        return java.util.Arrays.stream(model.inputShape().withBatch(size).dims()).asLongStream().toArray();
    }

    @ParameterizedTest
    @MethodSource("models")
    void aResultIsNotOverwrittenByTheNextPredict(Supplier<Sequential> build) {
        Sequential model = build.get();
        ModelRuntime runtime = ModelRuntime.of(model).seed(7);
        long[] shape = batch(model, 4);
        INDArray first = Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
        INDArray second = Nd4j.rand(DataType.FLOAT, shape).subi(0.5).muli(3);

        INDArray firstResult = runtime.predict(first);
        INDArray firstValues = firstResult.dup();
        INDArray secondResult = runtime.predict(second);
        assertNotSame(firstResult, secondResult);
        assertEquals(firstValues, firstResult, "the second predict changed the first one's result");
        assertNotEquals(firstValues, secondResult, "different inputs should give different outputs");
        // The same batch again gives the same numbers, from the reused buffers.
        assertEquals(firstValues, runtime.predict(first));
        // A batch of another size (new buffers), then the first size again.
        runtime.predict(Nd4j.rand(DataType.FLOAT, batch(model, 9)));
        assertEquals(firstValues, runtime.predict(first));
        assertEquals(firstValues, runtime.trace(first).output());
    }

    @ParameterizedTest
    @MethodSource("models")
    void predictIntoOutWritesTheSameNumbersAsPredict(Supplier<Sequential> build) {
        Sequential model = build.get();
        ModelRuntime runtime = ModelRuntime.of(model).seed(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch(model, 3)).subi(0.5);
        INDArray expected = runtime.predict(x);
        INDArray out = Nd4j.zeros(DataType.FLOAT, expected.shape());
        assertSame(out, runtime.predict(x, out));
        assertEquals(expected, out);
        INDArray other = Nd4j.rand(DataType.FLOAT, batch(model, 3));
        runtime.predict(other, out);
        assertEquals(runtime.predict(other), out);
        assertEquals(expected, runtime.predict(x), "predict(x, out) must not disturb later predicts");
    }

    @org.junit.jupiter.api.Test
    void predictIntoAnOutOfTheWrongShapeSaysWhichShapeItNeeds() {
        Sequential model = Sequential.input(6).dense(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 6);
        ShapeException e = assertThrows(ShapeException.class,
                () -> model.predict(x, Nd4j.create(DataType.FLOAT, 4, 5)));
        assertEquals("predict(x, out): out has the shape (4, 5), but the result for this batch has the shape (5, 4)"
                + " (the model's output (None, 4) with the batch size 5). Fix: out = Nd4j.create(DataType.FLOAT, 5, 4),"
                + " or call predict(x).", e.getMessage());
        ShapeException wrongType = assertThrows(ShapeException.class,
                () -> model.predict(x, Nd4j.create(DataType.DOUBLE, 5, 4)));
        assertTrue(wrongType.getMessage().contains("must be a float32 array of the result's shape; got a DOUBLE array."
                + " Fix: out = Nd4j.create(DataType.FLOAT, 5, 4), or call predict(x)"), wrongType.getMessage());
    }
}
