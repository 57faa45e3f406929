package org.shapelab.display;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.shapelab.layers.BaseConv;
import org.shapelab.layers.BasePooling;
import org.shapelab.layers.BaseRNN;
import org.shapelab.layers.Bidirectional;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Embedding;
import org.shapelab.layers.Flatten;
import org.shapelab.layers.GlobalPooling;
import org.shapelab.layers.Layer;
import org.shapelab.shape.DataFormat;

/** The words exercise checks name axes and windows with, as Keras's documentation does. */
final class AnswerWords {

    private AnswerWords() {
    }

    /** {@code axis 1 (rows)}, or {@code axis 1} where no name fits. */
    static String axis(int index, List<String> names) {
        String name = names != null && index < names.size() ? names.get(index) : null;
        return name == null ? "axis " + index : "axis " + index + " (" + name + ")";
    }

    /** The names of a context layer's output axes (or of the model input it reads), batch first; null if unknown. */
    static List<String> axisNames(AnswerCheck.Where where, int rank) {
        if (where.layer == null) {
            return null;
        }
        List<String> names = where.quantity == AnswerCheck.Quantity.INPUT ? reads(where.layer, rank)
                : writes(where.layer, rank);
        return names != null && names.size() == rank ? names : null;
    }

    /** The names of the axes a layer writes; null where they depend on what came before. */
    static List<String> writes(Layer layer, int rank) {
        if (layer instanceof BaseConv<?> conv) {
            return spatial(rank - 2, conv.dataFormat());
        }
        if (layer instanceof BasePooling<?> pooling) {
            return spatial(rank - 2, pooling.dataFormat());
        }
        if (layer instanceof GlobalPooling<?> pooling) {
            return pooling.keepdims() ? spatial(rank - 2, pooling.dataFormat()) : List.of("batch", "channels");
        }
        if (layer instanceof BaseRNN<?> || layer instanceof Bidirectional || layer instanceof Embedding) {
            return rank == 3 ? List.of("batch", "timesteps", "features") : List.of("batch", "features");
        }
        if (layer instanceof Flatten || (layer instanceof Dense && rank == 2)) {
            return List.of("batch", "features");
        }
        if (layer instanceof Dense) {
            List<String> names = new ArrayList<>();
            names.add("batch");
            for (int i = 1; i < rank - 1; i++) {
                names.add(null);
            }
            names.add("features");
            return names;
        }
        return null;
    }

    /** The names of the axes a layer reads. */
    static List<String> reads(Layer layer, int rank) {
        if (layer instanceof BaseConv<?> || layer instanceof BasePooling<?>) {
            return writes(layer, rank);
        }
        if (layer instanceof GlobalPooling<?> pooling) {
            return spatial(rank - 2, pooling.dataFormat());
        }
        if (layer instanceof BaseRNN<?> || layer instanceof Bidirectional) {
            return List.of("batch", "timesteps", "features");
        }
        if (layer instanceof Embedding) {
            return List.of("batch", "timesteps");
        }
        if (layer instanceof Dense) {
            return writes(layer, rank);
        }
        return null;
    }

    private static List<String> spatial(int spatialRank, DataFormat format) {
        if (spatialRank < 1 || spatialRank > 3) {
            return null;
        }
        List<String> names = new ArrayList<>();
        names.add("batch");
        if (format == DataFormat.CHANNELS_FIRST) {
            names.add("channels");
        }
        names.addAll(spatialRank == 1 ? List.of("length") : spatialRank == 2 ? List.of("rows", "cols")
                : List.of("depth", "rows", "cols"));
        if (format != DataFormat.CHANNELS_FIRST) {
            names.add("channels");
        }
        return names;
    }

    /** The data format of the context layer, or null if it has none. */
    static DataFormat format(AnswerCheck.Where where) {
        Layer layer = where.layer;
        if (layer instanceof BaseConv<?> conv) {
            return conv.dataFormat();
        }
        if (layer instanceof BasePooling<?> pooling) {
            return pooling.dataFormat();
        }
        if (layer instanceof GlobalPooling<?> pooling) {
            return pooling.dataFormat();
        }
        return null;
    }

    static String channelForgotten(AnswerCheck.Where where) {
        Layer layer = where.layer;
        if (layer instanceof BaseRNN<?> || layer instanceof Bidirectional || layer instanceof Dense
                || layer instanceof Embedding) {
            return "The features axis (the last) is missing: even a single feature per step is an axis, of size 1.";
        }
        boolean input = where.quantity == AnswerCheck.Quantity.INPUT;
        if (layer instanceof BaseConv<?> && !input) {
            return "The channel axis is missing: a convolution outputs one channel per filter, on an axis of its own.";
        }
        return "The channel axis is missing: even a grayscale image has a channel axis, of size 1"
                + (where.quantity == AnswerCheck.Quantity.NONE ? " (and a sequence a features axis)." : ".");
    }

    /** Channels first and last swapped; {@code yoursFirst}: the learner put them first. */
    static String swapped(AnswerCheck.Where where, boolean yoursFirst, int rank) {
        Layer layer = where.layer;
        if (layer instanceof BaseRNN<?> || layer instanceof Bidirectional || layer instanceof Embedding) {
            return "The time steps and the features are swapped: a sequence is (None, timesteps, features).";
        }
        String spatial = rank == 3 ? "length" : rank == 4 ? "rows, cols" : "...";
        String last = "(None, " + spatial + ", channels)";
        String first = "(None, channels, " + spatial + ")";
        if (format(where) == DataFormat.CHANNELS_FIRST) {
            return "The right sizes, with the channels at the wrong end: this layer is channels_first, " + first
                    + ".";
        }
        if (yoursFirst) {
            return "The right sizes, with the channels first, " + first + ", as PyTorch writes it; Keras's default"
                    + " (channels_last) puts them last: " + last + ".";
        }
        return "The right sizes, with the channels moved to the end; in the expected shape they are first"
                + " (channels_first), " + first + ".";
    }

    /** {@code rows and cols}, {@code the length}, for a window with so many spatial axes. */
    static String spatialWords(int spatialRank) {
        return spatialRank == 1 ? "the length" : spatialRank == 2 ? "rows and cols" : "the spatial axes";
    }

    /** {@code 3x3 kernel}, {@code kernel of 5 steps}, {@code 2x2 pooling window}. */
    static String windowText(int[] size, boolean conv) {
        String what = conv ? "kernel" : "pooling window";
        if (size.length == 1) {
            return what + " of " + size[0] + " steps";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < size.length; i++) {
            text.append(i == 0 ? "" : "x").append(size[i]);
        }
        return text.append(' ').append(what).toString();
    }

    /** {@code halves rows and cols (rounding down)}. */
    static String poolEffect(int[] pool) {
        boolean same = Arrays.stream(pool).allMatch(p -> p == pool[0]);
        String axes = spatialWords(pool.length);
        if (same && pool[0] == 2) {
            return "halves " + axes + " (rounding down)";
        }
        return "divides " + axes + " by the pool size " + tuple(pool) + " (rounding down)";
    }

    /** {@code 2} for {@code [2]} or {@code [2, 2]}, else {@code (2, 3)}. */
    static String tuple(int[] values) {
        boolean same = Arrays.stream(values).allMatch(v -> v == values[0]);
        if (same) {
            return Integer.toString(values[0]);
        }
        return org.shapelab.shape.Shape.tupleText(values);
    }
}
