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
import org.shapelab.layers.Add;
import org.shapelab.layers.Average;
import org.shapelab.layers.Bidirectional;
import org.shapelab.layers.Concatenate;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Dot;
import org.shapelab.layers.GRU;
import org.shapelab.layers.Input;
import org.shapelab.layers.LSTM;
import org.shapelab.layers.Masking;
import org.shapelab.layers.Maximum;
import org.shapelab.layers.Minimum;
import org.shapelab.layers.Multiply;
import org.shapelab.layers.RepeatVector;
import org.shapelab.layers.SimpleRNN;
import org.shapelab.layers.Subtract;
import org.shapelab.layers.Tensor;
import org.shapelab.model.Functional;
import org.shapelab.model.Model;

/**
 * The backward passes of issue 11's layers (merges, RepeatVector, Masking, Bidirectional) and of graphs (a tensor
 * read twice, a shared layer, two outputs) against finite differences, as GradientCheckTest does for the Sequential
 * layers: for {@code L = Σ_o Σ R_o·output_o(x)}, each weight's gradient must match {@code (L(w+h) - L(w-h)) / 2h}.
 * Dense layers before every merge check the gradient each merge passes back to each of its inputs.
 */
class GraphGradientCheckTest {

    record Case(String name, Supplier<Functional> model) {
    }

    /** Two (None, 4) inputs, each through its own Dense, merged, then a Dense. */
    private static Functional merged(Supplier<org.shapelab.layers.Layer> merge, int[] left, int[] right) {
        Input a = Input.shape(left);
        Input b = Input.shape(right);
        Tensor x = new Dense(left[left.length - 1], "tanh").apply(a);
        Tensor y = new Dense(right[right.length - 1], "tanh").apply(b);
        return Model.of(List.of(a, b), List.of(new Dense(2).apply(merge.get().apply(x, y))));
    }

    static List<Case> cases() {
        List<Case> all = new ArrayList<>();
        int[] v = {4};
        all.add(new Case("add", () -> merged(Add::new, v, v)));
        all.add(new Case("add_broadcast_size1", () -> merged(Add::new, new int[] {3, 4}, new int[] {1, 4})));
        all.add(new Case("add_broadcast_rank", () -> merged(Add::new, new int[] {3, 4}, new int[] {4})));
        all.add(new Case("subtract", () -> merged(Subtract::new, v, v)));
        all.add(new Case("multiply", () -> merged(Multiply::new, v, v)));
        all.add(new Case("average", () -> merged(Average::new, v, v)));
        all.add(new Case("maximum", () -> merged(Maximum::new, v, v)));
        all.add(new Case("minimum", () -> merged(Minimum::new, v, v)));
        all.add(new Case("concatenate_last", () -> merged(Concatenate::new, new int[] {3, 2}, new int[] {3, 4})));
        all.add(new Case("concatenate_axis1", () -> merged(() -> new Concatenate(1), new int[] {2, 3}, new int[] {4, 3})));
        all.add(new Case("dot_vectors", () -> merged(() -> new Dot(1), v, v)));
        all.add(new Case("dot_normalized", () -> merged(() -> new Dot(1).normalize(true), v, v)));
        all.add(new Case("dot_sequences_axis2", () -> merged(() -> new Dot(2), new int[] {3, 4}, new int[] {5, 4})));
        all.add(new Case("dot_sequence_vector", () -> merged(() -> new Dot(2, 1), new int[] {3, 4}, new int[] {4})));
        all.add(new Case("three_way_add", () -> {
            Input a = Input.shape(3);
            Tensor x = new Dense(4, "tanh").apply(a);
            Tensor y = new Dense(4, "sigmoid").apply(a);
            Tensor z = new Dense(4).apply(x);
            return Model.of(a, new Dense(2).apply(new Add().apply(x, y, z)));
        }));
        all.add(new Case("shared_dense_two_outputs", () -> {
            Input a = Input.shape(3);
            Input b = Input.shape(3);
            Dense shared = new Dense(4, "tanh");
            Tensor sa = shared.apply(a);
            Tensor sb = shared.apply(b);
            return Model.of(List.of(a, b), List.of(new Dense(2).apply(new Concatenate().apply(sa, sb)),
                    new Dense(1).apply(sb)));
        }));
        all.add(new Case("repeat_vector_lstm", () -> {
            Input a = Input.shape(3);
            Tensor h = new RepeatVector(4).apply(new Dense(2, "tanh").apply(a));
            return Model.of(a, new LSTM(3, true).apply(h));
        }));
        all.add(new Case("masking_gru", () -> {
            Input a = Input.shape(5, 2);
            return Model.of(a, new GRU(3).apply(new Masking(0.0).apply(a)));
        }));
        for (Bidirectional.MergeMode mode : Bidirectional.MergeMode.values()) {
            all.add(new Case("bidirectional_" + mode.name().toLowerCase(), () -> {
                Input a = Input.shape(4, 2);
                Tensor x = new Dense(3, "tanh").apply(a);
                List<Tensor> out = new Bidirectional(new SimpleRNN(2, true), mode).applyAll(x);
                return Model.of(List.of(a), out);
            }));
        }
        all.add(new Case("bidirectional_lstm_last", () -> {
            Input a = Input.shape(4, 2);
            return Model.of(a, new Bidirectional(new LSTM(2)).apply(new Dense(3, "tanh").apply(a)));
        }));
        all.add(new Case("bidirectional_masked_sequences", () -> {
            Input a = Input.shape(5, 2);
            return Model.of(a, new Bidirectional(new GRU(2, true), "sum").apply(new Masking(0.0).apply(a)));
        }));
        return all;
    }

    @TestFactory
    Stream<DynamicTest> backwardPassesMatchFiniteDifferences() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    @TestFactory
    Stream<DynamicTest> trainingForwardEqualsPredict() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Functional model = c.model().get();
            ModelRuntime runtime = ModelRuntime.of(model).seed(3);
            List<INDArray> x = inputs(model, Nd4j.getRandomFactory().getNewRandomInstance(5));
            List<INDArray> trained = runtime.trainingPass().forwardAll(x, 1, "fit");
            List<INDArray> predicted = runtime.predictAll(x.toArray(INDArray[]::new));
            for (int o = 0; o < trained.size(); o++) {
                double worst = Transforms.abs(trained.get(o).sub(predicted.get(o)), false).maxNumber().doubleValue();
                assertTrue(worst < 1e-5, c.name() + ": output " + o + " of training forward differs from predict by "
                        + worst);
            }
        }));
    }

    /** Random inputs; every other timestep of the masked cases' samples 1 and 2 is padding (all zeros). */
    private static List<INDArray> inputs(Functional model, org.nd4j.linalg.api.rng.Random random) {
        List<INDArray> inputs = new ArrayList<>();
        for (Input input : model.inputs()) {
            int[] sample = input.sampleShape().dims();
            long[] shape = new long[sample.length + 1];
            shape[0] = 3;
            for (int i = 0; i < sample.length; i++) {
                shape[i + 1] = sample[i];
            }
            INDArray x = Nd4j.rand(Nd4j.createUninitialized(DataType.FLOAT, shape), random).subi(0.5).muli(2);
            if (model.layers().stream().anyMatch(l -> l instanceof Masking)) {
                for (long t = 1; t < shape[1]; t += 2) {
                    x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(t)).assign(0);
                }
            }
            inputs.add(x);
        }
        return inputs;
    }

    private static double objective(List<INDArray> outputs, List<INDArray> r) {
        double sum = 0;
        for (int o = 0; o < outputs.size(); o++) {
            sum += outputs.get(o).mul(r.get(o)).sumNumber().doubleValue();
        }
        return sum;
    }

    static void check(Case c) {
        Functional model = c.model().get();
        ModelRuntime runtime = ModelRuntime.of(model).seed(7);
        TrainingPass pass = runtime.trainingPass();
        org.nd4j.linalg.api.rng.Random random = Nd4j.getRandomFactory().getNewRandomInstance(11);
        List<INDArray> x = inputs(model, random);
        List<INDArray> out = pass.forwardAll(x, 1, "fit");
        List<INDArray> r = new ArrayList<>();
        for (INDArray o : out) {
            r.add(Nd4j.rand(Nd4j.createUninitialized(DataType.FLOAT, o.shape()), random).subi(0.5));
        }
        List<INDArray> gradients = pass.backwardAll(r);
        List<INDArray> weights = pass.weights();
        double center = objective(out, r);
        int checked = 0;
        int kinks = 0;
        for (int w = 0; w < weights.size(); w++) {
            if (!pass.trainable().get(w)) {
                continue;
            }
            INDArray weight = weights.get(w);
            INDArray gradient = gradients.get(w);
            assertTrue(gradient != null, c.name() + ": weight " + w + " got no gradient");
            long n = weight.length();
            for (long k = 0; k < Math.min(n, 12); k++) {
                long at = (k * 7919) % n;
                float saved = weight.getFloat(at);
                weight.putScalar(at, saved + GradientCheckTest.H);
                double plus = objective(pass.forwardAll(x, 1, "fit"), r);
                weight.putScalar(at, saved - GradientCheckTest.H);
                double minus = objective(pass.forwardAll(x, 1, "fit"), r);
                weight.putScalar(at, saved);
                double numeric = (plus - minus) / (2 * GradientCheckTest.H);
                double analytic = gradient.getDouble(at);
                double right = (plus - center) / GradientCheckTest.H;
                double left = (center - minus) / GradientCheckTest.H;
                if (Math.abs(right - left) > 0.1 * Math.max(Math.max(Math.abs(right), Math.abs(left)), 0.05)) {
                    kinks++;
                    continue;
                }
                checked++;
                double error = Math.abs(numeric - analytic) / Math.max(Math.max(Math.abs(numeric), Math.abs(analytic)), 0.05);
                assertTrue(error < GradientCheckTest.TOLERANCE, c.name() + ": weight " + w + " element " + at
                        + ": backward " + analytic + ", finite difference " + numeric);
            }
        }
        assertTrue(checked >= 2 * kinks && checked > 0, c.name() + ": only " + checked + " elements were smooth enough"
                + " to check, " + kinks + " sat on a kink");
    }
}
