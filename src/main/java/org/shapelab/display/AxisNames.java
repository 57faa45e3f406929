package org.shapelab.display;

import java.util.ArrayList;
import java.util.List;

import org.shapelab.layers.BaseConv;
import org.shapelab.layers.BasePooling;
import org.shapelab.layers.BaseRNN;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Embedding;
import org.shapelab.layers.Flatten;
import org.shapelab.layers.GlobalPooling;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Permute;
import org.shapelab.layers.Reshape;
import org.shapelab.layers.TimeDistributed;
import org.shapelab.model.Sequential;
import org.shapelab.shape.DataFormat;

/**
 * What each axis of a model's shapes means, in the words Keras's documentation uses: {@code batch, rows,
 * cols, channels} for images (in the layer's data format), {@code batch, length, channels} for 1D
 * convolution, {@code batch, timesteps, features} for sequences. The model input is named by what its
 * first layer reads; every output by the layer that writes it. {@code null} where no name fits (e.g.
 * after a Reshape to a rank no layer explains).
 */
final class AxisNames {

    static final String BATCH = "batch";
    static final String UNITS = "units";

    private AxisNames() {
    }

    /** Element 0 names the model input's axes, element i + 1 the output axes of layer i; entries may be null. */
    static List<List<String>> along(Sequential model) {
        List<List<String>> names = new ArrayList<>();
        List<Layer> layers = model.layers();
        List<String> current = layers.isEmpty() ? null
                : fit(reads(layers.get(0), model.inputShape().rank()), model.inputShape().rank());
        names.add(current);
        for (Layer layer : layers) {
            current = fit(writes(layer, current), layer.outputShape().rank());
            names.add(current);
        }
        return names;
    }

    /** The names of the axes a layer reads when it is the first, or null. */
    static List<String> ofInput(Layer first, int rank) {
        return fit(reads(first, rank), rank);
    }

    /** The names of a layer's output axes, given those of its input (which may be null), or null. */
    static List<String> ofOutput(Layer layer, List<String> in) {
        return fit(writes(layer, in), layer.outputShape().rank());
    }

    /** The axes a layer reads, as its documentation names them; null if it reads any shape. */
    private static List<String> reads(Layer layer, int rank) {
        if (layer instanceof BaseConv<?> conv) {
            return spatial(spatialRank(layer), conv.dataFormat());
        }
        if (layer instanceof BasePooling<?> pooling) {
            return spatial(spatialRank(layer), pooling.dataFormat());
        }
        if (layer instanceof GlobalPooling<?> pooling) {
            return spatial(spatialRank(layer), pooling.dataFormat());
        }
        if (layer instanceof BaseRNN<?>) {
            return List.of(BATCH, "timesteps", "features");
        }
        if (layer instanceof Embedding) {
            return List.of(BATCH, "timesteps");
        }
        if (layer instanceof Dense && rank == 2) {
            return List.of(BATCH, "features");
        }
        if (layer instanceof TimeDistributed wrapper) {
            List<String> step = reads(wrapper.layer(), rank - 1);
            return step == null ? null : withTimesteps(step);
        }
        return null;
    }

    /** The axes a layer writes, given the names of the axes it reads (which may be null). */
    private static List<String> writes(Layer layer, List<String> in) {
        int rank = layer.outputShape().rank();
        if (layer instanceof BaseConv<?> || layer instanceof BasePooling<?>) {
            return reads(layer, rank);
        }
        if (layer instanceof GlobalPooling<?> pooling) {
            return pooling.keepdims() ? reads(layer, rank) : List.of(BATCH, "channels");
        }
        if (layer instanceof BaseRNN<?> rnn) {
            // Keras's documentation calls what an RNN or a Dense layer writes "units"; what it reads, "features"
            return rnn.returnSequences() ? List.of(BATCH, "timesteps", UNITS) : List.of(BATCH, UNITS);
        }
        if (layer instanceof Embedding) {
            return List.of(BATCH, "timesteps", "features");
        }
        if (layer instanceof Flatten || (layer instanceof Reshape && rank == 2)) {
            return List.of(BATCH, "features");
        }
        if (layer instanceof Reshape) {
            return null;
        }
        if (layer instanceof Dense) {
            if (in == null) {
                return rank == 2 ? List.of(BATCH, UNITS) : null;
            }
            List<String> out = new ArrayList<>(in);
            out.set(out.size() - 1, UNITS);
            return out;
        }
        if (layer instanceof Permute permute) {
            if (in == null) {
                return null;
            }
            List<String> out = new ArrayList<>();
            out.add(BATCH);
            for (int axis : permute.dims()) {
                out.add(in.get(axis));
            }
            return out;
        }
        if (layer instanceof TimeDistributed wrapper) {
            List<String> stepIn = in == null ? null : withoutTimesteps(in);
            List<String> stepOut = fit(writes(wrapper.layer(), stepIn), wrapper.layer().outputShape().rank());
            return stepOut == null ? null : withTimesteps(stepOut);
        }
        // Dropout, Activation, BatchNormalization, ...: shape in = shape out, and so are the names.
        return in;
    }

    private static int spatialRank(Layer layer) {
        return layer.kerasClassName().endsWith("1D") ? 1 : 2;
    }

    private static List<String> spatial(int spatialRank, DataFormat format) {
        List<String> names = new ArrayList<>();
        names.add(BATCH);
        if (format == DataFormat.CHANNELS_FIRST) {
            names.add("channels");
        }
        if (spatialRank == 1) {
            names.add("length");
        } else {
            names.add("rows");
            names.add("cols");
        }
        if (format != DataFormat.CHANNELS_FIRST) {
            names.add("channels");
        }
        return names;
    }

    /** {@code (batch, a, b)} as seen per timestep becomes {@code (batch, timesteps, a, b)}. */
    private static List<String> withTimesteps(List<String> step) {
        List<String> names = new ArrayList<>();
        names.add(BATCH);
        names.add("timesteps");
        names.addAll(step.subList(1, step.size()));
        return names;
    }

    private static List<String> withoutTimesteps(List<String> names) {
        List<String> step = new ArrayList<>();
        step.add(BATCH);
        step.addAll(names.subList(Math.min(2, names.size()), names.size()));
        return step;
    }

    /** The names if there is one per axis, else null: a name list that does not fit would mislead. */
    private static List<String> fit(List<String> names, int rank) {
        return names != null && names.size() == rank ? List.copyOf(names) : null;
    }
}
