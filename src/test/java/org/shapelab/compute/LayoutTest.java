package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.shapelab.layers.AveragePooling1D;
import org.shapelab.layers.AveragePooling2D;
import org.shapelab.layers.BatchNormalization;
import org.shapelab.layers.Conv1D;
import org.shapelab.layers.Conv2D;
import org.shapelab.layers.GlobalAveragePooling1D;
import org.shapelab.layers.GlobalMaxPooling2D;
import org.shapelab.layers.Layer;
import org.shapelab.layers.MaxPooling1D;
import org.shapelab.layers.MaxPooling2D;
import org.shapelab.model.Sequential;
import org.shapelab.shape.Shape;

/**
 * What the TensorFlow.js fixture cannot cover: channels_first 1D layers (TF.js ignores the option), and
 * options such as keepdims or BatchNormalization without gamma/beta. channels_first must equal channels_last
 * on the same data with its axes moved; the rest is checked against its formula.
 */
class LayoutTest {

    /** A layer in both formats: channels_last on x must equal channels_first on x with channels moved first. */
    static void assertFormatsAgree(Supplier<Layer> last, Supplier<Layer> first, long... channelsLastShape) {
        int rank = channelsLastShape.length;
        int[] toFirst = new int[rank];
        int[] toLast = new int[rank];
        toFirst[1] = rank - 1;
        for (int i = 2; i < rank; i++) {
            toFirst[i] = i - 1;
        }
        for (int i = 1; i < rank - 1; i++) {
            toLast[i] = i + 1;
        }
        toLast[rank - 1] = 1;
        INDArray x = Nd4j.rand(DataType.FLOAT, channelsLastShape).subi(0.5);
        int[] sample = new int[rank - 1];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = (int) channelsLastShape[i + 1];
        }
        Sequential lastModel = Sequential.input(sample).add(last.get());
        INDArray xFirst = x.permute(toFirst).dup('c');
        Sequential firstModel = Sequential.input(Shape.array(xFirst.shape()).sampleShape().dims()).add(first.get());
        ModelRuntime lastRuntime = ModelRuntime.of(lastModel);
        ModelRuntime firstRuntime = ModelRuntime.of(firstModel);
        firstRuntime.setWeights(lastRuntime.getWeights());
        INDArray expected = lastRuntime.predict(x);
        INDArray actual = firstRuntime.predict(xFirst);
        INDArray comparable = actual.rank() == rank ? actual.permute(toLast) : actual;
        assertArrayEquals(expected.shape(), comparable.shape());
        double difference = Transforms.abs(expected.sub(comparable), false).maxNumber().doubleValue();
        assertTrue(difference < 1e-5, lastModel.layers().get(0) + ": formats differ by " + difference);
    }

    @Test
    void oneDimensionalLayersInBothFormats() {
        assertFormatsAgree(() -> new Conv1D(3, 3), () -> new Conv1D(3, 3).dataFormat("channels_first"), 2, 9, 4);
        assertFormatsAgree(() -> new Conv1D(2, 4).padding("same").strides(2),
                () -> new Conv1D(2, 4).padding("same").strides(2).dataFormat("channels_first"), 2, 9, 3);
        assertFormatsAgree(() -> new MaxPooling1D(3).strides(2),
                () -> new MaxPooling1D(3).strides(2).dataFormat("channels_first"), 2, 10, 3);
        assertFormatsAgree(() -> new AveragePooling1D(3).padding("same"),
                () -> new AveragePooling1D(3).padding("same").dataFormat("channels_first"), 2, 10, 3);
        assertFormatsAgree(GlobalAveragePooling1D::new, () -> new GlobalAveragePooling1D().dataFormat("channels_first"),
                2, 7, 3);
        assertFormatsAgree(() -> new GlobalAveragePooling1D().keepdims(true),
                () -> new GlobalAveragePooling1D().keepdims(true).dataFormat("channels_first"), 2, 7, 3);
    }

    @Test
    void twoDimensionalLayersInBothFormats() {
        assertFormatsAgree(() -> new Conv2D(3, 3).padding("same").dilationRate(2),
                () -> new Conv2D(3, 3).padding("same").dilationRate(2).dataFormat("channels_first"), 2, 7, 6, 2);
        assertFormatsAgree(() -> new MaxPooling2D(3).strides(2).padding("same"),
                () -> new MaxPooling2D(3).strides(2).padding("same").dataFormat("channels_first"), 2, 7, 6, 2);
        assertFormatsAgree(() -> new AveragePooling2D(2, 3).padding("same"),
                () -> new AveragePooling2D(2, 3).padding("same").dataFormat("channels_first"), 2, 5, 7, 3);
        assertFormatsAgree(() -> new GlobalMaxPooling2D().keepdims(true),
                () -> new GlobalMaxPooling2D().keepdims(true).dataFormat("channels_first"), 2, 5, 4, 3);
    }

    @Test
    void averagePoolingSameExcludesPadding() {
        // Pool 2 on length 3, "same": windows (x0, x1) and (x2, padding); the last is x2 alone, not x2/2.
        INDArray y = ModelRuntime.of(Sequential.input(3, 1).add(new AveragePooling1D(2).padding("same")))
                .predict(new float[] {1, 3, 8});
        assertEquals(Nd4j.create(new float[] {2, 8}, 1, 2, 1), y);
    }

    @Test
    void batchNormalizationWithoutScaleOrCenter() {
        // y = (x - mean) / sqrt(var + eps) · gamma + beta, here with gamma and/or beta left out.
        INDArray x = Nd4j.create(new float[][] {{1, 2}, {3, 4}});
        INDArray mean = Nd4j.create(new float[] {0.5f, 1});
        INDArray variance = Nd4j.create(new float[] {4, 0.25f});
        double eps = 0.001;
        Sequential plain = Sequential.input(2).add(new BatchNormalization().center(false).scale(false).epsilon(eps));
        ModelRuntime runtime = ModelRuntime.of(plain);
        runtime.setWeights(List.of(mean, variance));
        INDArray expected = Nd4j.create(new double[][] {
                {0.5 / Math.sqrt(4 + eps), 1 / Math.sqrt(0.25 + eps)},
                {2.5 / Math.sqrt(4 + eps), 3 / Math.sqrt(0.25 + eps)}}).castTo(DataType.FLOAT);
        assertTrue(runtime.predict(x).equalsWithEps(expected, 1e-6));

        Sequential shifted = Sequential.input(2).add(new BatchNormalization().scale(false).epsilon(eps));
        ModelRuntime shiftedRuntime = ModelRuntime.of(shifted);
        INDArray beta = Nd4j.create(new float[] {10, 20});
        shiftedRuntime.setWeights(List.of(beta, mean, variance));
        assertTrue(shiftedRuntime.predict(x).equalsWithEps(expected.addRowVector(beta), 1e-5));
    }

    @Test
    void reshapeWithNoneAxesAndPermute() {
        Sequential model = Sequential.input(Shape.NONE, 4).reshape(-1, 2).permute(2, 1);
        INDArray x = Nd4j.linspace(1, 24, 24, DataType.FLOAT).reshape(2, 3, 4);
        INDArray y = ModelRuntime.of(model).predict(x);
        assertEquals(x.reshape(2, 6, 2).permute(0, 2, 1), y);
    }
}
