package org.shapelab.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.shapelab.compute.Nd4jRuntime;
import org.shapelab.model.Sequential;
import org.shapelab.training.Loss;
import org.shapelab.training.Optimizer;

/**
 * Training speed of issue 10's rows against two peers in one run: ms per optimizer step (Adam) for ShapeLab's
 * {@code trainOnBatch}, DeepLearning4J 1.0.0-M2.1's {@code fit(DataSet)} (same JVM, same ND4J build) and TensorFlow.js
 * 4.22's {@code trainOnBatch} (Node; tools/bench/tfjs/train.mjs says which backend). Data: random arrays of each row's
 * shapes (speed does not depend on the values); rounds interleave ours and DL4J's.
 *
 * <pre>tools/bench/training [STEPS_T1 STEPS_T2 STEPS_T3]</pre>
 */
public final class TrainingBenchmark {

    record Row(String id, String title, int batch, long[] sample, int classes) {
    }

    static final List<Row> ROWS = List.of(
            new Row("T1", "Flatten -> Dense(128, relu) -> Dense(10), batch 32", 32, new long[] {28, 28}, 10),
            new Row("T2", "Conv2D(32, 3, relu) -> MaxPooling2D(2) -> Flatten -> Dense(10), batch 64", 64,
                    new long[] {28, 28, 1}, 10),
            new Row("T3", "LSTM(64) -> Dense(1) on (50, 16), batch 32", 32, new long[] {50, 16}, 0));

    private TrainingBenchmark() {
    }

    static Sequential ours(String id) {
        Sequential model = switch (id) {
            case "T1" -> Sequential.input(28, 28).flatten().dense(128, "relu").dense(10);
            case "T2" -> Sequential.input(28, 28, 1).conv2d(32, 3, "relu").maxPooling2d(2).flatten().dense(10);
            default -> Sequential.input(50, 16).lstm(64).dense(1);
        };
        return model.compile(new Optimizer.Adam(), id.equals("T3") ? Loss.meanSquaredError()
                : Loss.categoricalCrossentropy(true));
    }

    static MultiLayerNetwork dl4j(String id) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .updater(new Adam(0.001, 0.9, 0.999, 1e-7)).list();
        switch (id) {
            case "T1" -> list.layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.feedForward(784));
            case "T2" -> list.layer(new ConvolutionLayer.Builder(3, 3).nOut(32).convolutionMode(ConvolutionMode.Truncate)
                            .activation(Activation.RELU).build())
                    .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC));
            default -> list.layer(new LastTimeStep(new LSTM.Builder().nOut(64).activation(Activation.TANH)
                            .gateActivationFunction(Activation.SIGMOID).dataFormat(RNNFormat.NWC).build()))
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1)
                            .activation(Activation.IDENTITY).build())
                    .setInputType(InputType.recurrent(16, 50, RNNFormat.NWC));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    public static void main(String[] args) throws Exception {
        int[] steps = {args.length > 0 ? Integer.parseInt(args[0]) : 300, args.length > 1 ? Integer.parseInt(args[1]) : 60,
                args.length > 2 ? Integer.parseInt(args[2]) : 40};
        Nd4jRuntime.ensureLoaded();
        Map<String, double[]> results = new LinkedHashMap<>();
        for (int r = 0; r < ROWS.size(); r++) {
            Row row = ROWS.get(r);
            int n = row.batch() * (steps[r] + 5);
            long[] shape = new long[row.sample().length + 1];
            shape[0] = n;
            System.arraycopy(row.sample(), 0, shape, 1, row.sample().length);
            INDArray x = Nd4j.rand(DataType.FLOAT, shape);
            INDArray y = row.classes() > 0 ? Nd4j.eye(row.classes()).castTo(DataType.FLOAT)
                    .getRows(randomClasses(n, row.classes())) : Nd4j.rand(DataType.FLOAT, n, 1);
            List<INDArray[]> batches = new ArrayList<>();
            for (int s = 0; s < steps[r] + 5; s++) {
                INDArray bx = x.get(NDArrayIndex.interval((long) s * row.batch(), (long) (s + 1) * row.batch())).dup();
                batches.add(new INDArray[] {bx, y.get(NDArrayIndex.interval((long) s * row.batch(),
                        (long) (s + 1) * row.batch())).dup()});
            }
            Sequential model = ours(row.id());
            MultiLayerNetwork net = dl4j(row.id());
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
            for (int round = 0; round < 3; round++) {
                best[0] = Math.min(best[0], time(batches, b -> model.trainOnBatch(b[0], b[1])));
                best[1] = Math.min(best[1], time(batches, b -> net.fit(new DataSet(row.id().equals("T1")
                        ? b[0].reshape(b[0].size(0), 784) : b[0], b[1]))));
            }
            results.put(row.id(), best);
            System.out.printf("%s ours %.2f ms/step, DL4J %.2f ms/step%n", row.id(), best[0], best[1]);
        }
        Path dir = Path.of("target/bench-training");
        Files.createDirectories(dir);
        Path tfjs = dir.resolve("tfjs.json");
        Process node = new ProcessBuilder("node", "tools/bench/tfjs/train.mjs", tfjs.toString(),
                String.valueOf(steps[0]), String.valueOf(steps[1]), String.valueOf(steps[2])).inheritIO().start();
        JsonNode peer = node.waitFor() == 0 ? new ObjectMapper().readTree(tfjs.toFile()) : null;
        StringBuilder md = new StringBuilder("| row | ours ms/step | DL4J ms/step | TF.js ms/step (backend) | DL4J/ours |"
                + " TF.js/ours |\n|---|---|---|---|---|---|\n");
        for (Row row : ROWS) {
            double[] t = results.get(row.id());
            JsonNode p = peer == null ? null : peer.get(row.id());
            double tf = p == null || p.get("msPerStep").isNull() ? Double.NaN : p.get("msPerStep").asDouble();
            md.append(String.format("| %s %s | %.2f | %.2f | %.2f (%s) | %.2f | %.2f |%n", row.id(), row.title(), t[0],
                    t[1], tf, p == null ? "-" : p.get("backend").asText(), t[1] / t[0], tf / t[0]));
        }
        md.append("\nnative build ").append(Nd4jRuntime.nativeBuild()).append(", OMP_NUM_THREADS=")
                .append(System.getenv("OMP_NUM_THREADS")).append(", OPENBLAS_CORETYPE=")
                .append(System.getenv("OPENBLAS_CORETYPE")).append('\n');
        Files.writeString(dir.resolve("results.md"), md.toString());
        System.out.println(md);
    }

    interface Step {
        void run(INDArray[] batch);
    }

    /** ms per step over the batches after 5 warm-up steps. */
    private static double time(List<INDArray[]> batches, Step step) {
        for (int s = 0; s < 5; s++) {
            step.run(batches.get(s));
        }
        long start = System.nanoTime();
        for (int s = 5; s < batches.size(); s++) {
            step.run(batches.get(s));
        }
        return (System.nanoTime() - start) / 1e6 / (batches.size() - 5);
    }

    private static int[] randomClasses(int n, int classes) {
        java.util.Random random = new java.util.Random(1);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = random.nextInt(classes);
        }
        return rows;
    }
}
