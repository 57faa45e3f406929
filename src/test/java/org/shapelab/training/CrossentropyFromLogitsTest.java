package org.shapelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Crossentropy from logits stays finite where the softmax underflows: log(softmax) was -inf there and 0·-inf made the
 * loss NaN (Keras's Fashion-MNIST model reported NaN from its 10th epoch while its accuracy kept rising).
 */
class CrossentropyFromLogitsTest {

    @Test
    void farApartLogitsGiveKerasFiniteLoss() {
        INDArray logits = Nd4j.createFromArray(new float[][] {{0f, 200f, -150f}, {3f, 1f, 2f}});
        INDArray oneHot = Nd4j.createFromArray(new float[][] {{0f, 1f, 0f}, {1f, 0f, 0f}});
        // Row 1: -log softmax = log(1 + e^-200 + e^-350) ≈ 0; row 2: log(e^0 + e^-2 + e^-1) = 0.40760596.
        double expected = (0 + Math.log(1 + Math.exp(-2) + Math.exp(-1))) / 2;
        Loss.Value value = Loss.categoricalCrossentropy(true).compute(oneHot, logits);
        assertEquals(expected, value.loss(), 1e-6);
        Loss.Value sparse = Loss.sparseCategoricalCrossentropy(true).compute(
                Nd4j.createFromArray(new float[] {1f, 0f}).castTo(DataType.FLOAT), logits);
        assertEquals(expected, sparse.loss(), 1e-6);
        // softmax - y, over the batch
        assertEquals(0.0, value.gradient().getDouble(0, 0), 1e-9);
        assertEquals((Math.exp(2) / (Math.exp(3) + Math.exp(1) + Math.exp(2))) / 2, value.gradient().getDouble(1, 2),
                1e-6);
    }
}
