package org.shapelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** fit's batches: the samples at the shuffled indices, also from a range of a larger array (validation_split's). */
class BatchGatherTest {

    @Test
    void gatherCopiesTheIndexedSamplesFromARangeView() {
        INDArray all = Nd4j.rand(DataType.FLOAT, 50, 3, 2);
        INDArray range = all.get(NDArrayIndex.interval(10, 40));
        assertSame(range, Compiled.contiguousFloats(range), "a range of samples is used in place, not copied");
        int[] indices = {29, 0, 7, 7, 15};
        INDArray batch = Compiled.gather(range, indices, 1, 5, Nd4j.create(DataType.FLOAT, 4, 3, 2));
        for (int i = 1; i < 5; i++) {
            assertEquals(all.get(NDArrayIndex.point(10 + indices[i])), batch.get(NDArrayIndex.point(i - 1)), "sample " + i);
        }
    }

    @Test
    void nonFloatOrPermutedArraysAreCopiedFirst() {
        INDArray ints = Nd4j.createFromArray(new int[][] {{1, 2}, {3, 4}});
        assertEquals(DataType.FLOAT, Compiled.contiguousFloats(ints).dataType());
        INDArray transposed = Nd4j.rand(DataType.FLOAT, 4, 3).transpose();
        INDArray copy = Compiled.contiguousFloats(transposed);
        assertEquals(transposed, copy);
        INDArray batch = Compiled.gather(copy, new int[] {2, 0}, 0, 2, Nd4j.create(DataType.FLOAT, 2, 4));
        assertEquals(transposed.getRow(2), batch.getRow(0));
        assertEquals(transposed.getRow(0), batch.getRow(1));
    }
}
