package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.Conv1D;
import org.shapelab.layers.Embedding;
import org.shapelab.layers.GlobalAveragePooling2D;
import org.shapelab.layers.TimeDistributed;
import org.shapelab.model.Sequential;

/**
 * predict and trace leave the caller's array as it was, values and shape: ND4J's {@code shape()} returns the
 * array's own field, and one kernel that edited it in place used to reshape the caller's array.
 */
class InputUntouchedTest {

    @Test
    void everyKindOfFirstLayerLeavesItsInputAlone() {
        List<Object[]> cases = List.of(
                new Object[] {Sequential.input(6).dense(3, "relu"), new long[] {2, 6}},
                new Object[] {Sequential.input(6, 5).dense(3, "softmax"), new long[] {2, 6, 5}},
                new Object[] {Sequential.input(6, 4).conv1d(3, 2, "relu"), new long[] {2, 6, 4}},
                new Object[] {Sequential.input(6, 4).add(new Conv1D(3, 2).padding("causal")), new long[] {2, 6, 4}},
                new Object[] {Sequential.input(6, 6, 2).conv2d(3, 3, "relu"), new long[] {2, 6, 6, 2}},
                new Object[] {Sequential.input(6, 6, 2).maxPooling2d(2), new long[] {2, 6, 6, 2}},
                new Object[] {Sequential.input(6, 2).averagePooling1d(2), new long[] {2, 6, 2}},
                new Object[] {Sequential.input(6, 6, 2).add(new GlobalAveragePooling2D().keepdims(true)),
                        new long[] {2, 6, 6, 2}},
                new Object[] {Sequential.input(6, 4).lstm(3), new long[] {2, 6, 4}},
                new Object[] {Sequential.input(6, 4).gru(3, true), new long[] {2, 6, 4}},
                new Object[] {Sequential.input(6, 4).batchNormalization(), new long[] {2, 6, 4}},
                new Object[] {Sequential.input(6, 4).activation("softmax"), new long[] {2, 6, 4}},
                new Object[] {Sequential.input(6, 4).flatten(), new long[] {2, 6, 4}},
                new Object[] {Sequential.input(6, 4).reshape(4, 6), new long[] {2, 6, 4}},
                new Object[] {Sequential.input(6, 4).permute(2, 1), new long[] {2, 6, 4}},
                new Object[] {Sequential.input(3, 6, 4).add(new TimeDistributed(new Conv1D(2, 3))),
                        new long[] {2, 3, 6, 4}},
                new Object[] {Sequential.input(6).add(new Embedding(10, 3).maskZero(true)).lstm(2),
                        new long[] {2, 6}});
        for (Object[] c : cases) {
            Sequential model = (Sequential) c[0];
            long[] shape = (long[]) c[1];
            INDArray x = Nd4j.rand(DataType.FLOAT, shape).muli(9).castTo(DataType.INT32).castTo(DataType.FLOAT);
            INDArray copy = x.dup();
            ModelRuntime runtime = ModelRuntime.of(model);
            runtime.predict(x);
            runtime.trace(x);
            String layer = model.layers().get(0).toString();
            assertArrayEquals(shape, x.shape(), layer + " changed the input's shape");
            assertEquals(copy, x, layer + " changed the input's values");
        }
    }
}
