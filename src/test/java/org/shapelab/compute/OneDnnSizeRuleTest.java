package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.shapelab.model.Sequential;

/**
 * Dense and pooling run on oneDNN only for large work (NativeOp.oneDnnIf): a batch above the thresholds and
 * each of its samples alone (below them) go through different code, and must give the same numbers.
 */
class OneDnnSizeRuleTest {

    @Test
    void aLargeBatchAndItsSamplesOneByOneAgree() {
        // 64 x 512 x 128 = 4.2M multiply-adds for the first Dense, one sample 65K; pooling 64 x 16 x 16 x 8 x 4
        // window reads = 524K, one sample 8K.
        Sequential model = Sequential.input(32, 32, 8).maxPooling2d(2).averagePooling2d(2).flatten()
                .dense(128, "relu").dense(10);
        assertTrue(64L * 512 * 128 >= DenseComputation.ONE_DNN_MIN_MULTIPLY_ADDS
                && 512L * 128 < DenseComputation.ONE_DNN_MIN_MULTIPLY_ADDS);
        assertTrue(64L * 16 * 16 * 8 * 4 >= PoolingComputation.ONE_DNN_MIN_READS
                && 16L * 16 * 8 * 4 < PoolingComputation.ONE_DNN_MIN_READS);
        ModelRuntime runtime = ModelRuntime.of(model).seed(5);
        INDArray batch = Nd4j.rand(DataType.FLOAT, 64, 32, 32, 8).subi(0.5);
        INDArray together = runtime.predict(batch);
        double worst = 0;
        for (int i = 0; i < 64; i++) {
            INDArray alone = runtime.predict(batch.get(NDArrayIndex.interval(i, i + 1)).dup());
            worst = Math.max(worst, RecurrentTest.maxDifference(alone, together.get(NDArrayIndex.interval(i, i + 1))));
        }
        assertTrue(worst < 1e-5, "largest difference " + worst);
    }
}
