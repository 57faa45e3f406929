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

    private static volatile DataFormat imageDataFormat = CHANNELS_LAST;

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

    /** Changes the default for layers created from now on, as {@code keras.config.set_image_data_format}. */
    public static void setImageDataFormat(DataFormat format) {
        if (format == null) {
            throw new ShapeException("setImageDataFormat needs CHANNELS_LAST or CHANNELS_FIRST, not null.");
        }
        imageDataFormat = format;
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
     * If a summary or array shape looks like the other data format (a small axis where this format expects a
     * spatial axis, a large one where it expects channels), a sentence saying so; otherwise null.
     */
    public String swapHint(Shape input) {
        int rank = input.rank();
        if (rank < 3) {
            return null;
        }
        int first = input.get(1);
        int last = input.get(-1);
        boolean channelsLookFirst = first != Shape.NONE && first <= 4 && last != Shape.NONE && last > 4 * first
                && this == CHANNELS_LAST;
        boolean channelsLookLast = last != Shape.NONE && last <= 4 && first != Shape.NONE && first > 4 * last
                && this == CHANNELS_FIRST;
        if (channelsLookFirst) {
            return input + " looks like channels_first data (" + first + " channels first), but this layer reads "
                    + "channels_last, so it sees " + last + " channels. If so, set dataFormat(\"channels_first\") on"
                    + " the layer (or DataFormat.setImageDataFormat(DataFormat.CHANNELS_FIRST) before building), or"
                    + " move the channels last with permute(" + permuteToLast(rank) + ").";
        }
        if (channelsLookLast) {
            return input + " looks like channels_last data (" + last + " channels last), but this layer reads "
                    + "channels_first, so it sees " + first + " channels. If so, set dataFormat(\"channels_last\") on"
                    + " the layer, or move the channels first with permute(" + permuteToFirst(rank) + ").";
        }
        return null;
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
