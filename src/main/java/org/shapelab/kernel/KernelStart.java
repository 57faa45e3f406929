package org.shapelab.kernel;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one place for what must happen in a kernel's JVM before ND4J loads its native libraries, whichever kernel
 * runs: ShapeLab's own ({@link ShapeLabKernel#main}, before the kernel exists), IJava (the start-up script's
 * {@link ShapeLabDisplay#attach()}), JJava ({@link JJavaExtension#install}). Each calls {@link #beforeNd4j()}; it
 * runs once per JVM. Nothing here may load ND4J ({@code Nd4j}, an {@code INDArray} operation): that is what it
 * must come before.
 */
public final class KernelStart {

    private static final AtomicBoolean DONE = new AtomicBoolean();

    private KernelStart() {
    }

    /** Runs once per JVM; later calls return at once. Never throws. */
    public static void beforeNd4j() {
        if (!DONE.compareAndSet(false, true)) {
            return;
        }
        try {
            // >>> BLAS core: the lead calls org.shapelab.compute.BlasCore.selectForThisCpu() here (branch blas). <<<
        } catch (RuntimeException | LinkageError failure) {
            System.err.println("ShapeLab kernel start: " + failure);
        }
    }
}
