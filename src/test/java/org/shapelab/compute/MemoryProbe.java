package org.shapelab.compute;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.model.Sequential;

/** {@link MemoryTest}'s measurement, run in a JVM of its own; prints {@code growth=<bytes> micros=<per call>}. */
final class MemoryProbe {

    private MemoryProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        Sequential model = Sequential.input(32).dense(64, "relu").dense(10, "softmax");
        ModelRuntime runtime = ModelRuntime.of(model);
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 32);
        // Until the JIT and the native allocator settle, memory grows for a while without leaking.
        for (int i = 0; i < 10_000; i++) {
            runtime.predict(x);
        }
        settle();
        long before = Pointer.physicalBytes();
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            runtime.predict(x);
        }
        double micros = (System.nanoTime() - start) / 1e3 / 10_000;
        settle();
        System.out.printf(java.util.Locale.ROOT, "growth=%d micros=%.1f%n", Pointer.physicalBytes() - before, micros);
    }

    /** Lets the garbage collector and ND4J's deallocator thread release what is unreachable. */
    private static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }
}
