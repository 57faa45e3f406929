package org.shapelab.shape;

/**
 * What Keras 3 raises for the shape mistakes ShapeLab explains, word for word (checked against real Keras 3 in
 * {@code keras3-errors.json}, made by {@code tools/keras-reference/keras3-errors.py}), so that ShapeLab's message
 * can quote it: a learner who later meets the Python error recognises it. Python's notations are kept: tuples
 * {@code (2, 2)} and {@code (1,)}, NumPy arrays {@code [2 2]} and {@code [None 1 1 16]}.
 */
public final class KerasWords {

    private KerasWords() {
    }

    /** An InputSpec rank check: {@code min_ndim} for convolutions, {@code ndim} for pooling and recurrent layers. */
    public static String rank(String layerName, boolean atLeast, int wanted, Shape received) {
        return "ValueError: Input 0 with name 'None' of layer '" + layerName + "' is incompatible with the layer: expected "
                + (atLeast ? "min_ndim=" : "ndim=") + wanted + ", found ndim=" + received.rank() + ". Full shape received: "
                + received.toString();
    }

    /** An InputSpec axis check on a real batch; Keras's predict splits the data into batches of 32 first. */
    public static String axisValue(String layerName, int axis, int wanted, long[] batchShape) {
        long[] first = batchShape.clone();
        first[0] = Math.min(first[0], 32);
        return "ValueError: Input 0 with name 'None' of layer '" + layerName + "' is incompatible with the layer: expected"
                + " axis " + axis + " of input shape to have value " + wanted + ", but received input with shape "
                + Shape.array(first);
    }

    /** A convolution whose window does not fit (Keras's compute_conv_output_shape). */
    public static String convTooSmall(Shape input, int[] kernelShape, int[] dilation, int[] strides, Padding padding) {
        return "ValueError: Computed output size would be zero or negative. Received `inputs shape=" + input
                + "`, `kernel shape=" + tuple(kernelShape) + "`, `dilation_rate=" + numpy(dilation) + "`, `strides="
                + tuple(strides) + "`, `padding=" + padding.kerasName() + "`.";
    }

    /** A pooling window that does not fit (Keras's compute_pooling_output_shape, raised in call()). */
    public static String poolTooSmall(Shape input, int[] poolSize, int[] strides, Padding padding) {
        return "ValueError: Computed output size would be zero or negative. Received: `inputs.shape=" + numpy(input.dims())
                + "`, `pool_size=" + numpy(poolSize) + "`, `strides=" + tuple(strides) + "`, `padding="
                + padding.kerasName() + "`.";
    }

    /** A Reshape whose value counts differ. */
    public static String reshape(Shape inputSample, int[] target) {
        return "ValueError: The total size of the tensor must be unchanged. Received: input_shape=" + inputSample
                + ", target_shape=" + tuple(target);
    }

    /** A Dense layer on a last axis of unknown size: its kernel cannot be made (the path is elided). */
    public static String undefinedKernel(int units) {
        return "ValueError: Shapes used to initialize variables must be fully-defined (no `None` dimensions). Received:"
                + " shape=(None, " + units + ") for variable path='.../kernel'";
    }

    /** An activation name Keras does not know. */
    public static String unknownActivation(String name) {
        return "ValueError: Could not interpret activation function identifier: " + name;
    }

    /** A Python tuple: {@code (2, 2)}, {@code (1,)}. */
    static String tuple(int[] values) {
        return Shape.tupleText(values);
    }

    /** A NumPy array as Python prints it: {@code [2 2]}, with None for unknown sizes. */
    static String numpy(int[] values) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? "" : " ").append(values[i] == Shape.NONE ? "None" : Integer.toString(values[i]));
        }
        return text.append(']').toString();
    }
}
