package org.shapelab.shape;

import java.util.Locale;

/**
 * Where convolution and pooling layers find the channel axis.
 *
 * <p>Like Keras's {@code image_data_format}, there is one process-wide default, read when a layer is
 * created; changing it later does not change layers that exist already.
 */
public enum DataFormat {
    /** {@code (None, rows, cols, channels)}: Keras's default and TensorFlow's native layout. */
    CHANNELS_LAST("channels_last"),
    /** {@code (None, channels, rows, cols)}: PyTorch's and Theano's layout. */
    CHANNELS_FIRST("channels_first");

    private static volatile DataFormat imageDataFormat;
    private static volatile String imageDataFormatSource;

    static {
        KerasConfig config = KerasConfig.read(KerasConfig.file(System.getenv("KERAS_HOME"), System.getProperty("user.home")));
        imageDataFormat = config.format();
        imageDataFormatSource = config.source();
    }

    private final String kerasName;

    DataFormat(String kerasName) {
        this.kerasName = kerasName;
    }

    /** The Keras spelling: {@code "channels_last"} or {@code "channels_first"}. */
    public String kerasName() {
        return kerasName;
    }

    /** The default for new layers, as Keras's {@code keras.config.image_data_format()}. */
    public static DataFormat imageDataFormat() {
        return imageDataFormat;
    }

    /**
     * Where the default came from, as a sentence: the {@code image_data_format} of Keras's configuration file
     * ({@code $KERAS_HOME/keras.json}, else {@code ~/.keras/keras.json}, read once as Keras reads it at import), Keras's
     * own default when there is no such file or entry, or {@link #setImageDataFormat} in this session.
     */
    public static String imageDataFormatSource() {
        return imageDataFormatSource;
    }

    /** Changes the default for layers created from now on, as {@code keras.config.set_image_data_format}. */
    public static void setImageDataFormat(DataFormat format) {
        if (format == null) {
            throw new ShapeException("setImageDataFormat needs CHANNELS_LAST or CHANNELS_FIRST, not null.");
        }
        imageDataFormat = format;
        imageDataFormatSource = "set in this session with DataFormat.setImageDataFormat (Keras: "
                + "keras.config.set_image_data_format(\"" + format.kerasName + "\"))";
    }

    /** Reads {@code "channels_last"} / {@code "channels_first"}; {@code null} means the global default. */
    public static DataFormat of(String kerasName) {
        if (kerasName == null) {
            return imageDataFormat;
        }
        for (DataFormat format : values()) {
            if (format.kerasName.equals(kerasName.toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw new ShapeException("Unknown data_format '" + kerasName + "'. Valid: 'channels_last' (rows, cols,"
                + " channels; the default) or 'channels_first' (channels, rows, cols).");
    }

    /** The channel axis of a summary shape of the given rank (batch included). */
    public int channelAxis(int rank) {
        return this == CHANNELS_LAST ? rank - 1 : 1;
    }

    /** The first spatial axis of a summary shape (batch included). */
    public int firstSpatialAxis() {
        return this == CHANNELS_LAST ? 1 : 2;
    }

    /** Keras notation for input of this format with the given spatial axis names. */
    public String notation(String... spatialNames) {
        String spatial = String.join(", ", spatialNames);
        return this == CHANNELS_LAST ? "(None, " + spatial + ", channels)" : "(None, channels, " + spatial + ")";
    }

    /**
     * If a summary or array shape looks like the other data format, the sentence that says so; otherwise null.
     * It looks so when the axis this format reads as channels is large and every other sample axis is much
     * larger than a small axis at the other end: {@code (None, 3, 32, 32)} in a channels_last layer. A map that is
     * merely small, {@code (None, 1, 1, 16)} after pooling, does not: its rows and cols are as small as the
     * first axis, so nothing says the channels were put at the wrong end.
     */
    public String swapDescription(Shape input) {
        int other = otherFormatChannels(input);
        if (other == 0) {
            return null;
        }
        int rank = input.rank();
        int seen = this == CHANNELS_LAST ? input.get(-1) : input.get(1);
        DataFormat looks = this == CHANNELS_LAST ? CHANNELS_FIRST : CHANNELS_LAST;
        return input + " looks like " + looks + " data (" + other + " channel" + (other > 1 ? "s " : " ")
                + (looks == CHANNELS_FIRST ? "first" : "last") + "), but this layer reads " + this + ", so it sees "
                + seen + " channels" + (rank > 3 ? " and takes the " + other + " for " + (looks == CHANNELS_FIRST
                ? "rows" : "cols") : " and takes the " + other + " for the length") + ".";
    }

    /**
     * The fix when a model is built on data of the other format: the layer option, or a Keras {@code Permute}
     * layer (whose axes count from 1 because the batch axis is left out, unlike an array's permute).
     */
    public String swapFixForLayers(int rank) {
        DataFormat other = this == CHANNELS_LAST ? CHANNELS_FIRST : CHANNELS_LAST;
        return "if the data is " + other + ", tell the layer: dataFormat(\"" + other + "\")"
                + (other == CHANNELS_FIRST ? " (or DataFormat.setImageDataFormat(DataFormat.CHANNELS_FIRST) before"
                + " building)" : "") + "; or reorder the axes in the model with permute(" + (this == CHANNELS_LAST
                ? permuteToLast(rank) : permuteToFirst(rank)) + ") as the first layer (Keras's Permute counts the"
                + " sample axes from 1, the batch left out) and declare the input in the order the data has";
    }

    /**
     * The fix when an array of the other format is given to a model: reorder the array's axes with ND4J's
     * {@code permute}, which counts every axis from 0, the batch included (Keras's Permute layer does not).
     */
    public String swapFixForArrays(int rank) {
        StringBuilder axes = new StringBuilder("x.permute(0");
        if (this == CHANNELS_LAST) {
            for (int i = 2; i < rank; i++) {
                axes.append(", ").append(i);
            }
            axes.append(", 1");
        } else {
            axes.append(", ").append(rank - 1);
            for (int i = 1; i < rank - 1; i++) {
                axes.append(", ").append(i);
            }
        }
        return axes.append(")  (ND4J's permute counts every axis from 0, the batch included)").toString();
    }

    /** The channel count the other format would read, if the shape looks like that format; else 0. */
    private int otherFormatChannels(Shape input) {
        int rank = input.rank();
        if (rank < 3) {
            return 0;
        }
        int candidate = this == CHANNELS_LAST ? input.get(1) : input.get(-1);
        if (candidate == Shape.NONE || candidate > 4) {
            return 0;
        }
        int from = this == CHANNELS_LAST ? 2 : 1;
        int to = this == CHANNELS_LAST ? rank : rank - 1;
        for (int axis = from; axis < to; axis++) {
            int size = input.get(axis);
            if (size == Shape.NONE || size <= 4 * candidate) {
                return 0;
            }
        }
        return candidate;
    }

    private static String permuteToLast(int rank) {
        StringBuilder dims = new StringBuilder();
        for (int i = 2; i < rank; i++) {
            dims.append(i).append(", ");
        }
        return dims.append(1).toString();
    }

    private static String permuteToFirst(int rank) {
        StringBuilder dims = new StringBuilder().append(rank - 1);
        for (int i = 1; i < rank - 1; i++) {
            dims.append(", ").append(i);
        }
        return dims.toString();
    }

    @Override
    public String toString() {
        return kerasName;
    }
}
