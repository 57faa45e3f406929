package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.shapelab.layers.Activations;
import org.shapelab.layers.AveragePooling1D;
import org.shapelab.layers.AveragePooling2D;
import org.shapelab.layers.BatchNormalization;
import org.shapelab.layers.Conv1D;
import org.shapelab.layers.Conv2D;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Embedding;
import org.shapelab.layers.Flatten;
import org.shapelab.layers.GRU;
import org.shapelab.layers.LSTM;
import org.shapelab.layers.Layer;
import org.shapelab.layers.SimpleRNN;
import org.shapelab.layers.GlobalAveragePooling1D;
import org.shapelab.layers.GlobalAveragePooling2D;
import org.shapelab.layers.GlobalMaxPooling1D;
import org.shapelab.layers.GlobalMaxPooling2D;
import org.shapelab.layers.MaxPooling1D;
import org.shapelab.layers.MaxPooling2D;
import org.shapelab.layers.Permute;
import org.shapelab.layers.Reshape;
import org.shapelab.layers.TimeDistributed;
import org.shapelab.model.Sequential;

/**
 * Every layer's backward pass against finite differences of its forward pass: for {@code L = Σ R·model(x)} with a
 * fixed random R, each weight's analytic gradient must match {@code (L(w+h) - L(w-h)) / 2h} at sampled elements. A
 * Dense layer before the layer under test also checks the gradient it passes back to its input. Float32 forward
 * passes limit the agreement to about 1e-3; formula errors are off by far more. Elements whose step crosses a kink
 * (relu at 0, a pooling maximum changing places) have no derivative there and are skipped, a few per model at most.
 */
class GradientCheckTest {

    static final double H = 1e-3;
    static final double TOLERANCE = 2e-2;

    record Case(String name, Supplier<Sequential> model, boolean ids) {
    }

    static List<Case> cases() {
        List<Case> all = new ArrayList<>();
        for (String activation : Activations.NAMES) {
            all.add(new Case("dense_" + activation, () -> Sequential.input(5).dense(4, "tanh").dense(3, activation), false));
        }
        all.add(new Case("dense_rank3", () -> Sequential.input(4, 3).dense(5, "relu").add(new Dense(2).useBias(false)), false));
        for (String padding : new String[] {"valid", "same", "causal"}) {
            all.add(new Case("conv1d_" + padding, () -> Sequential.input(9, 2).dense(3, "tanh")
                    .add(new Conv1D(4, 3, "sigmoid").padding(padding)), false));
            all.add(new Case("conv1d_" + padding + "_dilation2", () -> Sequential.input(9, 2).dense(3, "tanh")
                    .add(new Conv1D(2, 3).padding(padding).dilationRate(2)), false));
        }
        all.add(new Case("conv1d_strides2", () -> Sequential.input(10, 2).dense(3).add(new Conv1D(3, 3).strides(2)), false));
        all.add(new Case("conv1d_channels_first", () -> Sequential.input(3, 8).dense(5, "tanh")
                .add(new Conv1D(2, 3, "softmax").dataFormat("channels_first")), false));
        for (String padding : new String[] {"valid", "same"}) {
            all.add(new Case("conv2d_" + padding, () -> Sequential.input(6, 5, 2).dense(3, "tanh")
                    .add(new Conv2D(4, 3, "softplus").padding(padding)), false));
            all.add(new Case("conv2d_" + padding + "_strides2", () -> Sequential.input(7, 6, 2).dense(2)
                    .add(new Conv2D(3, 3).padding(padding).strides(2)), false));
            all.add(new Case("conv2d_" + padding + "_channels_first", () -> Sequential.input(2, 6, 5).dense(5, "tanh")
                    .add(new Conv2D(3, 3).padding(padding).dataFormat("channels_first")), false));
        }
        // Strides longer than 'same' needs (SameCrop): the rows no window reads get no gradient.
        all.add(new Case("conv2d_same_strides_longer_than_needed", () -> Sequential.input(3, 4, 2).dense(2, "tanh")
                .add(new Conv2D(2, 1).strides(3).padding("same")), false));
        all.add(new Case("max_pooling2d_same_strides_longer_than_needed", () -> Sequential.input(4, 3, 2).dense(2, "tanh")
                .add(new MaxPooling2D(1).strides(3).padding("same")), false));
        all.add(new Case("conv2d_dilation2", () -> Sequential.input(7, 7, 1).dense(2).add(new Conv2D(2, 3).dilationRate(2)), false));
        for (String padding : new String[] {"valid", "same"}) {
            all.add(new Case("max_pooling1d_" + padding, () -> Sequential.input(7, 3).dense(2, "tanh")
                    .add(new MaxPooling1D(2).padding(padding)), false));
            all.add(new Case("average_pooling1d_" + padding, () -> Sequential.input(7, 3).dense(2, "tanh")
                    .add(new AveragePooling1D(3).strides(2).padding(padding)), false));
            all.add(new Case("max_pooling2d_" + padding, () -> Sequential.input(5, 5, 2).dense(2, "tanh")
                    .add(new MaxPooling2D(2).padding(padding)), false));
            all.add(new Case("average_pooling2d_" + padding, () -> Sequential.input(5, 5, 2).dense(2, "tanh")
                    .add(new AveragePooling2D(2).padding(padding)), false));
        }
        all.add(new Case("max_pooling2d_channels_first", () -> Sequential.input(2, 5, 4).dense(4, "tanh")
                .add(new MaxPooling2D(2).dataFormat("channels_first")), false));
        all.add(new Case("global_average_pooling1d", () -> Sequential.input(6, 3).dense(2, "tanh").add(new GlobalAveragePooling1D()), false));
        all.add(new Case("global_max_pooling1d", () -> Sequential.input(6, 3).dense(2, "tanh").add(new GlobalMaxPooling1D()), false));
        all.add(new Case("global_average_pooling2d", () -> Sequential.input(4, 3, 2).dense(2, "tanh").add(new GlobalAveragePooling2D()), false));
        all.add(new Case("global_max_pooling2d_channels_first", () -> Sequential.input(2, 4, 3).dense(3, "tanh")
                .add(new GlobalMaxPooling2D().dataFormat("channels_first")), false));
        all.add(new Case("flatten", () -> Sequential.input(3, 4, 2).dense(2, "tanh").add(new Flatten()).dense(3), false));
        all.add(new Case("flatten_channels_first", () -> Sequential.input(2, 3, 4).dense(3, "tanh")
                .add(new Flatten().dataFormat("channels_first")).dense(3), false));
        all.add(new Case("reshape", () -> Sequential.input(6).dense(8, "tanh").add(new Reshape(-1, 2)).dense(3), false));
        all.add(new Case("permute", () -> Sequential.input(3, 4).dense(2, "tanh").add(new Permute(2, 1)).dense(3), false));
        all.add(new Case("batch_normalization", () -> Sequential.input(5).dense(4, "tanh").add(new BatchNormalization()).dense(2), false));
        all.add(new Case("batch_normalization_axis1", () -> Sequential.input(3, 4, 2).dense(2, "tanh")
                .add(new BatchNormalization().axis(1)).add(new Flatten()).dense(2), false));
        all.add(new Case("embedding", () -> Sequential.input(4).add(new Embedding(6, 3)).dense(2, "tanh"), true));
        all.add(new Case("time_distributed_dense", () -> Sequential.input(3, 4).dense(2, "tanh")
                .add(new TimeDistributed(new Dense(3, "relu"))), false));
        all.add(new Case("time_distributed_conv2d", () -> Sequential.input(2, 4, 4, 1).dense(2, "tanh")
                .add(new TimeDistributed(new Conv2D(2, 3))), false));
        for (String cell : new String[] {"simple_rnn", "lstm", "gru", "gru_reset_before"}) {
            all.add(new Case(cell + "_last", () -> Sequential.input(4, 3).dense(2, "tanh").add(recurrent(cell, 3, false)), false));
            all.add(new Case(cell + "_sequences_backwards", () -> Sequential.input(4, 2).dense(3, "tanh")
                    .add(backwards(recurrent(cell, 2, true))), false));
            all.add(new Case(cell + "_one_unit", () -> Sequential.input(3, 2).add(recurrent(cell, 1, true)), false));
            all.add(new Case(cell + "_masked", () -> Sequential.input(5).add(new Embedding(3, 2).maskZero(true))
                    .add(recurrent(cell, 3, true)), true));
        }
        all.add(new Case("lstm_no_bias_relu", () -> Sequential.input(4, 3).add(new LSTM(3).useBias(false).activation("softsign")),
                false));
        all.add(new Case("activation_layers", () -> Sequential.input(4, 3).dense(3).activation("softmax").activation("mish")
                .activation("elu").activation("gelu"), false));
        return all;
    }

    private static Layer recurrent(String cell, int units, boolean sequences) {
        return switch (cell) {
            case "simple_rnn" -> new SimpleRNN(units, sequences);
            case "lstm" -> new LSTM(units, sequences);
            case "gru" -> new GRU(units, sequences);
            default -> new GRU(units, sequences).resetAfter(false);
        };
    }

    private static Layer backwards(Layer rnn) {
        return ((org.shapelab.layers.BaseRNN<?>) rnn).goBackwards(true);
    }

    @TestFactory
    Stream<DynamicTest> backwardPassesMatchFiniteDifferences() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    /**
     * Training's forward pass computes what predict computes (predict is the one compared with Keras by the
     * reference corpora), for every model here but BatchNormalization's, which normalizes with the batch's statistics
     * in training.
     */
    @TestFactory
    Stream<DynamicTest> trainingForwardEqualsPredict() {
        return cases().stream().filter(c -> !c.name().startsWith("batch_normalization"))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    Sequential model = c.model().get();
                    ModelRuntime runtime = ModelRuntime.of(model).seed(3);
                    INDArray x = input(model, c, Nd4j.getRandomFactory().getNewRandomInstance(5));
                    INDArray trained = runtime.trainingPass().forward(x, 1, "fit");
                    INDArray predicted = runtime.predict(x);
                    double worst = Transforms.abs(trained.sub(predicted), false).maxNumber().doubleValue();
                    assertTrue(worst < 1e-5, c.name() + ": training forward differs from predict by " + worst);
                }));
    }

    private static INDArray input(Sequential model, Case c, org.nd4j.linalg.api.rng.Random random) {
        long[] shape = new long[model.sampleInputShape().rank() + 1];
        shape[0] = 3;
        for (int i = 1; i < shape.length; i++) {
            shape[i] = model.sampleInputShape().dims()[i - 1];
        }
        return c.ids() ? Nd4j.rand(Nd4j.createUninitialized(DataType.FLOAT, shape), random)
                .muli(c.name().endsWith("_masked") ? 3 : 6).castTo(DataType.INT32).castTo(DataType.FLOAT)
                : Nd4j.rand(Nd4j.createUninitialized(DataType.FLOAT, shape), random).subi(0.5).muli(2);
    }

    static void check(Case c) {
        Sequential model = c.model().get();
        ModelRuntime runtime = ModelRuntime.of(model).seed(7);
        TrainingPass pass = runtime.trainingPass();
        org.nd4j.linalg.api.rng.Random random = Nd4j.getRandomFactory().getNewRandomInstance(11);
        INDArray x = input(model, c, random);
        INDArray out = pass.forward(x, 1, "fit");
        INDArray r = Nd4j.rand(Nd4j.createUninitialized(DataType.FLOAT, out.shape()), random).subi(0.5);
        List<INDArray> gradients = pass.backward(r);
        List<INDArray> weights = pass.weights();
        double center = out.mul(r).sumNumber().doubleValue();
        int checked = 0;
        int kinks = 0;
        for (int w = 0; w < weights.size(); w++) {
            if (!pass.trainable().get(w)) {
                continue;
            }
            INDArray weight = weights.get(w);
            INDArray gradient = gradients.get(w);
            long n = weight.length();
            for (long k = 0; k < Math.min(n, 12); k++) {
                long at = (k * 7919) % n;
                float saved = weight.getFloat(at);
                weight.putScalar(at, saved + H);
                double plus = pass.forward(x, 1, "fit").mul(r).sumNumber().doubleValue();
                weight.putScalar(at, saved - H);
                double minus = pass.forward(x, 1, "fit").mul(r).sumNumber().doubleValue();
                weight.putScalar(at, saved);
                double numeric = (plus - minus) / (2 * H);
                double analytic = gradient.getDouble(at);
                // A step across a kink (relu at 0, a max changing places) makes the two one-sided slopes differ:
                // no derivative to compare there.
                double right = (plus - center) / H;
                double left = (center - minus) / H;
                if (Math.abs(right - left) > 0.1 * Math.max(Math.max(Math.abs(right), Math.abs(left)), 0.05)) {
                    kinks++;
                    continue;
                }
                checked++;
                double error = Math.abs(numeric - analytic) / Math.max(Math.max(Math.abs(numeric), Math.abs(analytic)), 0.05);
                assertTrue(error < TOLERANCE, c.name() + ": weight " + w + " element " + at + ": backward " + analytic
                        + ", finite difference " + numeric);
            }
        }
        assertTrue(checked >= 2 * kinks && checked > 0, c.name() + ": only " + checked + " elements were smooth enough"
                + " to check, " + kinks + " sat on a kink");
    }
}
