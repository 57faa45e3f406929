package org.shapelab.training;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * Checks labels against the loss and the model's output before the first step, and explains each mistake learners
 * make there with the loss, what it expects (with None), what it received and the fix, quoting what Keras would
 * say. Returns the labels as the loss reads them: float32, and {@code (N,)} against an output {@code (None, 1)}
 * expanded to {@code (N, 1)}, as Keras's {@code squeeze_or_expand_to_same_rank} does (no broadcasting to
 * {@code (N, N)}).
 */
final class LabelCheck {

    private LabelCheck() {
    }

    /**
     * @param output  the model's output as a summary shape, e.g. {@code (None, 10)}
     * @param samples the number of samples in x
     * @param verb    {@code fit}, {@code evaluate} or {@code train_on_batch}, for the message
     */
    static INDArray prepare(Loss loss, INDArray y, Shape output, long samples, String verb) {
        String name = loss.name();
        if (y == null) {
            throw new ShapeException(verb + " needs labels y, one per sample (batch axis first); got null.");
        }
        if (y.dataType() == DataType.UTF8 || y.dataType() == DataType.BOOL && isSparse(loss)) {
            throw ShapeException.atLoss(name).expected(expectedText(loss, output), Shape.Kind.SUMMARY)
                    .received(Shape.array(y.shape())).receivedFrom("the labels y")
                    .problem("the labels are " + y.dataType() + " values; the loss computes with numbers.")
                    .fix("give the labels as numbers, e.g. Nd4j.createFromArray(new int[] {...})").build();
        }
        if (y.rank() == 0 || y.size(0) != samples) {
            throw new ShapeException("Loss " + name + ": x has " + samples + " samples but the labels y "
                    + Shape.array(y.shape()) + " have " + (y.rank() == 0 ? "none (a scalar)" : y.size(0)) + "; every"
                    + " sample needs its label, in the same order. (Keras: \"Data cardinality is ambiguous: x sizes: "
                    + samples + ", y sizes: " + (y.rank() == 0 ? 0 : y.size(0)) + "\".) Fix: give x and y the same"
                    + " number of samples along axis 0.");
        }
        INDArray labels = y.dataType() == DataType.FLOAT ? y : y.castTo(DataType.FLOAT);
        int[] out = output.dims();
        int classes = out[out.length - 1];
        if (isSparse(loss)) {
            return sparse(loss, labels, output, classes);
        }
        long[] shape = labels.shape();
        // Keras squeezes or expands a trailing axis of 1 so that (N,) meets (None, 1) and (N, 1) meets (None,).
        if (shape.length == out.length - 1 && out[out.length - 1] == 1) {
            labels = labels.reshape('c', append(shape, 1));
        } else if (shape.length == out.length + 1 && shape[shape.length - 1] == 1) {
            labels = labels.reshape('c', Arrays.copyOf(shape, shape.length - 1));
        }
        if (fits(labels.shape(), out)) {
            return labels;
        }
        ShapeException.Builder error = ShapeException.atLoss(name).expected(output.toString(), Shape.Kind.SUMMARY)
                .received(Shape.array(y.shape())).receivedFrom("the labels y");
        String keras = "(Keras: \"Arguments `target` and `output` must have the same shape. Received: target.shape="
                + Shape.summary(withBatchNone(y.shape())) + ", output.shape=" + output + "\"; tf.keras 2: \"Shapes "
                + Shape.summary(withBatchNone(y.shape())) + " and " + output + " are incompatible\".)";
        boolean classNumbers = (shape.length == out.length - 1 || shape.length == out.length
                && shape[shape.length - 1] == 1) && wholeNumbersBelow(labels, classes);
        if (name.equals("categorical_crossentropy") && classes > 1 && classNumbers) {
            throw error.problem("the labels look like class numbers (0 .. " + (classes - 1) + "), one per sample, but "
                            + "categorical_crossentropy needs one-hot rows: a label of class 3 is "
                            + oneHotExample(3, classes) + ". " + keras)
                    .fix("compile with loss \"sparse_categorical_crossentropy\", which takes class numbers, or turn the"
                            + " labels into one-hot rows of " + classes + " values").build();
        }
        if (shape.length == out.length && fits(Arrays.copyOf(shape, shape.length - 1),
                Arrays.copyOf(out, out.length - 1))) {
            throw error.problem("the labels have " + shape[shape.length - 1] + " values per sample but the model's "
                            + "output has " + classes + ": the last layer's units must match the number of classes"
                            + " (or of targets). " + keras)
                    .fix("make the last layer Dense(" + shape[shape.length - 1] + ", ...), or give labels with "
                            + classes + " values per sample").build();
        }
        throw error.problem(name + " compares each prediction with its label, so the labels need the output's shape"
                        + " with the batch size first, " + Shape.array(withBatch(out, shape[0])) + ". " + keras)
                .fix("reshape the labels to " + Shape.tupleText(toInts(withBatch(out, shape[0])))
                        + ", or change the last layer so that its output fits them").build();
    }

    private static boolean isSparse(Loss loss) {
        return loss.name().equals("sparse_categorical_crossentropy");
    }

    /** Class numbers: the output's shape without its last axis (or with a last axis of 1), values in [0, classes). */
    private static INDArray sparse(Loss loss, INDArray labels, Shape output, int classes) {
        int[] out = output.dims();
        long[] shape = labels.shape();
        long[] want = Arrays.copyOf(withBatch(out, shape[0]), out.length - 1);
        INDArray ids = labels;
        if (shape.length == out.length && shape[shape.length - 1] == 1) {
            ids = labels.reshape('c', Arrays.copyOf(shape, shape.length - 1));
        }
        String expected = Shape.summary(Arrays.copyOf(out, Math.max(1, out.length - 1))).toString();
        if (!fitsLong(ids.shape(), want)) {
            ShapeException.Builder error = ShapeException.atLoss(loss.name()).expected(expected, Shape.Kind.SUMMARY)
                    .received(Shape.array(shape)).receivedFrom("the labels y");
            if (shape.length == out.length && shape[shape.length - 1] == classes && classes > 1 && isOneHot(labels)) {
                throw error.problem("the labels look one-hot (rows of " + classes + " values, one 1 each), but"
                                + " sparse_categorical_crossentropy takes one class number per sample. (Keras 3:"
                                + " \"Argument `output` must have rank (ndim) `target.ndim - 1`\"; tf.keras 2: \"logits"
                                + " and labels must have the same first dimension\".)")
                        .fix("compile with loss \"categorical_crossentropy\", which takes one-hot rows, or give the"
                                + " class numbers: y.argMax(" + (shape.length - 1) + ")").build();
            }
            throw error.problem("sparse_categorical_crossentropy takes one class number per prediction: labels of"
                            + " shape " + Shape.array(want) + " (or with a last axis of 1) for the output " + output
                            + ".")
                    .fix("reshape the labels to " + Shape.tupleText(toInts(want))).build();
        }
        float[] values = ids.dup('c').data().asFloat();
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!(v >= 0 && v < classes && v == Math.rint(v))) {
                String shown = v == Math.rint(v) ? Long.toString((long) v) : Float.toString(v);
                throw ShapeException.atLoss(loss.name()).expected("class numbers 0 .. " + (classes - 1), null)
                        .received(Shape.array(shape)).receivedFrom("the labels y")
                        .problem("label " + shown + " (label #" + i + ") is " + (v == Math.rint(v)
                                ? "outside the valid range [0, " + classes + "): the output has " + classes
                                + " units, one per class." : "not a whole class number.")
                                + " (Keras: \"Received a label value of " + shown + " which is outside the valid range"
                                + " of [0, " + classes + ")\".)")
                        .fix(v == Math.rint(v) && v >= classes ? "make the last layer Dense(" + ((long) maxOf(values) + 1)
                                + ", ...) if there are that many classes, or number the classes from 0"
                                : "give each label as its class number 0 .. " + (classes - 1)).build();
            }
        }
        return ids;
    }

    /** Class numbers {@code (N, ...)} as one-hot rows of {@code yPred}'s shape. */
    static INDArray oneHot(INDArray ids, INDArray yPred) {
        long classes = yPred.size(yPred.rank() - 1);
        INDArray flat = ids.reshape(ids.length());
        INDArray hot = Nd4j.zeros(DataType.FLOAT, ids.length(), classes);
        for (int i = 0; i < flat.length(); i++) {
            hot.putScalar(i, (long) flat.getFloat(i), 1f);
        }
        return hot.reshape('c', yPred.shape());
    }

    private static String expectedText(Loss loss, Shape output) {
        int[] out = output.dims();
        return isSparse(loss) ? Shape.summary(Arrays.copyOf(out, Math.max(1, out.length - 1))).toString()
                : output.toString();
    }

    private static boolean wholeNumbersBelow(INDArray labels, int classes) {
        float[] values = labels.dup('c').data().asFloat();
        for (float v : values) {
            if (!(v >= 0 && v < Math.max(classes, 2) && v == Math.rint(v))) {
                return false;
            }
        }
        return maxOf(values) > 1 || classes > 2;
    }

    private static boolean isOneHot(INDArray labels) {
        INDArray rows = labels.reshape('c', labels.length() / labels.size(labels.rank() - 1),
                labels.size(labels.rank() - 1));
        long ones = rows.eq(1.0).castTo(DataType.FLOAT).sumNumber().longValue();
        long zeros = rows.eq(0.0).castTo(DataType.FLOAT).sumNumber().longValue();
        return ones == rows.size(0) && zeros == rows.length() - rows.size(0) && rows.sum(1).eq(1.0).all();
    }

    private static float maxOf(float[] values) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    private static String oneHotExample(int cls, int classes) {
        StringBuilder row = new StringBuilder("[");
        for (int i = 0; i < Math.min(classes, 6); i++) {
            row.append(i == 0 ? "" : ", ").append(i == cls ? 1 : 0);
        }
        return row.append(classes > 6 ? ", ...]" : "]").toString();
    }

    private static boolean fits(long[] shape, int[] out) {
        if (shape.length != out.length) {
            return false;
        }
        for (int i = 1; i < out.length; i++) {
            if (out[i] != Shape.NONE && shape[i] != out[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean fitsLong(long[] shape, long[] want) {
        if (shape.length != want.length) {
            return false;
        }
        for (int i = 1; i < want.length; i++) {
            if (want[i] >= 0 && shape[i] != want[i]) {
                return false;
            }
        }
        return true;
    }

    private static long[] withBatch(int[] out, long batch) {
        long[] shape = new long[out.length];
        shape[0] = batch;
        for (int i = 1; i < out.length; i++) {
            shape[i] = out[i];
        }
        return shape;
    }

    private static int[] withBatchNone(long[] shape) {
        int[] dims = new int[shape.length];
        dims[0] = Shape.NONE;
        for (int i = 1; i < shape.length; i++) {
            dims[i] = (int) shape[i];
        }
        return dims;
    }

    private static int[] toInts(long[] shape) {
        int[] dims = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = (int) shape[i];
        }
        return dims;
    }

    private static long[] append(long[] shape, long last) {
        long[] longer = Arrays.copyOf(shape, shape.length + 1);
        longer[shape.length] = last;
        return longer;
    }
}
