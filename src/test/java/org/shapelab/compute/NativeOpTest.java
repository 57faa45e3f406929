package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** NativeOp calls libnd4j directly: what it refuses and what fails must be loud and leave the op usable. */
class NativeOpTest {

    @Test
    void argumentsTheOpWouldMishandleAreRefusedBeforeItRunsThenItWorksAgain() {
        Nd4jRuntime.ensureLoaded();
        NativeOp product = new NativeOp("matmul");
        INDArray a = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}});
        INDArray wrong = Nd4j.ones(DataType.FLOAT, 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> product.run(NativeOp.empty(2, 2), a, wrong));
        assertTrue(e.getMessage().startsWith("libnd4j op matmul was not called: it would get arguments its shape"
                + " function refuses"), e.getMessage());
        assertTrue(e.getMessage().contains("inputs FLOAT[2, 3], FLOAT[2, 2], output FLOAT[2, 2]"), e.getMessage());

        // An output of another shape than the op computes would be written past its end.
        INDArray b = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}, {1, 1}});
        e = assertThrows(IllegalArgumentException.class, () -> product.run(NativeOp.empty(2, 1), a, b));
        assertTrue(e.getMessage().contains("an output of shape [2, 1] where it computes [2, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> product.run(NativeOp.empty(0, 2),
                Nd4j.create(DataType.FLOAT, 0, 3), b));
        assertTrue(e.getMessage().contains("an empty array [0, 3] as input 0"), e.getMessage());

        INDArray out = product.run(NativeOp.empty(2, 2), a, b);
        assertEquals(Nd4j.createFromArray(new float[][] {{4, 5}, {10, 11}}), out);
    }

    @Test
    void theSameArraysRunAgainWithoutRebindingAndSeeNewValues() {
        Nd4jRuntime.ensureLoaded();
        NativeOp relu = new NativeOp("relu").floats(0.0);
        INDArray x = Nd4j.createFromArray(-1f, 2f, -3f);
        INDArray out = NativeOp.empty(3);
        relu.run(out, x);
        assertEquals(Nd4j.createFromArray(0f, 2f, 0f), out);
        x.assign(Nd4j.createFromArray(5f, -6f, 7f));
        relu.run(out, x);
        assertEquals(Nd4j.createFromArray(5f, 0f, 7f), out);
    }
}
