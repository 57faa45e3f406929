package org.shapelab.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.compute.ModelRuntime;
import org.shapelab.compute.TrainingPass;
import org.shapelab.layers.Input;
import org.shapelab.model.Functional;
import org.shapelab.model.Model;
import org.shapelab.model.Sequential;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * A model after Keras's {@code compile}: its optimizer (and the optimizer's state), a loss per output and the
 * metrics, and the training loops on top of them. {@link Sequential#compile} and {@link Functional#compile} make it;
 * the model's {@code trainOnBatch}, {@code fit} and {@code evaluate} call it. Every loop works on one array per model
 * input and one label array per output (a Sequential has one of each). With several outputs the loss minimized is
 * the sum of the outputs' losses, and the logs also show each output's loss and metrics under its layer's name
 * ({@code dense_1_loss}, {@code dense_1_accuracy}), as tf.keras 2 names them.
 */
public final class Compiled {

    private final Model model;
    private final Optimizer optimizer;
    /** One loss per model output (one loss given for several outputs applies to each, as in Keras). */
    private final List<Loss> losses;
    /** Per output, its metrics (the same names for each output). */
    private final List<List<Metric>> metrics = new ArrayList<>();
    private final List<String> metricNames;
    /** Per output, the prefix of its log keys: "" for a single output, else its layer's name and "_". */
    private final List<String> prefixes = new ArrayList<>();
    private TrainingPass pass;
    private int passLayers = -1;
    private long passWeights = -1;

    private Compiled(Model model, Optimizer optimizer, List<Loss> losses, String... metricNames) {
        this.model = model;
        this.optimizer = optimizer;
        this.losses = List.copyOf(losses);
        this.metricNames = List.of(metricNames);
        List<String> outputNames = outputNames(model);
        for (Loss loss : losses) {
            List<Metric> own = new ArrayList<>();
            for (String name : metricNames) {
                own.add(Metric.of(name, loss));
            }
            metrics.add(own);
        }
        for (int o = 0; o < losses.size(); o++) {
            prefixes.add(losses.size() == 1 ? "" : outputNames.get(o) + "_");
        }
    }

    /** Keras's {@code model.compile(optimizer, loss, metrics)}: checks that every layer can train. */
    public static Compiled of(Sequential model, Optimizer optimizer, Loss loss, String... metrics) {
        return of(model, optimizer, loss == null ? null : List.of(loss), metrics);
    }

    /**
     * compile for any model: one loss per output, in the order of the model's outputs, or one loss for all of them;
     * every metric is computed for each output.
     */
    public static Compiled of(Model model, Optimizer optimizer, List<Loss> losses, String... metrics) {
        if (optimizer == null || losses == null || losses.isEmpty() || losses.stream().anyMatch(l -> l == null)) {
            throw new ShapeException("compile needs an optimizer and a loss, e.g. compile(\"adam\","
                    + " \"sparse_categorical_crossentropy\", \"accuracy\"); got " + optimizer + " and "
                    + (losses != null && losses.size() == 1 ? losses.get(0) : losses) + ".");
        }
        int outputs = model.outputShapes().size();
        List<Loss> perOutput = losses.size() == 1 ? Collections.nCopies(outputs, losses.get(0)) : losses;
        if (perOutput.size() != outputs) {
            throw new ShapeException("compile: model \"" + model.name() + "\" has " + outputs + " outputs "
                    + model.outputShapes() + ", but " + losses.size() + " losses were given. Fix: give one loss per"
                    + " output, in the order of the model's outputs, or one loss for all of them.");
        }
        Compiled compiled = new Compiled(model, optimizer, perOutput, metrics == null ? new String[0] : metrics);
        compiled.pass();
        return compiled;
    }

    /** How logs name each output: its layer's name, e.g. {@code dense_1}. */
    private static List<String> outputNames(Model model) {
        if (model instanceof Functional functional) {
            return functional.outputs().stream().map(t -> t instanceof Input input ? functional.inputName(input)
                    : t.node().layer().name()).toList();
        }
        return List.of("output");
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The loss of the first output (the only one, for most models). */
    public Loss loss() {
        return losses.get(0);
    }

    /** One loss per output. */
    public List<Loss> losses() {
        return losses;
    }

    /** The metric names as given (the keys in logs and history besides {@code loss}, per output if several). */
    public List<String> metricNames() {
        return metricNames;
    }

    /**
     * The model's layers in training, made again if layers were added since or the weight arrays were replaced
     * (setWeights, loadWeights or seed after compile: the pass would otherwise train the old arrays while predict,
     * evaluate and getWeights read the new ones). The optimizer's state stays, as Keras's does across set_weights.
     */
    private TrainingPass pass() {
        ModelRuntime runtime = ModelRuntime.of(model);
        long weights = runtime.weightArraysVersion();
        if (pass == null || passLayers != model.layers().size() || passWeights != weights) {
            pass = runtime.trainingPass();
            passLayers = model.layers().size();
            passWeights = weights;
        }
        return pass;
    }

    // ---- one step ----

    /** Keras's {@code train_on_batch}: the batch's loss before the update, then one optimizer step. */
    public double trainOnBatch(INDArray x, INDArray y) {
        return trainOnBatch(List.of(x), Collections.singletonList(y));
    }

    /** {@link #trainOnBatch(INDArray, INDArray)} with one array per model input and one label array per output. */
    public double trainOnBatch(List<INDArray> xs, List<INDArray> ys) {
        long n = samples(xs, "train_on_batch");
        return step(xs, labels(ys, n, "train_on_batch"), null, "train_on_batch")[0];
    }

    /**
     * Forward with training behaviour, the losses, backward, update. Returns the total loss, then each output's;
     * adds the batch's metric sums to {@code totals} (per output, per metric: sum and count).
     */
    private double[] step(List<INDArray> xs, List<INDArray> ys, double[][][] totals, String verb) {
        TrainingPass training = pass();
        long seed = ModelRuntime.of(model).seedValue() * 1_000_003L + optimizer.iterations;
        double[] batchLosses = training.inWorkspace(xs.get(0).size(0), () -> {
            List<INDArray> predictions = model instanceof Sequential ? List.of(training.forward(xs.get(0), seed, verb))
                    : training.forwardAll(xs, seed, verb);
            double[] values = new double[1 + losses.size()];
            List<INDArray> outputGradients = new ArrayList<>();
            List<INDArray> masks = training.outputMasks();
            for (int o = 0; o < losses.size(); o++) {
                INDArray mask = o < masks.size() ? masks.get(o) : null;
                Loss.Value value = losses.get(o).compute(ys.get(o), predictions.get(o)).masked(mask);
                values[0] += value.loss();
                values[1 + o] = value.loss();
                outputGradients.add(value.gradient());
                if (totals != null) {
                    addMetrics(totals, o, ys.get(o), predictions.get(o), mask);
                }
            }
            List<INDArray> gradients = training.backwardAll(outputGradients);
            optimizer.apply(training.weights(), gradients);
            return values;
        });
        training.weightsChanged();
        return batchLosses;
    }

    private void addMetrics(double[][][] totals, int output, INDArray y, INDArray prediction, INDArray mask) {
        List<Metric> own = metrics.get(output);
        for (int i = 0; i < own.size(); i++) {
            double[] sc = own.get(i).sumAndCount(y, prediction, mask);
            totals[output][i][0] += sc[0];
            totals[output][i][1] += sc[1];
        }
    }

    private double[][][] newTotals() {
        return new double[losses.size()][metricNames.size()][2];
    }

    // ---- fit ----

    /** Keras's {@code fit(x, y, epochs=..., batch_size=...)}. */
    public History fit(INDArray x, INDArray y, FitOptions options) {
        return fit(List.of(x), Collections.singletonList(y), options);
    }

    /** {@code fit} with one array per model input and one label array per output. */
    public History fit(List<INDArray> xs, List<INDArray> ys, FitOptions options) {
        long n = samples(xs, "fit");
        List<INDArray> labels = labels(ys, n, "fit");
        List<INDArray> trainX = xs;
        List<INDArray> trainY = labels;
        List<INDArray> valX = options.validationX == null ? null : List.of(options.validationX);
        List<INDArray> valY = null;
        if (valX != null) {
            if (xs.size() != 1 || losses.size() != 1) {
                throw new ShapeException("fit: validationData(x, y) takes one array of each, but model \""
                        + model.name() + "\" has " + xs.size() + " inputs and " + losses.size() + " outputs. Fix: use"
                        + " validationSplit(0.2), which holds out the last samples of every array.");
            }
            valY = labels(Collections.singletonList(options.validationY), samples(valX, "fit (validation_data)"),
                    "fit (validation_data)");
        } else if (options.validationSplit > 0) {
            long held = (long) Math.floor(n * options.validationSplit);
            if (held == 0 || held == n) {
                throw new ShapeException("fit: validation_split=" + options.validationSplit + " of " + n + " samples"
                        + " leaves " + (held == 0 ? "no validation samples" : "no training samples") + ". Fix: use more"
                        + " samples or another fraction.");
            }
            // Keras holds out the last samples, before any shuffling.
            trainX = ranges(xs, 0, n - held);
            trainY = ranges(labels, 0, n - held);
            valX = ranges(xs, n - held, n);
            valY = ranges(labels, n - held, n);
        }
        // Batches are copied out of contiguous float32 arrays (see gather); convert once, not per batch.
        trainX = trainX.stream().map(Compiled::contiguousFloats).toList();
        trainY = trainY.stream().map(Compiled::contiguousFloats).toList();
        long trainSamples = trainX.get(0).size(0);
        int steps = (int) ((trainSamples + options.batchSize - 1) / options.batchSize);
        History history = new History(steps, trainSamples);
        for (Callback callback : options.callbacks) {
            if (callback instanceof EarlyStopping early) {
                early.attach(new EarlyStopping.WeightAccess() {
                    @Override
                    public List<INDArray> copy() {
                        return model.getWeights();
                    }

                    @Override
                    public void restore(List<INDArray> weights) {
                        model.setWeights(weights);
                    }
                });
            }
            callback.onTrainBegin();
        }
        Random order = new Random(ModelRuntime.of(model).seedValue() ^ 0x5DEECE66DL);
        INDArray[] bx = new INDArray[trainX.size()];
        INDArray[] by = new INDArray[trainY.size()];
        for (int epoch = 0; epoch < options.epochs; epoch++) {
            for (Callback callback : options.callbacks) {
                callback.onEpochBegin(epoch);
            }
            Progress progress = Progress.create();
            progress.epochStart(epoch, options.epochs, steps, options.verbose);
            long start = System.nanoTime();
            int[] indices = order(trainSamples, options.shuffle, order);
            double[] lossSums = new double[1 + losses.size()];
            double[][][] totals = newTotals();
            Map<String, Double> logs = new LinkedHashMap<>();
            for (int s = 0; s < steps; s++) {
                int from = s * options.batchSize;
                int to = (int) Math.min(trainSamples, from + (long) options.batchSize);
                for (int i = 0; i < bx.length; i++) {
                    bx[i] = gather(trainX.get(i), indices, from, to, batchArray(trainX.get(i), to - from, bx[i]));
                }
                for (int i = 0; i < by.length; i++) {
                    by[i] = gather(trainY.get(i), indices, from, to, batchArray(trainY.get(i), to - from, by[i]));
                }
                double[] batchLosses = step(List.of(bx), List.of(by), totals, "fit");
                for (int i = 0; i < lossSums.length; i++) {
                    lossSums[i] += batchLosses[i] * (to - from);
                }
                logs = logs(lossSums, s * (long) options.batchSize + (to - from), totals);
                for (Callback callback : options.callbacks) {
                    callback.onBatchEnd(s, logs);
                }
                progress.step(s + 1, steps, logs, (System.nanoTime() - start) / 1e9);
            }
            if (valX != null) {
                Map<String, Double> validation = evaluate(valX, valY, options.batchSize);
                Map<String, Double> all = new LinkedHashMap<>(logs);
                validation.forEach((key, value) -> all.put("val_" + key, value));
                logs = all;
            }
            progress.epochEnd(steps, logs, (System.nanoTime() - start) / 1e9);
            history.add(epoch, logs);
            boolean stop = false;
            for (Callback callback : options.callbacks) {
                callback.onEpochEnd(epoch, logs);
                stop |= callback.stopTraining();
            }
            if (stop) {
                break;
            }
        }
        for (Callback callback : options.callbacks) {
            callback.onTrainEnd();
        }
        return history;
    }

    // ---- evaluate ----

    /** Keras's {@code evaluate}: the loss and every metric over all samples, in batches of 32. */
    public Map<String, Double> evaluate(INDArray x, INDArray y) {
        return evaluate(List.of(x), Collections.singletonList(y));
    }

    /** {@code evaluate} with one array per model input and one label array per output. */
    public Map<String, Double> evaluate(List<INDArray> xs, List<INDArray> ys) {
        return evaluate(xs, labels(ys, samples(xs, "evaluate"), "evaluate"), 32);
    }

    private Map<String, Double> evaluate(List<INDArray> xs, List<INDArray> labels, int batchSize) {
        long n = xs.get(0).size(0);
        double[] lossSums = new double[1 + losses.size()];
        double[][][] totals = newTotals();
        for (long from = 0; from < n; from += batchSize) {
            long to = Math.min(n, from + batchSize);
            List<INDArray> bx = new ArrayList<>();
            for (INDArray x : xs) {
                bx.add(rows(x, from, to));
            }
            ModelRuntime.Prediction prediction = ModelRuntime.of(model).predictWithMasks(bx.toArray(INDArray[]::new));
            List<INDArray> predictions = prediction.outputs();
            for (int o = 0; o < losses.size(); o++) {
                INDArray by = rows(labels.get(o), from, to);
                INDArray mask = prediction.masks().get(o);
                double value = losses.get(o).value(by, predictions.get(o), mask) * (to - from);
                lossSums[0] += value;
                lossSums[1 + o] += value;
                addMetrics(totals, o, by, predictions.get(o), mask);
            }
        }
        return logs(lossSums, n, totals);
    }

    /** Keras's log keys: {@code loss}, then per output its loss (with several outputs) and metrics. */
    private Map<String, Double> logs(double[] lossSums, long samples, double[][][] totals) {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", lossSums[0] / samples);
        for (int o = 0; o < losses.size(); o++) {
            if (losses.size() > 1) {
                logs.put(prefixes.get(o) + "loss", lossSums[1 + o] / samples);
            }
            for (int i = 0; i < metricNames.size(); i++) {
                double[] sc = totals[o][i];
                logs.put(prefixes.get(o) + metrics.get(o).get(i).key, sc[1] == 0 ? Double.NaN : sc[0] / sc[1]);
            }
        }
        return logs;
    }

    // ---- arrays ----

    /** The number of samples, the same in every input array. */
    private long samples(List<INDArray> xs, String verb) {
        int inputs = model.inputShapes().size();
        if (xs == null || xs.size() != inputs) {
            throw new ShapeException(verb + ": model \"" + model.name() + "\" has " + inputs + " input"
                    + (inputs == 1 ? " " : "s ") + model.inputShapes() + ", so it needs " + inputs + " array"
                    + (inputs == 1 ? "" : "s") + " x, one per input; got " + (xs == null ? "none" : xs.size())
                    + ". Fix: pass List.of(x1, x2, ...) in the order of the model's inputs.");
        }
        for (int i = 0; i < xs.size(); i++) {
            INDArray x = xs.get(i);
            if (x == null || x.rank() == 0) {
                throw new ShapeException(verb + " needs an array of samples x, batch axis first, e.g. (300, 10) for"
                        + " 300 samples of the model's input " + model.inputShapes().get(i) + "; got "
                        + (x == null ? "null" : "a scalar") + ".");
            }
            if (x.size(0) != xs.get(0).size(0)) {
                throw new ShapeException(verb + ": every input needs the same number of samples, but input 0 has "
                        + xs.get(0).size(0) + " (array shape " + Shape.array(xs.get(0).shape()) + ") and input " + i
                        + " has " + x.size(0) + " (array shape " + Shape.array(x.shape()) + "). Fix: row i of every"
                        + " array is sample i.");
            }
        }
        return xs.get(0).size(0);
    }

    /** Each output's labels checked against its loss and output shape (LabelCheck). */
    private List<INDArray> labels(List<INDArray> ys, long samples, String verb) {
        if (ys == null || ys.size() != losses.size()) {
            throw new ShapeException(verb + ": model \"" + model.name() + "\" has " + losses.size() + " output"
                    + (losses.size() == 1 ? " " : "s ") + model.outputShapes() + ", so it needs " + losses.size()
                    + " label array" + (losses.size() == 1 ? "" : "s") + " y, one per output; got "
                    + (ys == null ? "none" : ys.size()) + ". Fix: pass List.of(y1, y2, ...) in the order of the"
                    + " model's outputs.");
        }
        List<INDArray> checked = new ArrayList<>();
        for (int o = 0; o < ys.size(); o++) {
            String where = losses.size() == 1 ? verb : verb + " (output " + o + ", " + prefixes.get(o)
                    .replaceAll("_$", "") + ")";
            checked.add(LabelCheck.prepare(losses.get(o), ys.get(o), model.outputShapes().get(o), samples, where));
        }
        return checked;
    }

    private static int[] order(long n, boolean shuffle, Random random) {
        int[] indices = new int[(int) n];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = i;
        }
        if (shuffle) {
            for (int i = indices.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = indices[i];
                indices[i] = indices[j];
                indices[j] = t;
            }
        }
        return indices;
    }

    /**
     * Copies the samples at {@code indices[from..to)}, in that order, into {@code batch} (its first axis sized to
     * fit), row by row from the source's buffer: ND4J's pullRows prepares every row of the source on each call, which
     * made a batch of 32 from Fashion-MNIST's 60,000 images cost most of a training step. The source must be a
     * contiguous float32 block ({@link #contiguousFloats}), such as a range of samples of a larger array.
     */
    static INDArray gather(INDArray source, int[] indices, int from, int to, INDArray batch) {
        long perSample = source.length() / source.size(0);
        // Native addresses, not NIO buffers: asNio() of a view's buffer copies it (80 ms a step for a 6,400-sample
        // range of Fashion-MNIST). A view's buffer may start at the view already (its own offset): count from there.
        BytePointer in = new BytePointer(source.data().addressPointer());
        BytePointer out = new BytePointer(batch.data().addressPointer());
        long base = source.offset() - source.data().offset();
        long outBase = batch.offset() - batch.data().offset();
        long bytes = perSample * Float.BYTES;
        for (int i = from; i < to; i++) {
            Pointer.memcpy(out.position((outBase + (i - from) * perSample) * Float.BYTES),
                    in.position((base + indices[i] * perSample) * Float.BYTES), bytes);
        }
        return batch;
    }

    /** A reused batch array of {@code rows} samples shaped like {@code source}'s (made outside any workspace). */
    private static INDArray batchArray(INDArray source, long rows, INDArray previous) {
        if (previous != null && previous.size(0) == rows) {
            return previous;
        }
        long[] shape = source.shape().clone();
        shape[0] = rows;
        return TrainingPass.outsideWorkspaces(() -> Nd4j.createUninitialized(DataType.FLOAT, shape));
    }

    /** The array itself if it is one contiguous float32 block in row-major order (a range of samples is), else a copy. */
    static INDArray contiguousFloats(INDArray array) {
        boolean ready = array.dataType() == DataType.FLOAT && array.ordering() == 'c'
                && java.util.Arrays.equals(array.stride(), org.nd4j.common.util.ArrayUtil.calcStrides(array.shape()));
        return ready ? array : array.castTo(DataType.FLOAT).dup('c');
    }

    /** Samples {@code from..to} of each array as views (no copy). */
    private static List<INDArray> ranges(List<INDArray> arrays, long from, long to) {
        return arrays.stream().map(a -> a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to))).toList();
    }

    private static INDArray rows(INDArray array, long from, long to) {
        return array.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)).dup('c');
    }

    @Override
    public String toString() {
        return "compiled with " + optimizer + ", loss " + (losses.size() == 1 ? losses.get(0) : losses)
                + (metricNames.isEmpty() ? "" : ", metrics " + metricNames) + " (" + model.outputShapes() + " outputs)";
    }
}
