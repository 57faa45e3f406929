package org.shapelab.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.api.Model;
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
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.shapelab.compute.Nd4jRuntime;
import org.shapelab.data.FashionMnist;
import org.shapelab.model.Sequential;
import org.shapelab.training.FitOptions;
import org.shapelab.training.History;
import org.shapelab.training.Loss;
import org.shapelab.training.Optimizer;

/**
 * Training speed of issue 10's rows T1-T3 against two peers in one run: one epoch of {@code fit} (Adam, Keras's
 * defaults) in ShapeLab, in DeepLearning4J 1.0.0-M2.1 ({@code MultiLayerNetwork.fit}, same JVM and ND4J build) and in
 * TensorFlow.js 4.22 ({@code model.fit} in Node, wasm backend, cpu where wasm lacks a gradient kernel), all three from
 * the same initial weights on the same data. Reported: ms per step (the epoch's wall time over its steps), and, as a
 * check that the three computed the same thing, the steps each took, the epoch's mean training loss and the loss on
 * held-out data after the epoch.
 *
 * <pre>tools/bench/training [--rounds=N] [--only=T1,T3] [--no-tfjs] [--tfjs-cpu-steps=N] [STEPS_T1 STEPS_T2 STEPS_T3]</pre>
 *
 * STEPS shorten an epoch to its first STEPS batches (default: the whole epoch, 1875, 157 and 63 steps). A row that
 * TF.js must run on its cpu backend (wasm lacks a gradient kernel) is timed there over its first N batches only
 * (default 20, one round), against the warm-up fits of ours and DL4J over the same batches for the loss check.
 */
public final class TrainingBenchmark {

    record Row(String id, String title, int batch, int samples, long[] sample, int outputs) {

        int fullSteps() {
            return (samples + batch - 1) / batch;
        }
    }

    static final List<Row> ROWS = List.of(
            new Row("T1", "Flatten → Dense(128, relu) → Dense(10), 60,000 Fashion-MNIST images, batch 32", 32, 60_000,
                    new long[] {28, 28}, 10),
            new Row("T2", "Conv2D(32, 3, relu) → MaxPooling2D(2) → Flatten → Dense(10), 10,000 images, batch 64", 64,
                    10_000, new long[] {28, 28, 1}, 10),
            new Row("T3", "LSTM(64) → Dense(1) on (2000, 50, 16), batch 32", 32, 2000, new long[] {50, 16}, 1));

    /** How far the peers' losses may be from ours and still count as the same computation (relative). */
    static final double LOSS_TOLERANCE = 0.25;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrainingBenchmark() {
    }

    /** The data of one row: training x and y, held-out x and y (the loss check after the epoch). */
    record Data(INDArray x, INDArray y, INDArray xe, INDArray ye) {
    }

    /** One implementation's epoch: ms per step, steps taken, mean training loss, held-out loss after. */
    record Epoch(double msPerStep, long steps, double trainLoss, double evalLoss) {
    }

    static Sequential ours(String id) {
        Sequential model = switch (id) {
            case "T1" -> Sequential.input(28, 28).flatten().dense(128, "relu").dense(10);
            case "T2" -> Sequential.input(28, 28, 1).conv2d(32, 3, "relu").maxPooling2d(2).flatten().dense(10);
            default -> Sequential.input(50, 16).lstm(64).dense(1);
        };
        return model.compile(new Optimizer.Adam(), loss(id));
    }

    static Loss loss(String id) {
        return id.equals("T3") ? Loss.meanSquaredError() : Loss.categoricalCrossentropy(true);
    }

    /** The same model in DL4J, softmax + MCXENT (= categorical crossentropy from logits) or MSE, Keras's Adam. */
    static MultiLayerNetwork dl4j(String id, List<INDArray> keras) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(new Adam(0.001, 0.9, 0.999, 1e-7)).list();
        switch (id) {
            case "T1" -> list.layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.feedForward(784));
            case "T2" -> list.layer(new ConvolutionLayer.Builder(3, 3).stride(1, 1).nOut(32)
                            .convolutionMode(ConvolutionMode.Truncate).dataFormat(CNN2DFormat.NHWC)
                            .activation(Activation.RELU).build())
                    .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                            .convolutionMode(ConvolutionMode.Truncate).dataFormat(CNN2DFormat.NHWC).build())
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
        switch (id) {
            case "T1" -> {
                setParam(net, "0_W", keras.get(0));
                setParam(net, "0_b", keras.get(1));
                setParam(net, "1_W", keras.get(2));
                setParam(net, "1_b", keras.get(3));
            }
            case "T2" -> {
                setParam(net, "0_W", keras.get(0).permute(3, 2, 0, 1)); // Keras [kh, kw, in, out] -> OIYX
                setParam(net, "0_b", keras.get(1));
                setParam(net, "2_W", keras.get(2)); // DL4J flattens NHWC activations in (h, w, c) order, as Keras
                setParam(net, "2_b", keras.get(3));
            }
            default -> {
                setParam(net, "0_W", lstmGates(keras.get(0)));
                setParam(net, "0_RW", lstmGates(keras.get(1)));
                setParam(net, "0_b", lstmGates(keras.get(2).reshape(1, -1)));
                setParam(net, "1_W", keras.get(3));
                setParam(net, "1_b", keras.get(4));
            }
        }
        return net;
    }

    /** DL4J's view of x: Dense wants (N, 784) rows, the others take the Keras shape (NHWC, NWC). */
    static INDArray dl4jInput(String id, INDArray x) {
        return id.equals("T1") ? x.reshape('c', x.size(0), 784) : x;
    }

    public static void main(String[] args) throws Exception {
        org.shapelab.compute.BlasCore.selectForThisCpu(); // before anything loads OpenBLAS, as Nd4jRuntime does
        int rounds = 3;
        int cpuSteps = 20;
        boolean tfjs = true;
        List<String> only = null;
        List<Integer> stepArgs = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--rounds=")) {
                rounds = Integer.parseInt(arg.substring(9));
            } else if (arg.startsWith("--only=")) {
                only = List.of(arg.substring(7).split(","));
            } else if (arg.startsWith("--tfjs-cpu-steps=")) {
                cpuSteps = Integer.parseInt(arg.substring(17));
            } else if (arg.equals("--no-tfjs")) {
                tfjs = false;
            } else {
                stepArgs.add(Integer.parseInt(arg));
            }
        }
        Nd4jRuntime.ensureLoaded();
        Locale.setDefault(Locale.ROOT);
        Map<String, String> machine = Machine.describe();
        String startLoad = Machine.load();
        String started = Instant.now().toString();
        machine.forEach((k, v) -> System.out.println(k + ": " + v));
        System.out.println("load average at start: " + startLoad);

        Path dir = Path.of("target/bench-training");
        Files.createDirectories(dir);
        FashionMnist fashion = null;
        Map<String, Map<String, Object>> manifestRows = new LinkedHashMap<>();
        Map<String, List<Epoch>> oursRuns = new LinkedHashMap<>();
        Map<String, List<Epoch>> dl4jRuns = new LinkedHashMap<>();
        Map<String, Integer> stepsUsed = new LinkedHashMap<>();
        Map<String, double[]> checks = new LinkedHashMap<>();
        Map<String, Epoch[]> warmUps = new LinkedHashMap<>();
        for (int r = 0; r < ROWS.size(); r++) {
            Row row = ROWS.get(r);
            if (only != null && !only.contains(row.id())) {
                continue;
            }
            int steps = Math.min(row.fullSteps(), r < stepArgs.size() ? stepArgs.get(r) : row.fullSteps());
            int n = Math.min(row.samples(), steps * row.batch());
            stepsUsed.put(row.id(), steps);
            if (fashion == null && !row.id().equals("T3")) {
                fashion = FashionMnist.loadData();
            }
            Data data = data(row, fashion, n);
            Sequential proto = ours(row.id()).seed(42);
            List<INDArray> initial = proto.getWeights();
            double initialLoss = proto.evaluate(data.xe(), data.ye()).get("loss");

            // The same model in all three: forward outputs on 64 held-out samples agree before anything is timed.
            INDArray checkX = data.xe().get(NDArrayIndex.interval(0, 64)).dup('c');
            INDArray oursOut = proto.predict(checkX);
            INDArray dl4jOut = dl4j(row.id(), initial).output(dl4jInput(row.id(), checkX), false);
            INDArray probabilities = row.outputs() > 1 ? Transforms.softmax(oursOut, true) : oursOut; // DL4J ends in softmax
            double forwardDiff = dl4jOut.sub(probabilities).amaxNumber().doubleValue();
            System.out.printf("%s: %d steps of %d (%d samples); initial held-out loss %.4f; DL4J forward max |diff|"
                    + " %.2e%n", row.id(), steps, row.fullSteps(), n, initialLoss, forwardDiff);
            checks.put(row.id(), new double[] {initialLoss, forwardDiff});
            if (forwardDiff > 1e-4) {
                throw new IllegalStateException(row.id() + ": DL4J's forward pass differs from ours by " + forwardDiff);
            }
            int warm = Math.min(steps, cpuSteps);
            if (tfjs) {
                Map<String, Object> fixture = fixture(dir, row, steps, proto, initial, data, checkX, oursOut);
                fixture.put("cpuSteps", warm);
                manifestRows.put(row.id(), fixture);
            }

            // Warm-up: a short fit of each on a throwaway copy (JIT, native op set-up), then rounds that take turns.
            // The warm-up's losses are what a TF.js row on the slow cpu backend, which times only these first
            // steps, is compared with.
            INDArray wx = data.x().get(NDArrayIndex.interval(0, (long) warm * row.batch()));
            INDArray wy = data.y().get(NDArrayIndex.interval(0, (long) warm * row.batch()));
            warmUps.put(row.id(), new Epoch[] {oursEpoch(row, initial, new Data(wx, wy, data.xe(), data.ye())),
                    dl4jEpoch(row, initial, new Data(wx, wy, data.xe(), data.ye()))});
            List<Epoch> ours = new ArrayList<>();
            List<Epoch> dl4j = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                if (round % 2 == 0) {
                    ours.add(oursEpoch(row, initial, data));
                    dl4j.add(dl4jEpoch(row, initial, data));
                } else {
                    dl4j.add(dl4jEpoch(row, initial, data));
                    ours.add(oursEpoch(row, initial, data));
                }
                System.out.printf("%s round %d: ours %.3f ms/step (loss %.4f, held-out %.4f), DL4J %.3f ms/step"
                                + " (loss %.4f, held-out %.4f); load %s%n", row.id(), round + 1,
                        ours.get(round).msPerStep(), ours.get(round).trainLoss(), ours.get(round).evalLoss(),
                        dl4j.get(round).msPerStep(), dl4j.get(round).trainLoss(), dl4j.get(round).evalLoss(),
                        Machine.load());
            }
            oursRuns.put(row.id(), ours);
            dl4jRuns.put(row.id(), dl4j);
        }

        Map<String, JsonNode> peer = new LinkedHashMap<>();
        JsonNode peerEnv = null;
        if (tfjs) {
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("rounds", rounds);
            manifest.put("rows", new ArrayList<>(manifestRows.values()));
            Path manifestFile = dir.resolve("manifest.json");
            JSON.writeValue(manifestFile.toFile(), manifest);
            Path results = dir.resolve("tfjs.json");
            Files.deleteIfExists(results);
            Process node = new ProcessBuilder("node", "tools/bench/tfjs/train.mjs", manifestFile.toString(),
                    results.toString()).inheritIO().start();
            if (node.waitFor() == 0 && Files.exists(results)) {
                JsonNode root = JSON.readTree(results.toFile());
                peerEnv = root.path("env");
                root.path("rows").forEach(p -> peer.put(p.path("id").asText(), p));
            } else {
                System.out.println("the TF.js peer failed; its column stays empty");
            }
        }
        String endLoad = Machine.load();
        String report = report(machine, started, startLoad, endLoad, rounds, stepsUsed, checks, oursRuns, dl4jRuns,
                warmUps, peer, peerEnv);
        Files.writeString(dir.resolve("results.md"), report);
        System.out.println();
        System.out.println(report);
    }

    // ---- the data ----

    static Data data(Row row, FashionMnist fashion, int n) {
        if (row.id().equals("T3")) {
            Nd4j.getRandom().setSeed(3);
            INDArray all = Nd4j.rand(DataType.FLOAT, row.samples() + 512, 50, 16);
            // y: the sum of feature 0 over the last 5 steps, centred (something an LSTM can learn in an epoch)
            INDArray y = all.get(NDArrayIndex.all(), NDArrayIndex.interval(45, 50), NDArrayIndex.point(0))
                    .sum(1).subi(2.5).reshape(-1, 1).castTo(DataType.FLOAT);
            return new Data(all.get(NDArrayIndex.interval(0, n)).dup('c'), y.get(NDArrayIndex.interval(0, n)).dup('c'),
                    all.get(NDArrayIndex.interval(row.samples(), row.samples() + 512)).dup('c'),
                    y.get(NDArrayIndex.interval(row.samples(), row.samples() + 512)).dup('c'));
        }
        // Keras's tutorial: pixels / 255 as float32, one-hot labels (categorical crossentropy from logits).
        long[] shape = new long[row.sample().length + 1];
        System.arraycopy(row.sample(), 0, shape, 1, row.sample().length);
        shape[0] = n;
        INDArray x = pixels(fashion.xTrain().get(NDArrayIndex.interval(0, n)), shape);
        INDArray y = oneHot(fashion.yTrain().get(NDArrayIndex.interval(0, n)));
        shape[0] = fashion.xTest().size(0);
        return new Data(x, y, pixels(fashion.xTest(), shape), oneHot(fashion.yTest()));
    }

    private static INDArray pixels(INDArray uint8, long[] shape) {
        return uint8.castTo(DataType.FLOAT).divi(255).reshape('c', shape).dup('c');
    }

    private static INDArray oneHot(INDArray labels) {
        int n = (int) labels.length();
        float[] values = new float[n * 10];
        int[] classes = labels.castTo(DataType.INT).toIntVector();
        for (int i = 0; i < n; i++) {
            values[i * 10 + classes[i]] = 1;
        }
        return Nd4j.create(values, new long[] {n, 10}, DataType.FLOAT);
    }

    // ---- one epoch of each Java implementation ----

    /** ShapeLab: a model with the initial weights, then {@code fit} for one epoch (Keras's defaults: shuffled). */
    static Epoch oursEpoch(Row row, List<INDArray> initial, Data data) {
        Sequential model = ours(row.id());
        model.setWeights(initial);
        long start = System.nanoTime();
        History history = model.fit(data.x(), data.y(), FitOptions.epochs(1).batchSize(row.batch()).verbose(0));
        double ms = (System.nanoTime() - start) / 1e6;
        long steps = history.stepsPerEpoch();
        double evalLoss = model.evaluate(data.xe(), data.ye()).get("loss");
        return new Epoch(ms / steps, steps, history.history().get("loss").get(0), evalLoss);
    }

    /**
     * DL4J: a network with the initial weights, then {@code fit(iterator)} for one epoch over the batches in order.
     * The batches are views cut before the clock starts, and not shuffled: both favour DL4J slightly.
     */
    static Epoch dl4jEpoch(Row row, List<INDArray> initial, Data data) {
        MultiLayerNetwork net = dl4j(row.id(), initial);
        List<DataSet> batches = new ArrayList<>();
        long n = data.x().size(0);
        for (long from = 0; from < n; from += row.batch()) {
            long to = Math.min(n, from + row.batch());
            batches.add(new DataSet(dl4jInput(row.id(), data.x().get(NDArrayIndex.interval(from, to))),
                    data.y().get(NDArrayIndex.interval(from, to))));
        }
        double[] lossSum = {0};
        int[] index = {0};
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                lossSum[0] += model.score() * batches.get(index[0]++).numExamples();
            }
        });
        long start = System.nanoTime();
        net.fit(new ExistingDataSetIterator(batches));
        double ms = (System.nanoTime() - start) / 1e6;
        net.setListeners();
        long steps = net.getIterationCount();
        return new Epoch(ms / steps, steps, lossSum[0] / n, dl4jLoss(row, net, data.xe(), data.ye()));
    }

    /** DL4J's loss over held-out data, in batches of 32 as Keras's evaluate (all at once needs GBs for T2). */
    static double dl4jLoss(Row row, MultiLayerNetwork net, INDArray x, INDArray y) {
        long n = x.size(0);
        double sum = 0;
        for (long from = 0; from < n; from += 32) {
            long to = Math.min(n, from + 32);
            sum += net.score(new DataSet(dl4jInput(row.id(), x.get(NDArrayIndex.interval(from, to))),
                    y.get(NDArrayIndex.interval(from, to))), false) * (to - from);
        }
        return sum / n;
    }

    // ---- the TF.js peer's fixture ----

    private static Map<String, Object> fixture(Path dir, Row row, int steps, Sequential model, List<INDArray> initial,
            Data data, INDArray checkX, INDArray checkOut) throws IOException {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", row.id());
        entry.put("title", row.title());
        entry.put("batch", row.batch());
        entry.put("steps", steps);
        entry.put("loss", row.outputs() > 1 ? "categorical_crossentropy_from_logits" : "mean_squared_error");
        entry.put("model", JSON.readTree(model.toKerasJson()));
        List<Object> weights = new ArrayList<>();
        for (int i = 0; i < initial.size(); i++) {
            weights.add(write(dir, row.id() + "-w" + i, initial.get(i)));
        }
        entry.put("weights", weights);
        entry.put("x", write(dir, row.id() + "-x", data.x()));
        entry.put("y", write(dir, row.id() + "-y", data.y()));
        entry.put("xe", write(dir, row.id() + "-xe", data.xe()));
        entry.put("ye", write(dir, row.id() + "-ye", data.ye()));
        entry.put("checkX", write(dir, row.id() + "-checkx", checkX));
        entry.put("checkOurs", write(dir, row.id() + "-checkours", checkOut));
        return entry;
    }

    /** Little-endian float32, straight from the array's native buffer. */
    private static Map<String, Object> write(Path dir, String name, INDArray array) throws IOException {
        boolean ready = array.dataType() == DataType.FLOAT && !array.isView() && array.ordering() == 'c'
                && array.offset() == 0;
        INDArray dense = ready ? array : array.castTo(DataType.FLOAT).dup('c');
        ByteBuffer bytes = dense.data().asNio().order(ByteOrder.LITTLE_ENDIAN);
        bytes.limit((int) (dense.length() * Float.BYTES));
        String file = name + ".f32";
        try (FileChannel channel = FileChannel.open(dir.resolve(file), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("file", file);
        ref.put("shape", dense.shape());
        return ref;
    }

    // ---- the report ----

    private static String report(Map<String, String> machine, String started, String startLoad, String endLoad,
            int rounds, Map<String, Integer> stepsUsed, Map<String, double[]> checks, Map<String, List<Epoch>> ours,
            Map<String, List<Epoch>> dl4j, Map<String, Epoch[]> warmUps, Map<String, JsonNode> peer,
            JsonNode peerEnv) {
        StringBuilder md = new StringBuilder();
        md.append("Training benchmark, started ").append(started).append(", load average ").append(startLoad)
                .append(" → ").append(endLoad).append(", ").append(rounds).append(" rounds per implementation\n\n");
        machine.forEach((k, v) -> md.append("* ").append(k).append(": ").append(v).append('\n'));
        if (peerEnv != null) {
            md.append("* TF.js: ").append(peerEnv.path("tfjs").asText()).append(", Node ").append(peerEnv.path("node")
                    .asText()).append(", wasm SIMD ").append(peerEnv.path("simd").asText()).append(", wasm threads ")
                    .append(peerEnv.path("threads").asText()).append('\n');
        }
        md.append("\nms per step: one epoch's wall time over its steps, median of the rounds [min–max]; ratio = peer /"
                + " ours, > 1 means ours is faster.\n\n");
        md.append("| row | steps timed | ours | DL4J 1.0.0-M2.1 | TF.js 4.22 (backend) | DL4J/ours | TF.js/ours |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Row row : ROWS) {
            if (!ours.containsKey(row.id())) {
                continue;
            }
            double o = median(ours.get(row.id()));
            double d = median(dl4j.get(row.id()));
            JsonNode p = peer.get(row.id());
            double t = p == null || !p.path("msPerStep").isNumber() ? Double.NaN : p.path("msPerStep").asDouble();
            String tfSteps = p != null && p.path("subset").asBoolean() ? " (TF.js: the first " + p.path("steps")
                    .asText() + ", 1 round)" : "";
            md.append(String.format("| %s %s | %d of %d%s | %s | %s | %s (%s) | %.2f | %.2f |%n", row.id(), row.title(),
                    stepsUsed.get(row.id()), row.fullSteps(), tfSteps, spread(ours.get(row.id())),
                    spread(dl4j.get(row.id())), p == null || Double.isNaN(t) ? "–" : String.format("%.2f [%.2f–%.2f]", t,
                            p.path("min").asDouble(), p.path("max").asDouble()), p == null ? "–" : p.path("backend")
                            .asText(), d / o, t / o));
        }
        md.append("\nSame computation? Before training, the forward pass on 64 held-out samples (max |diff| against"
                + " ours; DL4J's after its softmax). After one epoch from the same initial weights (first round): the"
                + " steps each took, the epoch's mean training loss, and the loss on held-out data (T1, T2: the 10,000"
                + " test images; T3: 512 more sequences). Check: every held-out loss within ")
                .append((int) (LOSS_TOLERANCE * 100)).append(" % of ours, below the initial one, and the same steps."
                + " A TF.js row timed on its first steps only is compared with the warm-up fits over the same steps.\n\n");
        md.append("| row | initial held-out loss | steps ours / DL4J / TF.js | train loss ours / DL4J / TF.js |"
                + " held-out loss ours / DL4J / TF.js | forward diff DL4J / TF.js | check |\n|---|---|---|---|---|---|---|\n");
        for (Row row : ROWS) {
            if (!ours.containsKey(row.id())) {
                continue;
            }
            JsonNode p = peer.get(row.id());
            boolean subset = p != null && p.path("subset").asBoolean();
            lossRow(md, row.id(), checks.get(row.id()), ours.get(row.id()).get(0), dl4j.get(row.id()).get(0),
                    subset ? null : p);
            if (subset) {
                Epoch[] warm = warmUps.get(row.id());
                lossRow(md, row.id() + ", first " + warm[0].steps() + " steps", checks.get(row.id()), warm[0], warm[1],
                        p);
            }
        }
        if (!peer.isEmpty()) {
            md.append("\nTF.js backends: ");
            peer.forEach((id, p) -> md.append(id).append(' ').append(p.path("backend").asText())
                    .append(p.path("wasmMissing").isMissingNode() || p.path("wasmMissing").isEmpty() ? ""
                            : " (wasm lacks " + p.path("wasmMissing").toString() + ")").append("; "));
            md.append('\n');
        }
        md.append("\nAll rounds, ms per step (ours | DL4J):\n");
        ours.forEach((id, list) -> md.append("* ").append(id).append(": ").append(list.stream()
                .map(e -> String.format("%.3f", e.msPerStep())).toList()).append(" | ").append(dl4j.get(id).stream()
                .map(e -> String.format("%.3f", e.msPerStep())).toList()).append('\n'));
        return md.toString();
    }

    private static void lossRow(StringBuilder md, String label, double[] check, Epoch o, Epoch d, JsonNode p) {
        double pe = p == null ? Double.NaN : p.path("evalLoss").asDouble(Double.NaN);
        boolean ok = within(d.evalLoss(), o.evalLoss()) && (p == null || within(pe, o.evalLoss()))
                && o.evalLoss() < check[0] && d.evalLoss() < check[0] && (p == null || pe < check[0])
                && d.steps() == o.steps() && (p == null || p.path("steps").asLong() == o.steps());
        md.append(String.format("| %s | %.4f | %d / %d / %s | %.4f / %.4f / %s | %.4f / %.4f / %s | %.1e / %s | %s |%n",
                label, check[0], o.steps(), d.steps(), p == null ? "–" : p.path("steps").asText(), o.trainLoss(),
                d.trainLoss(), p == null ? "–" : String.format("%.4f", p.path("trainLoss").asDouble()), o.evalLoss(),
                d.evalLoss(), p == null ? "–" : String.format("%.4f", pe), check[1], p == null ? "–"
                        : String.format("%.1e", p.path("forwardDiff").asDouble()), ok ? "ok" : "**DIFFERS**"));
    }

    private static boolean within(double peerLoss, double oursLoss) {
        return Double.isFinite(peerLoss) && Math.abs(peerLoss / oursLoss - 1) <= LOSS_TOLERANCE;
    }

    private static double median(List<Epoch> epochs) {
        double[] ms = epochs.stream().mapToDouble(Epoch::msPerStep).sorted().toArray();
        return ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
    }

    private static String spread(List<Epoch> epochs) {
        double[] ms = epochs.stream().mapToDouble(Epoch::msPerStep).sorted().toArray();
        return String.format("%.2f [%.2f–%.2f]", median(epochs), ms[0], ms[ms.length - 1]);
    }

    /** Reorders the 4 gate blocks of the last axis from Keras's (i, f, c, o) to DL4J's (c, f, o, i). */
    static INDArray lstmGates(INDArray keras) {
        long units = keras.size(1) / 4;
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, keras.shape());
        int[] fromKeras = {2, 1, 3, 0};
        for (int block = 0; block < 4; block++) {
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(block * units, (block + 1) * units))
                    .assign(keras.get(NDArrayIndex.all(), NDArrayIndex.interval(fromKeras[block] * units,
                            (fromKeras[block] + 1) * units)));
        }
        return out;
    }

    private static void setParam(MultiLayerNetwork net, String key, INDArray value) {
        INDArray param = net.getParam(key);
        if (param == null) {
            throw new IllegalStateException("DL4J network has no parameter " + key + "; it has " + net.paramTable()
                    .keySet());
        }
        if (param.length() != value.length()) {
            throw new IllegalStateException("DL4J parameter " + key + " has " + param.length() + " values, Keras weight "
                    + value.length() + " " + Arrays.toString(value.shape()));
        }
        param.assign(value.dup('c').reshape(param.shape()));
    }
}
