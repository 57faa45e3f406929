package org.shapelab.shape;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * An immutable tensor shape that knows which of Keras's three forms it is.
 *
 * <ul>
 *   <li>{@link Kind#SAMPLE}: one sample, as declared with {@code input_shape}: {@code (10,)}.</li>
 *   <li>{@link Kind#SUMMARY}: what summaries show, batch axis first and unknown: {@code (None, 10)}.</li>
 *   <li>{@link Kind#ARRAY}: a real batch, every axis known: {@code (300, 10)}.</li>
 * </ul>
 *
 * Any non-batch axis may also be unknown ({@link #NONE}), e.g. LSTM timesteps: {@code (None, None, 8)}.
 */
public final class Shape {

    /** An axis whose size is not known until data arrives; printed as {@code None}. */
    public static final int NONE = -1;

    /** The three forms of a shape; each names itself the way the error messages do. */
    public enum Kind {
        SAMPLE("declared sample shape", "one sample, batch axis left out, as in input_shape"),
        SUMMARY("summary shape", "batch axis first, shown as None because any batch size fits"),
        ARRAY("array shape", "a real batch: the first number is the batch size");

        private final String label;
        private final String meaning;

        Kind(String label, String meaning) {
            this.label = label;
            this.meaning = meaning;
        }

        /** Short name, e.g. {@code "summary shape"}. */
        public String label() {
            return label;
        }

        /** One clause explaining the form to a learner. */
        public String meaning() {
            return meaning;
        }
    }

    private final Kind kind;
    private final int[] dims;

    private Shape(Kind kind, int[] dims) {
        this.kind = kind;
        this.dims = dims;
    }

    /** A declared sample shape such as {@code input_shape=(28, 28, 1)}; {@link #NONE} marks unknown axes. */
    public static Shape sample(int... dims) {
        return new Shape(Kind.SAMPLE, checked(dims.clone(), Kind.SAMPLE));
    }

    /** A summary shape given with its batch axis, e.g. {@code summary(NONE, 10)}. */
    public static Shape summary(int... dimsWithBatch) {
        if (dimsWithBatch.length == 0) {
            throw new ShapeException("A summary shape needs at least its batch axis, e.g. (None, 10); got ().");
        }
        int[] dims = checked(dimsWithBatch.clone(), Kind.SUMMARY);
        dims[0] = NONE;
        return new Shape(Kind.SUMMARY, dims);
    }

    /** The concrete shape of an array, e.g. an ND4J {@code INDArray.shape()}. */
    public static Shape array(long... dims) {
        int[] ints = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) {
                throw new ShapeException("An array shape needs sizes from 0 to " + Integer.MAX_VALUE
                        + "; axis " + i + " of " + Arrays.toString(dims) + " is " + dims[i] + ".");
            }
            ints[i] = (int) dims[i];
        }
        return new Shape(Kind.ARRAY, ints);
    }

    /** The concrete shape of an array given as ints. */
    public static Shape array(int... dims) {
        return array(Arrays.stream(dims).asLongStream().toArray());
    }

    private static int[] checked(int[] dims, Kind kind) {
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 0 || dims[i] < NONE) {
                throw new ShapeException("A " + kind.label() + " needs positive sizes (or None for unknown); axis "
                        + i + " of " + Arrays.toString(dims) + " is " + dims[i]
                        + ". Fix: give every axis a size of at least 1.");
            }
        }
        return dims;
    }

    public Kind kind() {
        return kind;
    }

    /** Number of axes as printed: a summary or array shape counts its batch axis. */
    public int rank() {
        return dims.length;
    }

    /** The size of an axis ({@link #NONE} if unknown); negative axes count from the end, as in Python. */
    public int get(int axis) {
        return dims[index(axis)];
    }

    /** Whether an axis has a known size. */
    public boolean isKnown(int axis) {
        return get(axis) != NONE;
    }

    /** Normalizes a possibly negative axis to an index into this shape. */
    public int index(int axis) {
        int i = axis < 0 ? dims.length + axis : axis;
        if (i < 0 || i >= dims.length) {
            throw new IndexOutOfBoundsException("axis " + axis + " is outside " + this + " (rank " + dims.length + ")");
        }
        return i;
    }

    /** All printed axes. */
    public int[] dims() {
        return dims.clone();
    }

    /** True for summary and array shapes, whose first axis is the batch. */
    public boolean hasBatchAxis() {
        return kind != Kind.SAMPLE;
    }

    /** The axes of one sample (the batch axis dropped), as a {@link Kind#SAMPLE} shape. */
    public Shape sampleShape() {
        return kind == Kind.SAMPLE ? this : new Shape(Kind.SAMPLE, Arrays.copyOfRange(dims, 1, dims.length));
    }

    /** This sample shape's summary form, with a {@code None} batch axis in front. */
    public Shape withBatch() {
        return new Shape(Kind.SUMMARY, prepend(NONE, sampleShape().dims));
    }

    /** The array shape a batch of {@code batchSize} samples of this shape has. */
    public Shape withBatch(int batchSize) {
        if (batchSize < 0) {
            throw new ShapeException("A batch size is 0 or more; got " + batchSize + ".");
        }
        Shape sample = sampleShape();
        for (int d : sample.dims) {
            if (d == NONE) {
                throw new ShapeException("The sample shape " + sample + " has an unknown (None) axis; an array needs"
                        + " every size. Fix: give the size that axis has in your data.");
            }
        }
        return new Shape(Kind.ARRAY, prepend(batchSize, sample.dims));
    }

    /**
     * This summary shape with a fixed batch size, as Keras shows it for {@code Input(batch_size=32)} or
     * {@code batch_input_shape=(32, ...)}: {@code (32, 10, 8)} instead of {@code (None, 10, 8)}. {@link #NONE}
     * makes the batch unknown again.
     */
    public Shape withBatchSize(int batchSize) {
        if (batchSize == 0 || batchSize < NONE) {
            throw new ShapeException("A fixed batch size is a positive whole number (or None); got " + batchSize + ".");
        }
        return new Shape(Kind.SUMMARY, prepend(batchSize, sampleShape().dims));
    }

    /** The fixed batch size of a summary shape, or of an array shape; {@link #NONE} when any batch size fits. */
    public int batchSize() {
        return kind == Kind.SAMPLE ? NONE : dims[0];
    }

    /** A shape of the same kind with one axis replaced. */
    public Shape with(int axis, int size) {
        int[] copy = dims.clone();
        copy[index(axis)] = size;
        return new Shape(kind, copy);
    }

    /** Elements in one sample, or {@code -1} if any sample axis is {@code None}. */
    public long sampleElements() {
        long n = 1;
        for (int d : sampleShape().dims) {
            if (d == NONE) {
                return -1;
            }
            n *= d;
        }
        return n;
    }

    /** Whether every axis but the batch axis is known. */
    public boolean isSampleFullyKnown() {
        return sampleElements() >= 0;
    }

    /** Whether the two shapes have the same sample axes, whatever their kind. */
    public boolean sameSampleAs(Shape other) {
        return Arrays.equals(sampleShape().dims, other.sampleShape().dims);
    }

    /** Python tuple text as Keras prints it: {@code (10,)}, {@code (None, 10)}, {@code (300, 10)}. */
    @Override
    public String toString() {
        return tupleText(dims);
    }

    /** The shape and its kind in words, e.g. {@code summary shape (None, 10)}. */
    public String describe() {
        return kind.label() + " " + this;
    }

    /**
     * How Keras prints one or several shapes: a single one as itself, {@code (None, 4)}, several as a list,
     * {@code [(None, 4), (None, 4)]} (a merge's inputs, a layer's outputs with return_state).
     */
    public static String listText(java.util.List<Shape> shapes) {
        return shapes.size() == 1 ? shapes.get(0).toString() : shapes.toString();
    }

    /** Python tuple text for any list of sizes, {@link #NONE} as {@code None}. */
    public static String tupleText(int... sizes) {
        if (sizes.length == 1) {
            return "(" + sizeText(sizes[0]) + ",)";
        }
        StringJoiner joiner = new StringJoiner(", ", "(", ")");
        for (int size : sizes) {
            joiner.add(sizeText(size));
        }
        return joiner.toString();
    }

    static String sizeText(int size) {
        return size == NONE ? "None" : Integer.toString(size);
    }

    private static int[] prepend(int first, int[] rest) {
        int[] out = new int[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape other && kind == other.kind && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + Arrays.hashCode(dims);
    }
}
