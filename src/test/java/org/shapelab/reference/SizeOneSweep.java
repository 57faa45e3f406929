package org.shapelab.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.compute.ModelRuntime;
import org.shapelab.layers.Activation;
import org.shapelab.layers.AveragePooling1D;
import org.shapelab.layers.AveragePooling2D;
import org.shapelab.layers.BatchNormalization;
import org.shapelab.layers.Conv1D;
import org.shapelab.layers.Conv2D;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Dropout;
import org.shapelab.layers.Embedding;
import org.shapelab.layers.Flatten;
import org.shapelab.layers.GRU;
import org.shapelab.layers.GlobalAveragePooling1D;
import org.shapelab.layers.GlobalAveragePooling2D;
import org.shapelab.layers.GlobalMaxPooling1D;
import org.shapelab.layers.GlobalMaxPooling2D;
import org.shapelab.layers.LSTM;
import org.shapelab.layers.Layer;
import org.shapelab.layers.MaxPooling1D;
import org.shapelab.layers.MaxPooling2D;
import org.shapelab.layers.Permute;
import org.shapelab.layers.Reshape;
import org.shapelab.layers.SimpleRNN;
import org.shapelab.layers.TimeDistributed;
import org.shapelab.model.Sequential;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * Every layer with every combination of size-1 axes and options (one unit, filter, channel, feature, time step,
 * row or column; kernel and pool 1 or as long as the input; strides, dilation, padding, data format), each model
 * predicting batches of every size from 1 to 33 (and an empty batch, which must be refused), in a child JVM of {@link CorpusRunner}. A case ends normally when
 * every predict returns an array of the promised shape or the model is refused with a {@link ShapeException} (an
 * explained mistake); anything else, and above all a native crash of the JVM, fails the case.
 *
 * <p>It checks that nothing reaches libnd4j that it mishandles, not the values (the fuzz corpus compares those with
 * Keras).
 */
public final class SizeOneSweep {

    static final int MAX_BATCH = 33;

    /** One model to sweep: a name and how to build it (a ShapeException from building is an explained refusal). */
    record Sweep(String id, String family, Supplier<Sequential> model) {
    }

    private SizeOneSweep() {
    }

    static List<Sweep> sweeps() {
        List<Sweep> all = new ArrayList<>();
        int[] sizes = {1, 2};
        int[] lengths = {1, 3};
        String[] activations = {"linear", "softmax"};
        for (int units : sizes) {
            for (int features : sizes) {
                for (int steps : new int[] {0, 1, 2}) {
                    for (String activation : activations) {
                        int[] input = steps == 0 ? new int[] {features} : new int[] {steps, features};
                        all.add(sweep("dense", "u" + units + "_in" + Shape.tupleText(input) + "_" + activation,
                                () -> Sequential.input(input).add(new Dense(units, activation))));
                    }
                }
            }
        }
        for (int filters : sizes) {
            for (int channels : sizes) {
                for (int length : lengths) {
                    for (int kernel : distinct(1, length)) {
                        for (String padding : new String[] {"valid", "same", "causal"}) {
                            for (int[] sd : new int[][] {{1, 1}, {2, 1}, {1, 2}}) {
                                for (String format : new String[] {"channels_last", "channels_first"}) {
                                    int[] input = format.equals("channels_last") ? new int[] {length, channels}
                                            : new int[] {channels, length};
                                    all.add(sweep("conv1d", "f" + filters + "_k" + kernel + "_in" + Shape.tupleText(input)
                                            + "_" + padding + "_s" + sd[0] + "_d" + sd[1] + "_" + format, () -> Sequential
                                            .input(input).add(new Conv1D(filters, kernel, "softmax").padding(padding)
                                                    .strides(sd[0]).dilationRate(sd[1]).dataFormat(format))));
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int filters : sizes) {
            for (int channels : sizes) {
                for (int rows : lengths) {
                    for (int cols : lengths) {
                        for (int kernel : distinct(1, Math.min(rows, cols))) {
                            for (String padding : new String[] {"valid", "same"}) {
                                for (int[] sd : new int[][] {{1, 1}, {2, 1}, {1, 2}}) {
                                    for (String format : new String[] {"channels_last", "channels_first"}) {
                                        int[] input = format.equals("channels_last") ? new int[] {rows, cols, channels}
                                                : new int[] {channels, rows, cols};
                                        all.add(sweep("conv2d", "f" + filters + "_k" + kernel + "_in"
                                                + Shape.tupleText(input) + "_" + padding + "_s" + sd[0] + "_d" + sd[1]
                                                + "_" + format, () -> Sequential.input(input).add(
                                                new Conv2D(filters, kernel, "softmax").padding(padding).strides(sd[0])
                                                        .dilationRate(sd[1]).dataFormat(format))));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int channels : sizes) {
            for (int length : lengths) {
                for (int pool : distinct(1, length)) {
                    for (int strides : sizes) {
                        for (String padding : new String[] {"valid", "same"}) {
                            for (String format : new String[] {"channels_last", "channels_first"}) {
                                int[] seq = format.equals("channels_last") ? new int[] {length, channels}
                                        : new int[] {channels, length};
                                int[] image = format.equals("channels_last") ? new int[] {length, length, channels}
                                        : new int[] {channels, length, length};
                                String tail = "p" + pool + "_s" + strides + "_" + padding + "_" + format;
                                all.add(sweep("max_pooling1d", tail + "_in" + Shape.tupleText(seq), () -> Sequential
                                        .input(seq).add(new MaxPooling1D(pool).strides(strides).padding(padding)
                                                .dataFormat(format))));
                                all.add(sweep("average_pooling1d", tail + "_in" + Shape.tupleText(seq), () -> Sequential
                                        .input(seq).add(new AveragePooling1D(pool).strides(strides).padding(padding)
                                                .dataFormat(format))));
                                all.add(sweep("max_pooling2d", tail + "_in" + Shape.tupleText(image), () -> Sequential
                                        .input(image).add(new MaxPooling2D(pool).strides(strides).padding(padding)
                                                .dataFormat(format))));
                                all.add(sweep("average_pooling2d", tail + "_in" + Shape.tupleText(image), () -> Sequential
                                        .input(image).add(new AveragePooling2D(pool).strides(strides).padding(padding)
                                                .dataFormat(format))));
                            }
                        }
                    }
                }
                for (String format : new String[] {"channels_last", "channels_first"}) {
                    for (boolean keepdims : new boolean[] {false, true}) {
                        int[] seq = format.equals("channels_last") ? new int[] {length, channels}
                                : new int[] {channels, length};
                        int[] image = format.equals("channels_last") ? new int[] {length, 1, channels}
                                : new int[] {channels, 1, length};
                        String tail = format + (keepdims ? "_keepdims" : "");
                        all.add(sweep("global_pooling", "avg1d_" + tail + Shape.tupleText(seq), () -> Sequential
                                .input(seq).add(new GlobalAveragePooling1D().dataFormat(format).keepdims(keepdims))));
                        all.add(sweep("global_pooling", "max1d_" + tail + Shape.tupleText(seq), () -> Sequential
                                .input(seq).add(new GlobalMaxPooling1D().dataFormat(format).keepdims(keepdims))));
                        all.add(sweep("global_pooling", "avg2d_" + tail + Shape.tupleText(image), () -> Sequential
                                .input(image).add(new GlobalAveragePooling2D().dataFormat(format).keepdims(keepdims))));
                        all.add(sweep("global_pooling", "max2d_" + tail + Shape.tupleText(image), () -> Sequential
                                .input(image).add(new GlobalMaxPooling2D().dataFormat(format).keepdims(keepdims))));
                    }
                }
            }
        }
        for (String cell : new String[] {"simple_rnn", "lstm", "gru", "gru_reset_before"}) {
            for (int units : sizes) {
                for (int steps : new int[] {1, 3, Shape.NONE}) {
                    for (int features : sizes) {
                        for (boolean sequences : new boolean[] {false, true}) {
                            for (boolean backwards : new boolean[] {false, true}) {
                                for (String activation : new String[] {"tanh", "softmax"}) {
                                    String id = "u" + units + "_in" + Shape.tupleText(steps, features)
                                            + (sequences ? "_sequences" : "") + (backwards ? "_backwards" : "") + "_"
                                            + activation;
                                    all.add(sweep(cell, id, () -> Sequential.input(steps, features)
                                            .add(recurrent(cell, units, sequences, backwards, activation))));
                                }
                            }
                            all.add(sweep(cell, "masked_u" + units + "_f" + features + (sequences ? "_sequences" : ""),
                                    () -> Sequential.input(steps).add(new Embedding(2, features).maskZero(true))
                                            .add(recurrent(cell, units, sequences, false, "tanh"))));
                            all.add(sweep(cell, "after_dense_u" + units + "_f" + features
                                    + (sequences ? "_sequences" : ""), () -> Sequential.input(steps, features)
                                    .add(new Dense(1)).add(recurrent(cell, units, sequences, false, "tanh"))));
                        }
                    }
                }
            }
        }
        for (int dim : sizes) {
            for (int out : sizes) {
                for (int length : new int[] {1, 3, Shape.NONE}) {
                    for (boolean mask : new boolean[] {false, true}) {
                        all.add(sweep("embedding", "in" + dim + "_out" + out + "_len" + length + (mask ? "_mask" : ""),
                                () -> Sequential.input(length).add(new Embedding(dim, out).maskZero(mask))));
                    }
                }
            }
        }
        for (int[] input : new int[][] {{1}, {2}, {1, 1}, {1, 2}, {2, 1}, {1, 1, 1}, {1, 2, 1}, {2, 1, 1}}) {
            String in = Shape.tupleText(input);
            for (int axis : new int[] {-1, 1}) {
                all.add(sweep("batch_normalization", "axis" + axis + "_in" + in,
                        () -> Sequential.input(input).add(new BatchNormalization().axis(axis))));
            }
            all.add(sweep("flatten", "in" + in, () -> Sequential.input(input).add(new Flatten())));
            all.add(sweep("flatten", "channels_first_in" + in,
                    () -> Sequential.input(input).add(new Flatten().dataFormat("channels_first"))));
            all.add(sweep("reshape", "minus1_in" + in, () -> Sequential.input(input).add(new Reshape(-1, 1))));
            all.add(sweep("permute", "reversed_in" + in, () -> Sequential.input(input).add(new Permute(reversedAxes(
                    input.length)))));
            all.add(sweep("dropout", "in" + in, () -> Sequential.input(input).add(new Dropout(0.5))));
            all.add(sweep("activation", "softmax_in" + in, () -> Sequential.input(input).add(new Activation("softmax"))));
            if (input.length >= 2) {
                all.add(sweep("time_distributed", "dense1_in" + in,
                        () -> Sequential.input(input).add(new TimeDistributed(new Dense(1, "softmax")))));
            }
        }
        return all;
    }

    private static Layer recurrent(String cell, int units, boolean sequences, boolean backwards, String activation) {
        return switch (cell) {
            case "simple_rnn" -> new SimpleRNN(units, sequences).activation(activation).goBackwards(backwards);
            case "lstm" -> new LSTM(units, sequences).activation(activation).goBackwards(backwards);
            case "gru" -> new GRU(units, sequences).activation(activation).goBackwards(backwards);
            default -> new GRU(units, sequences).resetAfter(false).activation(activation).goBackwards(backwards);
        };
    }

    private static int[] distinct(int a, int b) {
        return a == b ? new int[] {a} : new int[] {a, b};
    }

    private static int[] reversedAxes(int rank) {
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = rank - i;
        }
        return dims;
    }

    private static Sweep sweep(String family, String id, Supplier<Sequential> model) {
        return new Sweep(family + "_" + id.replace(" ", "").replace("(", "").replace(")", "").replace(",", "x")
                .replace("-1", "None"), family, model);
    }

    /** Predicts batches 1..33 (a None axis gets length 1, 2, 3, ... in turn); returns how many were refused. */
    static String run(Sweep sweep) {
        Sequential model;
        try {
            model = sweep.model().get();
        } catch (ShapeException refused) {
            return "refused at build: " + firstLine(refused);
        }
        ModelRuntime runtime = ModelRuntime.of(model);
        boolean ids = model.layers().get(0) instanceof Embedding;
        int refused = 0;
        // Batch 0 first: an empty batch must be explained, never handed to libnd4j.
        for (int batch = 0; batch <= MAX_BATCH; batch++) {
            int[] sample = model.sampleInputShape().dims();
            long[] shape = new long[sample.length + 1];
            shape[0] = batch;
            for (int i = 0; i < sample.length; i++) {
                shape[i + 1] = sample[i] == Shape.NONE ? 1 + batch % 4 : sample[i];
            }
            INDArray x = batch == 0 ? Nd4j.create(DataType.FLOAT, shape) : ids ? Nd4j.rand(DataType.FLOAT, shape).muli(2).castTo(DataType.INT).castTo(DataType.FLOAT)
                    : Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
            try {
                INDArray y = runtime.predict(x);
                if (y.size(0) != batch || batch == 0) {
                    throw new AssertionError("batch " + batch + ": result " + Shape.array(y.shape()));
                }
            } catch (ShapeException e) {
                refused += batch == 0 ? 0 : 1;
            }
        }
        return refused == 0 ? "ok" : refused + " of " + MAX_BATCH + " batches refused";
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** {@code java ... SizeOneSweep FIRST_INDEX [ID]}: runs the sweeps from that index on ({@link CaseReporter}). */
    public static void main(String[] args) {
        CaseReporter report = new CaseReporter();
        int first = Integer.parseInt(args[0]);
        String only = args.length > 1 ? args[1] : null;
        List<Sweep> all = sweeps();
        for (int i = first; i < all.size(); i++) {
            Sweep sweep = all.get(i);
            if (only != null && !only.equals(sweep.id())) {
                continue;
            }
            report.begin(i, sweep.id(), sweep.family());
            try {
                report.pass(i, sweep.id(), run(sweep));
            } catch (AssertionError | RuntimeException e) {
                report.fail(i, sweep.id(), e);
            }
        }
        report.end();
    }

}
