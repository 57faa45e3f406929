package org.shapelab.compute;

/**
 * Run by {@link BlasCoreTest} in a fresh JVM: prints what {@link BlasCore#selectForThisCpu()} did and the core the
 * loaded OpenBLAS reports, one {@code key=value} a line. With the argument {@code nd4j-first}, ND4J (and so
 * OpenBLAS) is loaded before the selection, which must then change nothing.
 */
public final class BlasCoreProbe {

    private BlasCoreProbe() {
    }

    public static void main(String[] args) {
        boolean nd4jFirst = args.length > 0 && args[0].equals("nd4j-first");
        if (nd4jFirst) {
            org.nd4j.linalg.factory.Nd4j.create(2, 2).mmul(org.nd4j.linalg.factory.Nd4j.create(2, 2));
        }
        System.out.println("loaded-before=" + BlasCore.openBlasLoaded());
        System.out.println("selection=" + BlasCore.selectForThisCpu());
        System.out.println("getenv=" + BlasCore.nativeGetenv(BlasCore.VARIABLE));
        System.out.println("core=" + Nd4jRuntime.openBlasCore());
        System.out.println("loaded-after=" + BlasCore.openBlasLoaded());
        System.out.println("again=" + BlasCore.selectForThisCpu());
    }
}
