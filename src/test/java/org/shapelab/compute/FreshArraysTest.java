package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link FreshArrays}: a copy is equal, independent, c-ordered and counted by JavaCPP, large or small. */
class FreshArraysTest {

    @BeforeAll
    static void load() {
        Nd4jRuntime.ensureLoaded();
    }

    @Test
    void aLargeCopyHasTheValuesAndItsOwnMemory() {
        INDArray source = Nd4j.rand(DataType.FLOAT, 64, 26, 26, 32); // 5.5 MB, above FreshArrays.LARGE
        long before = Pointer.totalBytes();
        INDArray copy = FreshArrays.copyOf(source);
        assertTrue(Pointer.totalBytes() - before >= source.length() * 4, "JavaCPP counts the new memory");
        assertArrayEquals(source.shape(), copy.shape());
        assertArrayEquals(source.stride(), copy.stride());
        assertEquals('c', copy.ordering());
        assertEquals(DataType.FLOAT, copy.dataType());
        assertEquals(source, copy);
        float kept = copy.getFloat(0, 25, 25, 31);
        source.assign(-1f);
        assertEquals(kept, copy.getFloat(0, 25, 25, 31));
        assertNotSame(source.data().pointer().address(), copy.data().pointer().address());
        copy.addi(1f); // ND4J ops run on the new memory like on any other array
        assertEquals(kept + 1f, copy.getFloat(0, 25, 25, 31), 1e-6);
        assertEquals(copy.length(), copy.data().length());
    }

    @Test
    void collectedCopiesGiveTheirMemoryBack() throws InterruptedException {
        INDArray source = Nd4j.rand(DataType.FLOAT, 64, 26, 26, 32);
        System.gc();
        Thread.sleep(200);
        long rssBefore = Pointer.physicalBytes();
        long bytesBefore = Pointer.totalBytes();
        for (int i = 0; i < 60; i++) {
            FreshArrays.copyOf(source).getFloat(0); // 60 x 5.5 MB, each dropped at once
        }
        long grown = Pointer.physicalBytes() - rssBefore;
        assertTrue(grown > 200_000_000L, "the copies were written: RSS grew by " + grown);
        long rssAfter = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 50 && rssAfter - rssBefore > 50_000_000L; attempt++) {
            System.gc();
            Thread.sleep(100);
            rssAfter = Pointer.physicalBytes();
        }
        assertTrue(rssAfter - rssBefore < 50_000_000L, "RSS after collection: +" + (rssAfter - rssBefore) + " bytes");
        assertTrue(Pointer.totalBytes() - bytesBefore < 10_000_000L, "JavaCPP still counts +"
                + (Pointer.totalBytes() - bytesBefore) + " bytes");
    }

    @Test
    void viewsAndSmallArraysAreCopiedToo() {
        INDArray big = Nd4j.rand(DataType.FLOAT, 600, 1000);
        INDArray transposed = big.transpose(); // not c-ordered: copied by dup('c')
        INDArray copy = FreshArrays.copyOf(transposed);
        assertEquals(transposed, copy);
        assertEquals('c', copy.ordering());
        assertFalse(copy.isView());
        INDArray small = Nd4j.rand(DataType.FLOAT, 3, 4);
        assertEquals(small, FreshArrays.copyOf(small));
    }
}
