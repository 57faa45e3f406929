package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.shapelab.layers.GRU;
import org.shapelab.layers.LSTM;
import org.shapelab.layers.SimpleRNN;
import org.shapelab.model.Sequential;
import org.shapelab.shape.ShapeException;

/** get/set round trips, the errors for wrong weights, and seeded Keras-default initialization. */
class WeightsTest {

    static Sequential mixedModel() {
        return Sequential.input(6, 4).conv1d(3, 2, "relu").batchNormalization().lstm(5).dense(2, "softmax");
    }

    static void assertContains(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), "missing \"" + part + "\" in:\n" + text);
        }
    }

    @Test
    void getWeightsFollowsKerasOrderAndShapes() {
        List<INDArray> weights = ModelRuntime.of(mixedModel()).getWeights();
        long[][] shapes = {{2, 4, 3}, {3}, {3}, {3}, {3}, {3}, {3, 20}, {5, 20}, {20}, {5, 2}, {2}};
        assertEquals(shapes.length, weights.size());
        for (int i = 0; i < shapes.length; i++) {
            assertArrayEquals(shapes[i], weights.get(i).shape(), "weight " + i);
            assertEquals(DataType.FLOAT, weights.get(i).dataType());
        }
    }

    @Test
    void setThenGetRoundTripsAndChangesPredictions() {
        Sequential model = mixedModel();
        ModelRuntime runtime = ModelRuntime.of(model);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 6, 4);
        INDArray before = runtime.predict(x);
        List<INDArray> changed = new ArrayList<>();
        for (INDArray w : runtime.getWeights()) {
            changed.add(w.add(0.1).castTo(DataType.DOUBLE));
        }
        runtime.setWeights(changed);
        List<INDArray> back = runtime.getWeights();
        for (int i = 0; i < changed.size(); i++) {
            assertEquals(changed.get(i).castTo(DataType.FLOAT), back.get(i));
        }
        assertNotEquals(before, runtime.predict(x));
        // Copies both ways: changing what was passed in or handed out does not change the model.
        changed.get(0).addi(5);
        back.get(0).addi(5);
        assertEquals(back.get(0).sub(5), ModelRuntime.of(model).getWeights().get(0));
    }

    @Test
    void handlesOfTheSameModelShareWeights() {
        Sequential model = Sequential.input(3).dense(2);
        List<INDArray> weights = List.of(Nd4j.ones(DataType.FLOAT, 3, 2), Nd4j.zeros(DataType.FLOAT, 2));
        ModelRuntime.of(model).setWeights(weights);
        assertEquals(weights, ModelRuntime.of(model).getWeights());
        INDArray y = ModelRuntime.of(model).predict(new float[] {1, 2, 3});
        assertEquals(Nd4j.create(new float[][] {{6, 6}}), y);
    }

    @Test
    void wrongCountListsTheModelsWeights() {
        Sequential model = Sequential.input(5).dense(4).dense(2);
        ShapeException e = assertThrows(ShapeException.class, () -> ModelRuntime.of(model)
                .setWeights(List.of(Nd4j.zeros(DataType.FLOAT, 5, 4), Nd4j.zeros(DataType.FLOAT, 4),
                        Nd4j.zeros(DataType.FLOAT, 4, 2))));
        System.out.println(e.getMessage());
        assertContains(e.getMessage(), "4 weight arrays", "dense: kernel (5, 4), bias (4,)",
                "dense_1: kernel (4, 2), bias (2,)", "3 were given", "get_weights() order");
    }

    @Test
    void wrongShapeNamesLayerWeightExpectedAndReceived() {
        Sequential model = Sequential.input(5).dense(4).dense(2);
        ModelRuntime runtime = ModelRuntime.of(model);
        List<INDArray> before = runtime.getWeights();
        List<INDArray> weights = new ArrayList<>(before);
        weights.set(0, Nd4j.zeros(DataType.FLOAT, 9, 9));
        weights.set(2, Nd4j.zeros(DataType.FLOAT, 2, 4));
        ShapeException transposed = assertThrows(ShapeException.class, () -> runtime.setWeights(
                List.of(before.get(0), before.get(1), Nd4j.zeros(DataType.FLOAT, 2, 4), before.get(3))));
        System.out.println(transposed.getMessage());
        assertContains(transposed.getMessage(), "Layer \"dense_1\" (Dense)", "weight \"kernel\"", "model weight #2",
                "expected the Keras shape (4, 2)", "received (2, 4)", "transposed", "w.transpose()");
        ShapeException wrong = assertThrows(ShapeException.class, () -> runtime.setWeights(weights));
        assertContains(wrong.getMessage(), "\"dense\" (Dense)", "(5, 4)", "received (9, 9)");
        // Nothing was changed by the failed calls.
        assertEquals(before, runtime.getWeights());
    }

    @Test
    void perLayerGetAndSet() {
        Sequential model = Sequential.input(3).dense(4).dropout(0.1).dense(2);
        ModelRuntime runtime = ModelRuntime.of(model);
        assertEquals(List.of(), runtime.getWeights("dropout"));
        INDArray kernel = Nd4j.linspace(1, 8, 8, DataType.FLOAT).reshape(4, 2);
        runtime.setWeights("dense_1", List.of(kernel, Nd4j.ones(DataType.FLOAT, 2)));
        assertEquals(kernel, runtime.getWeights("dense_1").get(0));
        assertEquals(kernel, runtime.getWeights().get(2));
        ShapeException count = assertThrows(ShapeException.class, () -> runtime.setWeights("dense_1", List.of(kernel)));
        assertContains(count.getMessage(), "\"dense_1\" (Dense) has 2 weight array(s)", "kernel (4, 2), bias (2,)");
        ShapeException shape = assertThrows(ShapeException.class,
                () -> runtime.setWeights("dense_1", List.of(kernel, Nd4j.ones(DataType.FLOAT, 3))));
        assertContains(shape.getMessage(), "weight \"bias\"", "(2,)", "received (3,)");
        ShapeException name = assertThrows(ShapeException.class, () -> runtime.getWeights("dense_9"));
        assertContains(name.getMessage(), "no layer named \"dense_9\"");
    }

    // ---- seeded initialization ----

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        List<INDArray> a = ModelRuntime.of(mixedModel()).getWeights();
        List<INDArray> b = ModelRuntime.of(mixedModel()).getWeights();
        assertEquals(a, b);
        List<INDArray> c = ModelRuntime.of(mixedModel()).seed(7).getWeights();
        assertNotEquals(a.get(0), c.get(0));
        assertEquals(c, ModelRuntime.of(mixedModel()).seed(7).getWeights());
        assertEquals(a, ModelRuntime.of(mixedModel()).seed(7).seed(ModelRuntime.DEFAULT_SEED).getWeights());
    }

    @Test
    void weightsDoNotDependOnInitializationOrder() {
        Sequential first = mixedModel();
        Sequential second = mixedModel();
        INDArray lstmKernel = ModelRuntime.of(second).getWeights("lstm").get(0);
        assertEquals(ModelRuntime.of(first).getWeights().get(6), lstmKernel);
    }

    @Test
    void seedReplacesWeightsThatWereSet() {
        Sequential model = Sequential.input(3).dense(2);
        ModelRuntime runtime = ModelRuntime.of(model);
        List<INDArray> initial = runtime.getWeights();
        runtime.setWeights(List.of(Nd4j.ones(DataType.FLOAT, 3, 2), Nd4j.ones(DataType.FLOAT, 2)));
        assertEquals(initial, runtime.seed(ModelRuntime.DEFAULT_SEED).getWeights());
    }

    @Test
    void glorotUniformBounds() {
        INDArray dense = ModelRuntime.of(Sequential.input(100).dense(64)).getWeights().get(0);
        double limit = Math.sqrt(6.0 / (100 + 64));
        assertTrue(dense.amaxNumber().doubleValue() <= limit);
        assertTrue(dense.amaxNumber().doubleValue() > 0.95 * limit, "values spread over the range");
        assertEquals(0, dense.meanNumber().doubleValue(), 0.01);
        // Conv2D kernel (3, 3, 8, 16): fan_in 3·3·8 = 72, fan_out 3·3·16 = 144.
        INDArray conv = ModelRuntime.of(Sequential.input(10, 10, 8).conv2d(16, 3)).getWeights().get(0);
        double convLimit = Math.sqrt(6.0 / (72 + 144));
        assertTrue(conv.amaxNumber().doubleValue() <= convLimit);
        assertTrue(conv.amaxNumber().doubleValue() > 0.95 * convLimit);
        assertEquals(Nd4j.zeros(DataType.FLOAT, 16), ModelRuntime.of(Sequential.input(10, 10, 8).conv2d(16, 3))
                .getWeights().get(1));
    }

    @Test
    void orthogonalRecurrentKernels() {
        // LSTM(8): recurrent kernel (8, 32) has orthonormal rows, K·Kᵀ = I (Keras transposes Q when rows < cols).
        INDArray lstm = ModelRuntime.of(Sequential.input(5, 3).add(new LSTM(8))).getWeights().get(1);
        assertArrayEquals(new long[] {8, 32}, lstm.shape());
        assertTrue(lstm.mmul(lstm.transpose()).equalsWithEps(Nd4j.eye(8).castTo(DataType.FLOAT), 1e-5));
        // SimpleRNN(6): square, so QᵀQ = Q·Qᵀ = I.
        INDArray square = ModelRuntime.of(Sequential.input(5, 3).add(new SimpleRNN(6))).getWeights().get(1);
        INDArray identity = Nd4j.eye(6).castTo(DataType.FLOAT);
        assertTrue(square.transpose().mmul(square).equalsWithEps(identity, 1e-5));
        assertTrue(square.mmul(square.transpose()).equalsWithEps(identity, 1e-5));
    }

    @Test
    void lstmForgetBiasIsOne() {
        INDArray bias = ModelRuntime.of(Sequential.input(5, 3).add(new LSTM(4))).getWeights().get(2);
        assertEquals(Nd4j.create(new float[] {0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}), bias);
        INDArray plain = ModelRuntime.of(Sequential.input(5, 3).add(new LSTM(4).unitForgetBias(false)))
                .getWeights().get(2);
        assertEquals(Nd4j.zeros(DataType.FLOAT, 16), plain);
    }

    @Test
    void otherDefaults() {
        List<INDArray> norm = ModelRuntime.of(Sequential.input(4).batchNormalization()).getWeights();
        assertEquals(List.of(Nd4j.ones(DataType.FLOAT, 4), Nd4j.zeros(DataType.FLOAT, 4), Nd4j.zeros(DataType.FLOAT, 4),
                Nd4j.ones(DataType.FLOAT, 4)), norm);
        INDArray table = ModelRuntime.of(Sequential.input(6).embedding(50, 8)).getWeights().get(0);
        assertTrue(table.amaxNumber().doubleValue() <= 0.05);
        assertTrue(table.amaxNumber().doubleValue() > 0.045);
        INDArray gruBias = ModelRuntime.of(Sequential.input(5, 3).add(new GRU(4))).getWeights().get(2);
        assertEquals(Nd4j.zeros(DataType.FLOAT, 2, 12), gruBias);
    }

    @Test
    void runtimeTracksLayersAddedLater() {
        Sequential model = Sequential.input(3).dense(4);
        ModelRuntime runtime = ModelRuntime.of(model);
        INDArray first = runtime.getWeights().get(0);
        assertArrayEquals(new long[] {1, 4}, runtime.predict(new float[] {1, 2, 3}).shape());
        model.dense(2, "softmax");
        INDArray y = runtime.predict(new float[] {1, 2, 3});
        assertArrayEquals(new long[] {1, 2}, y.shape());
        assertEquals(1.0, y.sumNumber().doubleValue(), 1e-6);
        assertEquals(first, runtime.getWeights().get(0));
        assertEquals(4, runtime.getWeights().size());
        // The added layer's weights equal those of a model built with it from the start.
        assertEquals(ModelRuntime.of(Sequential.input(3).dense(4).dense(2, "softmax")).getWeights(),
                runtime.getWeights());
        assertTrue(Transforms.abs(y.sub(ModelRuntime.of(Sequential.input(3).dense(4).dense(2, "softmax"))
                .predict(new float[] {1, 2, 3})), false).maxNumber().doubleValue() < 1e-7);
    }
}
