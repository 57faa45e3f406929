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

    /**
     * Columns of an error message in a notebook: what JupyterLab's output area shows at its default font. A workshop
     * on narrow screens sets {@code -Dshapelab.messageWidth=80} in the kernelspec; 0 leaves messages unwrapped (the
     * tests do, since many kernels start in their JVM).
     */
    static final int MESSAGE_WIDTH = 96;

    private KernelStart() {
    }

    /**
     * Cells show everything written to stderr, so libraries may only warn there. ShapeLab's simplelogger.properties
     * says so, but jHDF's jar carries its own (INFO, to stdout), and whichever comes first on the class path wins.
     * System properties come before both when set before the first logger exists, so ShapeLab's file is read from
     * ShapeLab's own jar (or classes folder) and its settings become system properties, unless already set.
     */
    static void quietLibraryLogs() {
        try {
            java.net.URL own = KernelStart.class.getProtectionDomain().getCodeSource().getLocation();
            java.util.Enumeration<java.net.URL> files = KernelStart.class.getClassLoader()
                    .getResources("simplelogger.properties");
            while (files.hasMoreElements()) {
                java.net.URL file = files.nextElement();
                if (file.toString().contains(own.toString().replaceFirst("^file:", ""))) {
                    java.util.Properties settings = new java.util.Properties();
                    try (java.io.InputStream in = file.openStream()) {
                        settings.load(in);
                    }
                    settings.forEach((key, value) -> {
                        if (System.getProperty((String) key) == null) {
                            System.setProperty((String) key, (String) value);
                        }
                    });
                    return;
                }
            }
        } catch (java.io.IOException | RuntimeException unreadable) {
            System.err.println("ShapeLab kernel start: logging settings not read: " + unreadable);
        }
    }

    /** Runs once per JVM; later calls return at once. Never throws. */
    public static void beforeNd4j() {
        if (!DONE.compareAndSet(false, true)) {
            return;
        }
        try {
            // OpenBLAS reads OPENBLAS_CORETYPE when it loads; without it, 0.3.19 runs this era's Xeons as a 2004
            // Prescott (docs/performance.md). A user's choice stands.
            org.shapelab.compute.BlasCore.selectForThisCpu();
            quietLibraryLogs();
            // Notebook front ends break long traceback lines inside words or cut them off; ours break between words.
            org.shapelab.shape.ShapeException.wrapMessagesAt(Integer.getInteger("shapelab.messageWidth", MESSAGE_WIDTH));
        } catch (RuntimeException | LinkageError failure) {
            System.err.println("ShapeLab kernel start: " + failure);
        }
    }
}
