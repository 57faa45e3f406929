package org.shapelab.display;

/**
 * The usual mistakes an exercise check recognises, each with the words a hint uses. A {@link Verdict} names the
 * ones it found, first the one to fix first.
 */
enum Mistake {
    // ---- the answer itself ----
    /** The answer cell still holds its placeholder ({@code "?"}, 0, nothing). */
    NO_ANSWER,
    /** A shape ShapeLab cannot read, e.g. {@code (None, 30 30, 32)}. */
    UNREADABLE,
    /** A number where the exercise asks for a shape. */
    NUMBER_FOR_SHAPE,
    /** A shape where the exercise asks for a number (e.g. the values Flatten outputs). */
    SHAPE_FOR_NUMBER,

    // ---- the kinds of shape: sample, summary, array ----
    /** No batch axis: a sample shape given for a summary or an array shape. */
    BATCH_FORGOTTEN,
    /** A batch axis given for a declared sample shape ({@code input_shape}). */
    BATCH_ADDED,
    /** {@code None} for the batch of a real array, whose batch axis has its size. */
    NONE_FOR_BATCH_SIZE,
    /** A number for the batch of a summary shape, whose batch axis is {@code None}. */
    BATCH_SIZE_FOR_NONE,

    // ---- axes ----
    /** The channel (or features) axis left out, e.g. a grayscale image without its axis of size 1. */
    CHANNEL_FORGOTTEN,
    /** Channels first where the layer is channels last, or the other way round. */
    CHANNELS_SWAPPED,
    /** The right sizes in another order. */
    AXES_ORDER,
    /** Too many or too few axes. */
    RANK,
    /** The right number of axes, some of them the wrong size. */
    AXES_DIFFER,

    // ---- windows: convolution and pooling ----
    /** Valid padding's shrink by {@code k - 1} forgotten: the input's size kept. */
    VALID_SHRINK_FORGOTTEN,
    /** {@code L - k} instead of {@code L - k + 1}. */
    WINDOW_OFF_BY_ONE,
    /** Counted as if the stride were 1. */
    STRIDES_FORGOTTEN,
    /** Counted as if the kernel were not dilated. */
    DILATION_FORGOTTEN,
    /** Pooling counted as a window moving one step at a time (its strides default to its size). */
    POOLING_STRIDES,
    /** A pooling layer counted as if it were not there. */
    POOLING_FORGOTTEN,
    /** The input's channels kept where a convolution outputs one channel per filter. */
    FILTERS_NOT_CHANNELS,

    // ---- recurrent and dense layers ----
    /** The time axis kept without return_sequences, or dropped with it. */
    RETURN_SEQUENCES,
    /** The input's features kept where a recurrent or dense layer outputs {@code units}. */
    UNITS_NOT_FEATURES,
    /** Dense treated as if it flattened its input: it acts on the last axis only. */
    DENSE_LAST_AXIS,

    // ---- parameter counts ----
    /** The biases left out: one per unit or filter. */
    BIAS_FORGOTTEN,
    /** A recurrent layer counted with one gate instead of its 4 (LSTM) or 3 (GRU). */
    GATES_FORGOTTEN,
    /** A recurrent layer counted without its recurrent kernel ({@code units x units} per gate). */
    RECURRENT_KERNEL_FORGOTTEN,
    /** A convolution's kernel counted without the depth of its input (the input channels). */
    INPUT_CHANNELS_FORGOTTEN,
    /** One filter or unit counted instead of all of them. */
    ONE_FILTER,
    /** A Bidirectional layer counted with one direction. */
    ONE_DIRECTION,

    // ---- models (checkModel) ----
    /** The learner's model does not build: a shape error. */
    MODEL_NOT_BUILT,
    /** A different number of model inputs or outputs. */
    INPUT_COUNT,
    /** A different model input shape. */
    INPUT_SHAPE,
    /** An axis the exercise keeps unknown ({@code None}, e.g. variable-length sequences) fixed to a size. */
    VARIABLE_LENGTH_LOST,
    /** A different model output shape. */
    OUTPUT_SHAPE,
    /** The model ends before the intended one does. */
    LAYER_MISSING,
    /** The model goes on after the intended one ends. */
    LAYER_EXTRA,
    /** A different layer class at some position. */
    LAYER_CLASS,
    /** A different option (padding, return_sequences, units, ...). */
    LAYER_OPTION,
    /** A layer reads a different shape (in a functional model: a different tensor). */
    LAYER_INPUT,
    /** A layer outputs a different shape. */
    LAYER_SHAPE,
    /** A layer has a different parameter count. */
    LAYER_PARAMS
}
