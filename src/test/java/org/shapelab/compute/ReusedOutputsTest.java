package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

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
}
