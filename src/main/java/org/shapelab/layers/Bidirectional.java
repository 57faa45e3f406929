package org.shapelab.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * Keras's {@code Bidirectional(layer, merge_mode="concat")}: the recurrent layer reads the sequence forwards and a
 * copy of it (its own weights, {@code go_backwards} flipped) reads it backwards; their outputs are joined. With
 * {@code concat} the features axis doubles, {@code (None, 2·units)}; {@code sum}, {@code mul} and {@code ave} keep
 * it; {@code None} returns both outputs. Parameters are twice the wrapped layer's.
 */
public final class Bidirectional extends Layer {

    /** How the forward and backward outputs are joined. */
    public enum MergeMode {
        CONCAT, SUM, MUL, AVE, NONE;

        /** Keras's string, or null for None. */
        public String kerasName() {
            return this == NONE ? null : name().toLowerCase(Locale.ROOT);
        }

        static MergeMode of(String name) {
            if (name == null || name.equals("None") || name.equals("null")) {
                return NONE;
            }
            for (MergeMode mode : values()) {
                if (name.equals(mode.kerasName())) {
                    return mode;
                }
            }
            throw new ShapeException("Bidirectional: merge_mode=\"" + name + "\" is not one of Keras's modes:"
                    + " \"concat\", \"sum\", \"mul\", \"ave\" or None (both outputs).");
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BaseRNN<?> forward;
    private final BaseRNN<?> backward;
    private final boolean customBackward;
    private final MergeMode mergeMode;

    public Bidirectional(Layer layer) {
        this(layer, MergeMode.CONCAT);
    }

    public Bidirectional(Layer layer, String mergeMode) {
        this(layer, MergeMode.of(mergeMode));
    }

    public Bidirectional(Layer layer, MergeMode mergeMode) {
        this(layer, mergeMode, null);
    }

    /** With Keras's {@code backward_layer}: a recurrent layer of the same kind with {@code go_backwards} true. */
    public Bidirectional(Layer layer, MergeMode mergeMode, Layer backwardLayer) {
        this.forward = recurrent(layer, "layer");
        this.mergeMode = mergeMode == null ? MergeMode.NONE : mergeMode;
        this.customBackward = backwardLayer != null;
        this.backward = customBackward ? recurrent(backwardLayer, "backward_layer") : reversedCopy(forward);
        if (forward.returnSequences() != backward.returnSequences() || forward.returnState() != backward.returnState()
                || forward.units() != backward.units() && this.mergeMode != MergeMode.CONCAT
                && this.mergeMode != MergeMode.NONE) {
            throw optionError("backward_layer", backward.kerasClassName(), "it must match the forward layer's"
                    + " return_sequences and return_state" + (this.mergeMode == MergeMode.CONCAT ? "" : " and units"));
        }
        if (backward.goBackwards() == forward.goBackwards()) {
            throw optionError("backward_layer", backward.kerasClassName(), "its go_backwards must be the opposite of the"
                    + " forward layer's (Keras: \"Forward layer and backward layer should have different"
                    + " `go_backwards` value\")");
        }
    }

    private BaseRNN<?> recurrent(Layer layer, String option) {
        if (!(layer instanceof BaseRNN<?> rnn)) {
            throw new ShapeException("Bidirectional wraps a recurrent layer (SimpleRNN, LSTM or GRU), but " + option
                    + " is " + (layer == null ? "null" : layer.describe()) + ": only a recurrent layer reads a"
                    + " sequence in an order that can be reversed (Keras 3 fails when it copies the layer backwards:"
                    + " \"could not be deserialized properly\"). Fix: new Bidirectional(new LSTM(16)); for a layer"
                    + " applied to each step on its own, use TimeDistributed.");
        }
        if (layer.isBuilt()) {
            throw optionError(option, layer.describe(), "that layer is already part of a model; wrap a new layer");
        }
        return rnn;
    }

    /** The backward copy Keras makes: the same config with go_backwards flipped, named backward_... by naming. */
    private static BaseRNN<?> reversedCopy(BaseRNN<?> layer) {
        Map<String, Object> config = new LinkedHashMap<>(layer.getConfig());
        config.remove("name");
        config.put("go_backwards", !layer.goBackwards());
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("class_name", layer.kerasClassName());
        entry.put("config", config);
        JsonNode node = MAPPER.valueToTree(entry);
        return (BaseRNN<?>) KerasLayers.read(node, "Bidirectional's backward copy");
    }

    public BaseRNN<?> forwardLayer() {
        return forward;
    }

    public BaseRNN<?> backwardLayer() {
        return backward;
    }

    public MergeMode mergeMode() {
        return mergeMode;
    }

    /** The layers the user made, named as any other; Keras's own backward copy is named after the forward one. */
    @Override
    public List<Layer> innerLayers() {
        return customBackward ? List.of(forward, backward) : List.of(forward);
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        return computeOutputShapes(List.of(input)).get(0);
    }

    @Override
    protected List<Shape> computeOutputShapes(List<Shape> inputs) {
        int states = forward.stateCount();
        List<Shape> forwardInputs = new ArrayList<>();
        List<Shape> backwardInputs = new ArrayList<>();
        forwardInputs.add(inputs.get(0));
        backwardInputs.add(inputs.get(0));
        if (inputs.size() > 1) {
            if (inputs.size() != 1 + 2 * states) {
                throw new ShapeException("Layer " + describe() + " takes initial states for both directions: "
                        + 2 * states + " tensors (" + forward.stateNames() + " forward, then backward), but got "
                        + (inputs.size() - 1) + ". Fix: pass the forward states and then the backward ones.");
            }
            forwardInputs.addAll(inputs.subList(1, 1 + states));
            backwardInputs.addAll(inputs.subList(1 + states, inputs.size()));
        }
        List<Shape> forwardOut;
        List<Shape> backwardOut;
        if (!forward.isBuilt()) {
            if (!customBackward && backward.name() == null && forward.name() != null) {
                backward.name("backward_" + forward.name());
            }
            forward.build(forwardInputs, List.of("the input of " + describe()));
            backward.build(backwardInputs, List.of("the input of " + describe()));
            forwardOut = forward.outputShapes();
            backwardOut = backward.outputShapes();
        } else {
            forwardOut = forward.computeOutputShapes(forwardInputs);
            backwardOut = backward.computeOutputShapes(backwardInputs);
        }
        Shape f = forwardOut.get(0);
        Shape b = backwardOut.get(0);
        List<Shape> outputs = new ArrayList<>();
        switch (mergeMode) {
            case CONCAT -> outputs.add(f.with(-1, f.get(-1) + b.get(-1)));
            case NONE -> {
                outputs.add(f);
                outputs.add(b);
            }
            default -> outputs.add(f);
        }
        outputs.addAll(forwardOut.subList(1, forwardOut.size()));
        outputs.addAll(backwardOut.subList(1, backwardOut.size()));
        return outputs;
    }

    @Override
    protected List<WeightSpec> buildWeights(Shape input) {
        List<WeightSpec> specs = new ArrayList<>();
        for (WeightSpec spec : forward.weights()) {
            specs.add(new WeightSpec("forward_" + spec.name(), spec.shape(), spec.trainable(), spec.initializer()));
        }
        for (WeightSpec spec : backward.weights()) {
            specs.add(new WeightSpec("backward_" + spec.name(), spec.shape(), spec.trainable(), spec.initializer()));
        }
        return specs;
    }

    @Override
    public String paramFormula() {
        long half = forward.countParams();
        return customBackward ? forward.countParams() + " + " + backward.countParams() + " = " + countParams()
                : "2·" + half + " = " + countParams();
    }

    @Override
    protected long computeMultiplyAdds(Shape input, Shape output) {
        long f = forward.multiplyAdds();
        long b = backward.multiplyAdds();
        return f < 0 || b < 0 ? -1 : f + b;
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("layer", wrapped(forward));
        config.put("merge_mode", mergeMode.kerasName());
        if (customBackward) {
            config.put("backward_layer", wrapped(backward));
        }
    }

    private static Map<String, Object> wrapped(Layer layer) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("class_name", layer.kerasClassName());
        entry.put("config", layer.getConfig());
        return entry;
    }

    static Bidirectional fromConfig(LayerConfig c) {
        Layer layer = c.getLayer("layer");
        Layer backward = c.has("backward_layer") ? c.getLayer("backward_layer") : null;
        String mode = c.isNull("merge_mode") ? null : c.getString("merge_mode", "concat");
        return new Bidirectional(layer, MergeMode.of(mode), backward);
    }
}
