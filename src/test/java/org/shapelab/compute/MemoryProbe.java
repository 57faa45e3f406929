package org.shapelab.compute;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.model.Sequential;

/** {@link MemoryTest}'s measurement, run in a JVM of its own. */
final class MemoryProbe {

    private MemoryProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        Sequential model = Sequential.input(32).dense(64, "relu").dense(10, "softmax");
        ModelRuntime runtime = ModelRuntime.of(model);
        // Two inputs taking turns: the first layer's op rebinds its input on every call, the path that leaked.
        INDArray[] inputs = {Nd4j.rand(DataType.FLOAT, 16, 32), Nd4j.rand(DataType.FLOAT, 16, 32)};
        INDArray out = Nd4j.create(DataType.FLOAT, 16, 10);
        measure("predict", i -> runtime.predict(inputs[i % 2]));
        measure("predictInto", i -> runtime.predict(inputs[i % 2], out));
    }

    /** 10,000 calls after 30,000 warm-up calls; prints {@code <name> growth=<bytes> micros=<per call>}. */
    private static void measure(String name, java.util.function.IntConsumer call) throws InterruptedException {
        // Until the JIT and the native allocator settle, memory grows for a while without leaking: in loops of
        // 10,000 calls the first grew by up to 15 MB (JIT compilations share the one malloc arena), the next five
        // by 0 +- 5 MB. A leak grows in every loop.
        for (int i = 0; i < 30_000; i++) {
            call.accept(i);
            if (i % 500 == 499) {
                System.gc();
            }
        }
        settle();
        long before = Pointer.physicalBytes();
        long elapsed = 0;
        for (int i = 0; i < 10_000; i++) {
            long start = System.nanoTime();
            call.accept(i);
            elapsed += System.nanoTime() - start;
            if (i % 500 == 499) {
                // A leak is memory that stays when everything unreachable is collected. Without collections
                // the results (tiny Java objects over native buffers) pile up until the heap fills, and the
                // allocator keeps their pages even after they are freed.
                System.gc();
            }
        }
        double micros = elapsed / 1e3 / 10_000;
        settle();
        System.out.printf(java.util.Locale.ROOT, "%s growth=%d micros=%.1f%n", name, Pointer.physicalBytes() - before,
                micros);
    }

    /** Lets the garbage collector and ND4J's deallocator thread release what is unreachable. */
    private static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }
}
