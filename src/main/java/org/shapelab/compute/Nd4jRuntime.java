package org.shapelab.compute;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Loads ND4J's native backend once, also from a child class loader.
 *
 * <p>ND4J finds its backend through the thread's context class loader. In JShell-based kernels
 * (IJava) ShapeLab and ND4J live in a child loader that is not the context loader, so the backend
 * would not be found; the context loader is set to ND4J's own loader while ND4J initializes.
 * The first call costs one to three seconds (native libraries); later calls cost nothing. Before ND4J starts,
 * {@link BlasCore#selectForThisCpu()} chooses OpenBLAS's core from the CPU's flags.
 */
public final class Nd4jRuntime {

    private static volatile boolean loaded;

    private Nd4jRuntime() {
    }

    /**
     * Loads the backend and runs one small op, so JavaCPP unpacks the native libraries into its cache.
     * Binder's postBuild calls this, so that the image holds them and the first lesson does not wait.
     */
    public static void main(String[] args) {
        ensureLoaded();
        System.out.println("ND4J backend " + Nd4j.getBackend().getClass().getSimpleName() + ", native build "
                + nativeBuild() + (hasOneDnn() ? " (oneDNN)" : "") + ", OpenBLAS core " + openBlasCore() + " ["
                + BlasCore.selectForThisCpu() + "], ready: " + Nd4j.createFromArray(1f, 2f, 3f).sumNumber() + " = 6");
    }

    /**
     * The core the loaded OpenBLAS runs on ({@code openblas_get_corename()}), e.g. "SkylakeX", "Zen", "Haswell";
     * "unknown (...)" if it cannot be asked. {@link BlasCore#selectForThisCpu()} says how it was chosen.
     *
     * <p>JavaCPP's OpenBLAS preset (0.3.19-1.5.7) does not map {@code openblas_get_corename}, so it is called
     * through the symbol's address in the loaded library ({@link Loader#addressof}, JavaCPP's dlsym over the
     * libraries it loaded) with JNA's {@code Function}.
     */
    public static String openBlasCore() {
        return openBlasString("openblas_get_corename");
    }

    /** {@code openblas_get_config()}: version, DYNAMIC_ARCH, the core and MAX_THREADS; "unknown (...)" if unknown. */
    public static String openBlasConfig() {
        return openBlasString("openblas_get_config");
    }

    private static String openBlasString(String symbol) {
        try {
            ensureLoaded();
            // libnd4j loads OpenBLAS (which then picks its core) with its first BLAS call at the latest.
            Nd4j.create(2, 2).mmul(Nd4j.create(2, 2));
            Pointer address = Loader.addressof(symbol);
            if (address == null || address.isNull()) {
                return "unknown (no symbol " + symbol + ")";
            }
            return com.sun.jna.Function.getFunction(new com.sun.jna.Pointer(address.address()))
                    .invokeString(new Object[0], false).trim();
        } catch (RuntimeException | LinkageError e) {
            return "unknown (" + e + ")";
        }
    }

    /**
     * The libnd4j build that was loaded, as its Maven classifier: {@code linux-x86_64-onednn-avx2} by default
     * (the pom's {@code nd4j.extension}), {@code linux-x86_64} for the generic build.
     */
    public static String nativeBuild() {
        ensureLoaded();
        String library = Loader.getLoadedLibraries().getOrDefault("nd4jcpu", "");
        return library.replaceAll(".*/bindings/([^/]+)/.*", "$1");
    }

    /** Whether the loaded libnd4j runs convolutions and matrix products through oneDNN. */
    public static boolean hasOneDnn() {
        ensureLoaded();
        return NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
    }

    /** Initializes ND4J's backend if that has not happened yet. Safe to call from any thread, any time. */
    public static void ensureLoaded() {
        if (loaded) {
            return;
        }
        synchronized (Nd4jRuntime.class) {
            if (loaded) {
                return;
            }
            BlasCore.selectForThisCpu();
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            // A class literal does not run Nd4j's static initializer, which is what loads the backend.
            thread.setContextClassLoader(Nd4j.class.getClassLoader());
            try {
                Nd4j.getBackend();
            } finally {
                thread.setContextClassLoader(previous);
            }
            loaded = true;
        }
    }
}
