package org.shapelab.compute;

import java.util.ArrayList;
import java.util.List;

import org.shapelab.layers.BaseConv;
import org.shapelab.layers.BasePooling;
import org.shapelab.layers.GlobalPooling;
import org.shapelab.layers.Layer;
import org.shapelab.shape.DataFormat;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * Compares a real batch with the model's declared input before anything is computed, and explains a mismatch
 * in the learner's terms: which number is the batch size, which axis is off, and how to reshape.
 */
final class InputCheck {

    private InputCheck() {
    }

    /**
     * @param declared the model's input as a summary shape, e.g. {@code (None, 10)}
     * @param first    the model's first layer (named in the message), or null for a model without layers
     * @param array    the batch's shape
     * @param verb     {@code predict} or {@code trace}, to say where the array was given
     */
    static void check(Shape declared, Layer first, long[] array, String verb) {
        if (fits(declared.dims(), array)) {
            return;
        }
        Shape received = Shape.array(array);
        int[] want = declared.dims();
        ShapeException.Builder error = ShapeException.at(first != null ? first.describe() : "(model input)")
                .expected(declared.toString(), Shape.Kind.SUMMARY).received(received)
                .receivedFrom("the array given to " + verb);
        if (array.length == want.length) {
            sameRank(error, declared, received, first);
            return;
        }
        String sample = Shape.tupleText(declared.sampleShape().dims());
        if (array.length == want.length - 1 && matches(array, 0, want, 1)) {
            throw error.problem("the array " + received + " looks like one sample without the batch axis: the model"
                            + " reads batches, (BatchSize, " + prose(want) + "), even for a single sample.")
                    .fix("add a batch axis: x.reshape(" + join(1, array) + ")"
                            + (array.length == 1 ? ", or pass the values to predict(float[]) for one sample" : ""))
                    .build();
        }
        if (array.length == want.length - 1 && want[want.length - 1] == 1 && matches(array, 1, want, 1)) {
            throw error.problem("each sample of " + received + " has " + (array.length - 1) + " axes, the model's "
                            + (want.length - 1) + ": the last axis, of size 1 (one channel), is missing. "
                            + array[0] + " is the batch size.")
                    .fix("add the channel axis: x.reshape(" + join(array, 1) + ")").build();
        }
        long values = declared.sampleElements();
        if (array.length == 2 && want.length > 2 && values == array[1]) {
            throw error.problem("each row of " + received + " holds one sample's " + array[1] + " values laid out flat;"
                            + " the model reads each sample as " + sample + ". " + array[0] + " is the batch size.")
                    .fix("reshape the rows into samples: x.reshape(" + array[0] + ", " + inner(want) + ")").build();
        }
        throw error.problem("the model reads arrays with " + want.length + " axes, (BatchSize, " + prose(want)
                        + "), but this array has " + array.length + ".")
                .fix("reshape the data so that axis 0 counts the samples and each sample is " + sample
                        + (values > 0 && arrayValues(array) % values == 0 ? "; if the values are in the right order: x.reshape("
                        + arrayValues(array) / values + ", " + inner(want) + ")" : ""))
                .build();
    }

    /** The common case, checked without building any message: same rank, a batch, every known axis equal. */
    static boolean fits(int[] want, long[] array) {
        if (array.length != want.length || array[0] <= 0) {
            return false;
        }
        for (int i = 1; i < want.length; i++) {
            if (want[i] == Shape.NONE ? array[i] <= 0 : array[i] != want[i]) {
                return false;
            }
        }
        return true;
    }

    private static void sameRank(ShapeException.Builder error, Shape declared, Shape received, Layer first) {
        int[] want = declared.dims();
        int[] have = received.dims();
        if (have[0] == 0) {
            throw error.problem("the batch is empty: axis 0, the batch size, is 0.")
                    .fix("pass at least one sample").build();
        }
        for (int i = 1; i < have.length; i++) {
            if (have[i] == 0) {
                throw error.problem("the samples are empty: axis " + i + " has length 0.")
                        .fix("give every axis at least one value (e.g. sequences of at least one timestep)").build();
            }
        }
        List<Integer> wrong = new ArrayList<>();
        for (int i = 1; i < want.length; i++) {
            if (want[i] != Shape.NONE && want[i] != have[i]) {
                wrong.add(i);
            }
        }
        if (wrong.isEmpty()) {
            return;
        }
        String keras = kerasAxisCheck(first, want, received);
        if (keras != null) {
            error.keras(keras);
        }
        String sample = Shape.tupleText(declared.sampleShape().dims());
        String haveSample = Shape.tupleText(received.sampleShape().dims());
        if (want.length == 2) {
            throw error.problem("the array has " + have[0] + " samples (axis 0, the batch size) of " + have[1]
                            + " values each, but each sample should have " + want[1] + " values, not " + have[1] + ".")
                    .fix("check the data: each row must be one sample with " + want[1] + " features (e.g. the right"
                            + " columns of the table); if the model should take " + have[1] + " features, declare"
                            + " Sequential.input(" + have[1] + ")")
                    .build();
        }
        StringBuilder axes = new StringBuilder();
        for (int axis : wrong) {
            axes.append(axes.length() == 0 ? "" : "; ").append("axis ").append(axis).append(" is ").append(have[axis])
                    .append(" where the model expects ").append(want[axis]);
        }
        error.problem("axis 0, " + have[0] + ", is the batch size, so each sample is " + haveSample + ", but the model"
                + " reads samples of " + sample + ": " + axes + ".");
        String hint = dataFormat(first).swapDescription(received);
        if (hint != null) {
            error.note(hint);
        }
        long values = declared.sampleElements();
        if (hint != null) {
            error.fix("if the data is in the other layout, reorder the array's axes: "
                    + dataFormat(first).swapFixForArrays(have.length) + "; otherwise declare the input the data has:"
                    + " Sequential.input(" + inner(have) + ")");
        } else if (values > 0 && values == received.sampleElements()) {
            error.fix("the counts agree, so if the values are in the right order: x.reshape(" + have[0] + ", "
                    + inner(want) + "); otherwise declare Sequential.input(" + inner(have) + ")");
        } else {
            error.fix("check the data (size, resizing, channels), or declare the input the data has:"
                    + " Sequential.input(" + inner(have) + ")");
        }
        throw error.build();
    }

    /**
     * Keras checks one axis of a real batch against the first layer's InputSpec: Dense its last axis (features),
     * a convolution its channel axis. Where that axis is the one that differs, the sentence Keras 3 raises; else
     * null (Keras fails elsewhere, in words that depend on the backend).
     */
    private static String kerasAxisCheck(Layer first, int[] want, Shape received) {
        int[] have = received.dims();
        long[] batch = new long[have.length];
        for (int i = 0; i < have.length; i++) {
            batch[i] = have[i];
        }
        int axis;
        int kerasAxis;   // as Keras's InputSpec names it: -1 for the last axis
        if (first instanceof org.shapelab.layers.Dense) {
            axis = want.length - 1;
            kerasAxis = -1;
        } else if (first instanceof BaseConv<?> conv) {
            axis = conv.dataFormat().channelAxis(want.length);
            kerasAxis = conv.dataFormat() == DataFormat.CHANNELS_LAST ? -1 : 1;
        } else {
            return null;
        }
        if (want[axis] == Shape.NONE || want[axis] == have[axis]) {
            return null;
        }
        return org.shapelab.shape.KerasWords.axisValue(first.name(), kerasAxis, want[axis], batch);
    }

    /** The data format the first layer reads, or the process default for layers without one. */
    private static DataFormat dataFormat(Layer first) {
        if (first instanceof BaseConv<?> conv) {
            return conv.dataFormat();
        }
        if (first instanceof BasePooling<?> pooling) {
            return pooling.dataFormat();
        }
        if (first instanceof GlobalPooling<?> pooling) {
            return pooling.dataFormat();
        }
        return DataFormat.imageDataFormat();
    }

    /** Whether {@code array[from..]} fits {@code want[wantFrom..]} (None fits anything) over the shorter length. */
    private static boolean matches(long[] array, int from, int[] want, int wantFrom) {
        int n = Math.min(array.length - from, want.length - wantFrom);
        for (int i = 0; i < n; i++) {
            int w = want[wantFrom + i];
            if (w != Shape.NONE && w != array[from + i]) {
                return false;
            }
        }
        return true;
    }

    private static long arrayValues(long[] array) {
        long n = 1;
        for (long d : array) {
            n *= d;
        }
        return n;
    }

    /** The sample axes of a declared shape as text, None as -1 for reshape: {@code 28, 28, 1}. */
    private static String inner(int[] withBatch) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i < withBatch.length; i++) {
            text.append(i > 1 ? ", " : "").append(withBatch[i] == Shape.NONE ? "-1" : Integer.toString(withBatch[i]));
        }
        return text.toString();
    }

    /** The sample axes of a declared shape as prose: {@code None, 8}. */
    private static String prose(int[] withBatch) {
        String tuple = Shape.tupleText(java.util.Arrays.copyOfRange(withBatch, 1, withBatch.length));
        return tuple.substring(1, tuple.length() - (withBatch.length == 2 ? 2 : 1));
    }

    private static String join(long first, long[] rest) {
        StringBuilder text = new StringBuilder(Long.toString(first));
        for (long d : rest) {
            text.append(", ").append(d);
        }
        return text.toString();
    }

    private static String join(long[] dims, long last) {
        StringBuilder text = new StringBuilder();
        for (long d : dims) {
            text.append(d).append(", ");
        }
        return text.append(last).toString();
    }
}
