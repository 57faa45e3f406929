package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.shapelab.layers.Concatenate;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Input;
import org.shapelab.layers.LSTM;
import org.shapelab.layers.SimpleRNN;
import org.shapelab.layers.Tensor;
import org.shapelab.model.Functional;
import org.shapelab.model.Model;
import org.shapelab.model.Sequential;
import org.shapelab.shape.ShapeException;

/**
 * What predict does with a functional model's arrays, and how stateful layers carry states: the mistakes explained,
 * and the properties Keras's semantics imply (numbers against Keras are in reference.GraphReferenceTest).
 */
class FunctionalRuntimeTest {

    private static Functional twoInputs() {
        Input numbers = Input.shape(10).name("numbers");
        Input steps = Input.shape(6, 3).name("steps");
        Tensor joined = new Concatenate().apply(new Dense(4).apply(numbers), new LSTM(4).apply(steps));
        return Model.of(List.of(numbers, steps), List.of(new Dense(1).apply(joined)));
    }

    @Test
    void predictNeedsOneArrayPerInputInOrder() {
        Functional model = twoInputs();
        INDArray numbers = Nd4j.rand(DataType.FLOAT, 5, 10);
        INDArray steps = Nd4j.rand(DataType.FLOAT, 5, 6, 3);
        assertEquals(List.of(5L, 1L), List.of(model.predict(numbers, steps).get(0).shape()[0],
                model.predict(numbers, steps).get(0).shape()[1]));

        ShapeException one = assertThrows(ShapeException.class, () -> model.predict(numbers));
        assertTrue(one.getMessage().contains("has 2 inputs (\"numbers\" (None, 10), \"steps\" (None, 6, 3)), but"
                + " predict got 1 array"), one.getMessage());
        assertTrue(one.getMessage().contains("expects 2 input(s), but it received 1 input tensors"), one.getMessage());

        ShapeException swapped = assertThrows(ShapeException.class, () -> model.predict(steps, numbers));
        assertTrue(swapped.getMessage().contains("the arrays seem to be in another order"), swapped.getMessage());
        assertTrue(swapped.getMessage().contains("model.predict(numbers, steps)"), swapped.getMessage());

        ShapeException counts = assertThrows(ShapeException.class,
                () -> model.predict(numbers, Nd4j.rand(DataType.FLOAT, 4, 6, 3)));
        assertTrue(counts.getMessage().contains("the same number of samples"), counts.getMessage());
    }

    /** Keras's stateful semantics: reading a series in chunks, states carried, equals reading it at once. */
    @Test
    void statefulChunksEqualTheWholeSeries() {
        Sequential whole = Sequential.input(Input.shape(12, 2).batchSize(3)).add(new SimpleRNN(4, true));
        Sequential chunked = Sequential.input(Input.shape(4, 2).batchSize(3)).add(new SimpleRNN(4, true).stateful(true));
        chunked.setWeights(whole.getWeights());
        INDArray series = Nd4j.rand(DataType.FLOAT, 3, 12, 2);
        INDArray all = whole.predict(series);
        for (int chunk = 0; chunk < 3; chunk++) {
            INDArray part = series.get(NDArrayIndex.all(), NDArrayIndex.interval(4 * chunk, 4 * chunk + 4),
                    NDArrayIndex.all()).dup();
            INDArray got = chunked.predict(part);
            INDArray want = all.get(NDArrayIndex.all(), NDArrayIndex.interval(4 * chunk, 4 * chunk + 4),
                    NDArrayIndex.all());
            assertTrue(Transforms.abs(got.sub(want), false).maxNumber().doubleValue() < 1e-6, "chunk " + chunk);
        }
        chunked.resetStates();
        INDArray first = series.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.all()).dup();
        INDArray again = chunked.predict(first);
        assertTrue(Transforms.abs(again.sub(all.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4),
                NDArrayIndex.all())), false).maxNumber().doubleValue() < 1e-6, "after resetStates");

        ShapeException batch = assertThrows(ShapeException.class,
                () -> chunked.predict(Nd4j.rand(DataType.FLOAT, 2, 4, 2)));
        assertTrue(batch.getMessage().contains("every batch must have exactly 3 samples, but this one has 2"),
                batch.getMessage());
        assertTrue(batch.getMessage().contains("received: (2, 4, 2)"), batch.getMessage());
        assertTrue(batch.getMessage().contains("the number itself when the model fixes the batch size"),
                batch.getMessage());
    }

    @Test
    void traceHasAStepPerLayerCall() {
        Functional model = twoInputs();
        Trace trace = model.trace(Nd4j.rand(DataType.FLOAT, 2, 10), Nd4j.rand(DataType.FLOAT, 2, 6, 3));
        assertEquals(List.of("dense", "lstm", "concatenate", "dense_1"),
                trace.steps().stream().map(s -> s.layer().name()).toList());
        assertEquals("(2, 8)", trace.step("concatenate").outputShape().toString());
    }
}
