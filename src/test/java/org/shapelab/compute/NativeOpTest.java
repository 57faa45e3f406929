package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** NativeOp calls libnd4j directly: its failures must still be loud and leave the op usable. */
class NativeOpTest {

    @Test
    void aFailingOpNamesItselfAndItsArraysThenWorksAgain() {
        Nd4jRuntime.ensureLoaded();
        NativeOp product = new NativeOp("matmul");
        INDArray a = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}});
        INDArray wrong = Nd4j.ones(DataType.FLOAT, 2, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> product.run(NativeOp.empty(2, 2), a, wrong));
        assertTrue(e.getMessage().startsWith("libnd4j op matmul failed"), e.getMessage());
        assertTrue(e.getMessage().contains("inputs FLOAT[2, 3], FLOAT[2, 2], output FLOAT[2, 2]"), e.getMessage());

        INDArray b = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}, {1, 1}});
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
