package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.shapelab.model.Sequential;

/** Small predicts run libnd4j's OpenMP on one thread for the call and give the caller its setting back. */
class OneThreadTest {

    @Test
    void aSmallPredictRestoresTheCallersThreadCount() {
        Nd4jRuntime.ensureLoaded();
        NativeOps nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int original = nativeOps.ompGetMaxThreads();
        // Tests run with OMP_NUM_THREADS=1; a count of 3 shows whether a call left 1 behind.
        nativeOps.setOmpNumThreads(3);
        try {
            assertEquals(1, NativeOp.onOneThread(nativeOps::ompGetMaxThreads));
            Sequential.input(8).dense(4, "relu").predict(Nd4j.rand(DataType.FLOAT, 2, 8));
            assertEquals(3, nativeOps.ompGetMaxThreads());
        } finally {
            nativeOps.setOmpNumThreads(original);
        }
    }
}
