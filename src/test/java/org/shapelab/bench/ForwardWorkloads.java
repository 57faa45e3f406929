package org.shapelab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.Conv2D;
import org.shapelab.layers.Layer;
import org.shapelab.layers.WeightSpec;
import org.shapelab.model.Sequential;

/**
 * The six workloads of issue 3, as ShapeLab models, with deterministic Keras-layout weights and inputs.
 * Weights and inputs are made here (seeded), never by the code under test, so every implementation gets the
 * same numbers: ours through {@code setWeights}, DL4J converted to its layouts, TF.js through a file.
 */
public final class ForwardWorkloads {

    /**
     * One row of the benchmark.
     *
     * @param id         W1, W2a, ...
     * @param title      what it computes
     * @param model      builds a fresh ShapeLab model (a layer instance belongs to one model)
     * @param batchShape the input array's shape, batch first
     * @param latency    true for the single-sample latency row (W5)
     */
    record Workload(String id, String title, Supplier<Sequential> model, int[] batchShape, boolean latency) {

        /** Floating-point operations of one forward pass: 2 per multiply-add the shape engine counts. */
        double flops() {
            long perSample = 0;
            for (Layer layer : model.get().layers()) {
                perSample += Math.max(0, layer.multiplyAdds());
            }
            return 2.0 * perSample * batchShape[0];
        }
    }

    private ForwardWorkloads() {
    }

    static List<Workload> all() {
        List<Workload> list = new ArrayList<>();
        list.add(new Workload("W1", "Dense 784->512 relu, (256, 784)",
                () -> Sequential.input(784).dense(512, "relu"), new int[] {256, 784}, false));
        list.add(new Workload("W2a", "Conv2D 32@3x3 relu, (64, 28, 28, 1)",
                () -> Sequential.input(28, 28, 1).conv2d(32, 3, "relu"), new int[] {64, 28, 28, 1}, false));
        list.add(new Workload("W2b", "Conv2D 32@3x3 same, (32, 32, 32, 16)",
                () -> Sequential.input(32, 32, 16).add(new Conv2D(32, 3).padding("same")),
                new int[] {32, 32, 32, 16}, false));
        list.add(new Workload("W3", "Conv1D 16@9, (64, 1000, 2)",
                () -> Sequential.input(1000, 2).conv1d(16, 9), new int[] {64, 1000, 2}, false));
        list.add(new Workload("W4", "LSTM 64, (32, 50, 16)",
                () -> Sequential.input(50, 16).lstm(64), new int[] {32, 50, 16}, false));
        list.add(new Workload("W5", "LeNet-style model, one 28x28x1 image",
                ForwardWorkloads::lenet, new int[] {1, 28, 28, 1}, true));
        return list;
    }

    /** Conv2D 6@5 same relu, MaxPool 2, Conv2D 16@5 relu, MaxPool 2, Flatten, Dense 120/84 relu, Dense 10 softmax. */
    public static Sequential lenet() {
        return Sequential.input(28, 28, 1)
                .add(new Conv2D(6, 5).padding("same").activation("relu"))
                .maxPooling2d(2)
                .conv2d(16, 5, "relu")
                .maxPooling2d(2)
                .flatten()
                .dense(120, "relu")
                .dense(84, "relu")
                .dense(10, "softmax");
    }

    /**
     * Weights in Keras's {@code get_weights()} order and layouts, read from the layers' weight specs:
     * kernels glorot-uniform (Keras's fan rule), biases and every rank-1 weight uniform in [-0.1, 0.1] so that
     * a bias mapped to the wrong place shows in the output check.
     */
    static List<INDArray> kerasWeights(Sequential model, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<INDArray> weights = new ArrayList<>();
        for (Layer layer : model.layers()) {
            for (WeightSpec spec : layer.weights()) {
                int[] shape = spec.shape();
                double limit;
                if (shape.length >= 2) {
                    long receptive = 1;
                    for (int i = 0; i < shape.length - 2; i++) {
                        receptive *= shape[i];
                    }
                    double fanIn = (double) shape[shape.length - 2] * receptive;
                    double fanOut = (double) shape[shape.length - 1] * receptive;
                    limit = Math.sqrt(6.0 / (fanIn + fanOut));
                } else {
                    limit = 0.1;
                }
                weights.add(uniform(random, shape, limit));
            }
        }
        return weights;
    }

    /** An input batch, uniform in [-1, 1). */
    static INDArray input(int[] shape, long seed) {
        return uniform(new SplittableRandom(seed), shape, 1.0);
    }

    private static INDArray uniform(SplittableRandom random, int[] shape, double limit) {
        long n = 1;
        long[] longShape = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            n *= shape[i];
            longShape[i] = shape[i];
        }
        float[] data = new float[Math.toIntExact(n)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        }
        return Nd4j.create(data, longShape, 'c').castTo(DataType.FLOAT);
    }
}
