package org.shapelab.compute;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The new arrays {@code predict(x)} hands back: copies of a layer's reused output, in memory that the OS maps in
 * 2 MB pages where it can.
 *
 * <p>Why: a new array's memory is new to the process (ND4J frees a result only when the Java heap is collected, so
 * malloc cannot hand the same memory back), and the first write to each 4 KB page is a page fault. In this KVM guest
 * a fault costs about 1.9 µs: a new 5.5 MB result took 2.5–3.1 ms to allocate and fill, against 0.41 ms to copy it
 * into memory already mapped ({@code tools/bench/probe result}, docs/performance.md). With
 * {@code madvise(MADV_HUGEPAGE)} on 2 MB-aligned memory the same copy takes three 2 MB faults.
 *
 * <p>Huge pages are not always cheaper: see {@link PageChoice}. Arrays under {@link #LARGE} bytes, and every array when libc cannot be called, are plain {@code dup('c')}s.
 * Where transparent huge pages are off ({@code /sys/kernel/mm/transparent_hugepage/enabled} "never") the advice is
 * ignored and the memory is ordinary. The memory is freed like any JavaCPP pointer: when the array is collected,
 * and counted in JavaCPP's {@code maxbytes}.
 */
final class FreshArrays {

    /** Below this, a copy faults in few pages and a 2 MB-rounded block would waste most of itself. */
    static final long LARGE = 1L << 20;
    private static final long HUGE_PAGE = 2L << 20;
    private static final int MADV_HUGEPAGE = 14;

    private static final LibC LIBC = LibC.load();
    private static final PageChoice CHOICE = new PageChoice();

    private FreshArrays() {
    }

    /** A new c-ordered float32 array with the values of {@code source}, not tied to any workspace. */
    static INDArray copyOf(INDArray source) {
        long length = source.length();
        long bytes = length * Float.BYTES;
        if (LIBC == null || bytes < LARGE || source.dataType() != DataType.FLOAT || source.offset() != 0
                || source.ordering() != 'c' || !Shape.hasDefaultStridesForShape(source)) {
            return source.dup('c');
        }
        boolean huge = CHOICE.huge();
        HugePageFloats memory = HugePageFloats.allocate(length, huge);
        if (memory == null) {
            return source.dup('c');
        }
        long start = System.nanoTime();
        Pointer.memcpy(memory, source.data().pointer(), bytes); // the first write: the pages are faulted in here
        CHOICE.record(huge, (System.nanoTime() - start) / (double) bytes);
        DataBuffer buffer = Nd4j.createBuffer(memory, DataType.FLOAT, length, FloatIndexer.create(memory));
        long[] shape = source.shape().clone();
        return Nd4j.create(buffer, shape, Nd4j.getStrides(shape, 'c'), 0, 'c', DataType.FLOAT);
    }

    /**
     * Floats in a private anonymous mapping of their own, 2 MB-aligned, with huge pages advised; unmapped when the
     * pointer is collected. mmap rather than malloc: glibc's choice between its heap and a mapping for blocks of
     * this size moves with its history (and JavaCPP trims the heap when it collects), which made the cost of a new
     * result swing from run to run.
     */
    private static final class HugePageFloats extends FloatPointer {

        private HugePageFloats(long base, long mapped, long aligned, long length) {
            this.address = aligned;
            this.limit = length;
            this.capacity = length;
            deallocator(() -> LIBC.munmap(base, mapped));
        }

        static HugePageFloats allocate(long length, boolean huge) {
            long bytes = (length * Float.BYTES + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
            long mapped = bytes + HUGE_PAGE;
            long base = LIBC.mmap(mapped);
            if (base == 0) {
                return null;
            }
            long aligned = (base + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
            if (huge) {
                LIBC.madvise(aligned, bytes, MADV_HUGEPAGE);
            }
            return new HugePageFloats(base, mapped, aligned, length);
        }
    }

    /**
     * Huge pages or ordinary ones, whichever filled a new array faster lately. A 2 MB fault is cheap when the kernel
     * has free 2 MB pages, but with {@code defrag} at "madvise" (the default) it compacts memory first when it has
     * none, and then a copy that took 2 ms takes 15 (seen in the forward benchmark, with DL4J in the same process).
     * Ordinary pages cost the same every time. So both are timed (ns per byte, a moving average), the faster is used,
     * and every 16th copy tries the other, to notice when the kernel's state changes.
     */
    private static final class PageChoice {

        private double hugeCost;
        private double plainCost;
        private long copies;

        synchronized boolean huge() {
            copies++;
            boolean better = hugeCost <= plainCost;
            return copies % 16 == 0 ? !better : better;
        }

        synchronized void record(boolean huge, double nsPerByte) {
            if (huge) {
                hugeCost = hugeCost == 0 ? nsPerByte : 0.8 * hugeCost + 0.2 * nsPerByte;
            } else {
                plainCost = plainCost == 0 ? nsPerByte : 0.8 * plainCost + 0.2 * nsPerByte;
            }
        }
    }

    /** libc's mmap, madvise and munmap through JNA (which ND4J brings with oshi). */
    private record LibC(com.sun.jna.Function mmap, com.sun.jna.Function madvise, com.sun.jna.Function munmap) {

        private static final int PROT_READ_WRITE = 0x3;
        private static final int MAP_PRIVATE_ANONYMOUS = 0x22;

        static LibC load() {
            String os = System.getProperty("os.name", "");
            if (!os.equals("Linux")) {
                return null;
            }
            try {
                return new LibC(com.sun.jna.Function.getFunction("c", "mmap"),
                        com.sun.jna.Function.getFunction("c", "madvise"), com.sun.jna.Function.getFunction("c", "munmap"));
            } catch (RuntimeException | LinkageError e) {
                return null;
            }
        }

        /** A new mapping's address, or 0 if there is none. */
        long mmap(long bytes) {
            Object result = mmap.invoke(com.sun.jna.Pointer.class,
                    new Object[] {null, bytes, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L});
            long address = result == null ? 0 : com.sun.jna.Pointer.nativeValue((com.sun.jna.Pointer) result);
            return address == -1 ? 0 : address;
        }

        void madvise(long address, long bytes, int advice) {
            madvise.invokeInt(new Object[] {new com.sun.jna.Pointer(address), bytes, advice});
        }

        void munmap(long address, long bytes) {
            munmap.invokeInt(new Object[] {new com.sun.jna.Pointer(address), bytes});
        }
    }
}
