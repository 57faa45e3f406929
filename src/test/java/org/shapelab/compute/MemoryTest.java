package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.model.Sequential;

/**
 * 10,000 predictions on a small Dense model must not grow off-heap memory: intermediates live in a reused
 * workspace and each returned array is freed with its Java object.
 *
 * <p>Bound: JavaCPP's count of allocated off-heap bytes ({@code Pointer.totalBytes()}) may grow by at most
 * 4 MB over the 10,000 calls after a warm-up of 1,000 (a leak of one output array, 16·10 floats, per call would
 * already be 6.4 MB). The process's physical memory ({@code Pointer.physicalBytes()}, which includes the Java
 * heap, which may grow while garbage accumulates between collections) is printed with the heap's share and checked
 * against a loose 256 MB, to catch gross native leaks only.
 */
class MemoryTest {

    static final long TOTAL_BYTES_BOUND = 4L << 20;
    static final long PHYSICAL_BYTES_BOUND = 256L << 20;

    @Test
    void repeatedPredictDoesNotGrowOffHeapMemory() throws InterruptedException {
        Sequential model = Sequential.input(32).dense(64, "relu").dense(10, "softmax");
        ModelRuntime runtime = ModelRuntime.of(model);
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 32);
        for (int i = 0; i < 1_000; i++) {
            runtime.predict(x);
        }
        settle();
        long totalBefore = Pointer.totalBytes();
        long physicalBefore = Pointer.physicalBytes();
        long heapBefore = Runtime.getRuntime().totalMemory();
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            runtime.predict(x);
        }
        double micros = (System.nanoTime() - start) / 1e3 / 10_000;
        settle();
        long totalGrowth = Pointer.totalBytes() - totalBefore;
        long physicalGrowth = Pointer.physicalBytes() - physicalBefore;
        long heapGrowth = Runtime.getRuntime().totalMemory() - heapBefore;
        System.out.printf("10,000 predict calls (16x32 -> 64 relu -> 10 softmax): off-heap (Pointer.totalBytes) grew"
                + " %+,d bytes; physical memory (Pointer.physicalBytes) %+,d bytes, of which the Java heap's committed"
                + " size %+,d; %.1f us per call%n", totalGrowth, physicalGrowth, heapGrowth, micros);
        assertTrue(totalGrowth < TOTAL_BYTES_BOUND, "off-heap grew by " + totalGrowth + " bytes");
        assertTrue(physicalGrowth < PHYSICAL_BYTES_BOUND, "physical memory grew by " + physicalGrowth + " bytes");
    }

    /** Lets the garbage collector and JavaCPP's deallocator thread release what is unreachable. */
    private static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }
}
