package org.shapelab.training;

import java.util.ArrayList;
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
import org.shapelab.model.Sequential;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * A model after Keras's {@code compile}: its optimizer (and the optimizer's state), loss and metrics, and the
 * training loops on top of them. {@link Sequential#compile} makes it; the model's {@code trainOnBatch}, {@code fit}
 * and {@code evaluate} call it.
 */
public final class Compiled {

    private final Sequential model;
    private final Optimizer optimizer;
    private final Loss loss;
    private final List<Metric> metrics = new ArrayList<>();
    private TrainingPass pass;
    private int passLayers = -1;
    private long passWeights = -1;

    private Compiled(Sequential model, Optimizer optimizer, Loss loss, String... metricNames) {
        this.model = model;
        this.optimizer = optimizer;
        this.loss = loss;
        for (String name : metricNames) {
            metrics.add(Metric.of(name, loss));
        }
    }

    /** Keras's {@code model.compile(optimizer, loss, metrics)}: checks that every layer can train. */
    public static Compiled of(Sequential model, Optimizer optimizer, Loss loss, String... metrics) {
        if (optimizer == null || loss == null) {
            throw new ShapeException("compile needs an optimizer and a loss, e.g. compile(\"adam\","
                    + " \"sparse_categorical_crossentropy\", \"accuracy\"); got " + optimizer + " and " + loss + ".");
        }
        Compiled compiled = new Compiled(model, optimizer, loss, metrics == null ? new String[0] : metrics);
        compiled.pass();
        return compiled;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Loss loss() {
        return loss;
    }

    /** The metric names as given (the keys in logs and history besides {@code loss}). */
    public List<String> metricNames() {
        return metrics.stream().map(m -> m.key).toList();
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
        INDArray labels = LabelCheck.prepare(loss, y, model.outputShape(), samples(x, "train_on_batch"),
                "train_on_batch");
        return step(x, labels, null, "train_on_batch");
    }

    /** Forward with training behaviour, loss, backward, update; metrics of the batch into {@code totals}. */
    private double step(INDArray x, INDArray y, double[][] totals, String verb) {
        TrainingPass training = pass();
        long seed = ModelRuntime.of(model).seedValue() * 1_000_003L + optimizer.iterations;
        double batchLoss = training.inWorkspace(x.size(0), () -> {
            INDArray prediction = training.forward(x, seed, verb);
            Loss.Value value = loss.compute(y, prediction);
            if (totals != null) {
                for (int i = 0; i < metrics.size(); i++) {
                    double[] sc = metrics.get(i).sumAndCount(y, prediction);
                    totals[i][0] += sc[0];
                    totals[i][1] += sc[1];
                }
            }
            List<INDArray> gradients = training.backward(value.gradient());
            optimizer.apply(training.weights(), gradients);
            return value.loss();
        });
        training.weightsChanged();
        return batchLoss;
    }

    // ---- fit ----

    /** Keras's {@code fit(x, y, epochs=..., batch_size=...)}. */
    public History fit(INDArray x, INDArray y, FitOptions options) {
        long n = samples(x, "fit");
        INDArray labels = LabelCheck.prepare(loss, y, model.outputShape(), n, "fit");
        INDArray trainX = x;
        INDArray trainY = labels;
        INDArray valX = options.validationX;
        INDArray valY = options.validationY;
        if (valX != null) {
            valY = LabelCheck.prepare(loss, valY, model.outputShape(), samples(valX, "fit (validation_data)"),
                    "fit (validation_data)");
        } else if (options.validationSplit > 0) {
            long held = (long) Math.floor(n * options.validationSplit);
            if (held == 0 || held == n) {
                throw new ShapeException("fit: validation_split=" + options.validationSplit + " of " + n + " samples"
                        + " leaves " + (held == 0 ? "no validation samples" : "no training samples") + ". Fix: use more"
                        + " samples or another fraction.");
            }
            // Keras holds out the last samples, before any shuffling.
            trainX = range(x, 0, n - held);
            trainY = range(labels, 0, n - held);
            valX = range(x, n - held, n);
            valY = range(labels, n - held, n);
        }
        // Batches are copied out of contiguous float32 arrays (see gather); convert once, not per batch.
        trainX = contiguousFloats(trainX);
        trainY = contiguousFloats(trainY);
        long trainSamples = trainX.size(0);
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
        for (int epoch = 0; epoch < options.epochs; epoch++) {
            for (Callback callback : options.callbacks) {
                callback.onEpochBegin(epoch);
            }
            Progress progress = Progress.create();
            progress.epochStart(epoch, options.epochs, steps, options.verbose);
            long start = System.nanoTime();
            int[] indices = order(trainSamples, options.shuffle, order);
            double lossSum = 0;
            double[][] totals = new double[metrics.size()][2];
            Map<String, Double> logs = new LinkedHashMap<>();
            INDArray bx = null;
            INDArray by = null;
            for (int s = 0; s < steps; s++) {
                int from = s * options.batchSize;
                int to = (int) Math.min(trainSamples, from + (long) options.batchSize);
                bx = gather(trainX, indices, from, to, batchArray(trainX, to - from, bx));
                by = gather(trainY, indices, from, to, batchArray(trainY, to - from, by));
                lossSum += step(bx, by, totals, "fit") * (to - from);
                logs = logs(lossSum / (s * (long) options.batchSize + (to - from)), totals);
                for (Callback callback : options.callbacks) {
                    callback.onBatchEnd(s, logs);
                }
                progress.step(s + 1, steps, logs, (System.nanoTime() - start) / 1e9);
            }
            if (valX != null) {
                Map<String, Double> validation = evaluate(valX, valY, options.batchSize, false);
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
        INDArray labels = LabelCheck.prepare(loss, y, model.outputShape(), samples(x, "evaluate"), "evaluate");
        return evaluate(x, labels, 32, true);
    }

    private Map<String, Double> evaluate(INDArray x, INDArray labels, int batchSize, boolean checked) {
        long n = x.size(0);
        double lossSum = 0;
        double[][] totals = new double[metrics.size()][2];
        for (long from = 0; from < n; from += batchSize) {
            long to = Math.min(n, from + batchSize);
            INDArray bx = rows(x, from, to);
            INDArray by = rows(labels, from, to);
            INDArray prediction = model.predict(bx);
            lossSum += loss.value(by, prediction) * (to - from);
            for (int i = 0; i < metrics.size(); i++) {
                double[] sc = metrics.get(i).sumAndCount(by, prediction);
                totals[i][0] += sc[0];
                totals[i][1] += sc[1];
            }
        }
        return logs(lossSum / n, totals);
    }

    private Map<String, Double> logs(double meanLoss, double[][] totals) {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", meanLoss);
        for (int i = 0; i < metrics.size(); i++) {
            logs.put(metrics.get(i).key, totals[i][1] == 0 ? Double.NaN : totals[i][0] / totals[i][1]);
        }
        return logs;
    }

    // ---- arrays ----

    private long samples(INDArray x, String verb) {
        if (x == null || x.rank() == 0) {
            throw new ShapeException(verb + " needs an array of samples x, batch axis first, e.g. (300, 10) for 300"
                    + " samples of the model's input " + model.inputShape() + "; got " + (x == null ? "null"
                    : "a scalar") + ".");
        }
        return x.size(0);
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

    /** Samples {@code from..to} as a view (no copy). */
    private static INDArray range(INDArray array, long from, long to) {
        return array.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to));
    }

    private static INDArray rows(INDArray array, long from, long to) {
        return array.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)).dup('c');
    }

    @Override
    public String toString() {
        return "compiled with " + optimizer + ", loss " + loss + (metrics.isEmpty() ? "" : ", metrics "
                + metricNames()) + " (" + Shape.summary(model.outputShape().dims()) + " outputs)";
    }
}
