package org.shapelab.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * A Keras layer: its options, its shape rule and the weights it creates.
 *
 * <p>Configure a layer with its fluent options, then add it to a model; adding builds it on the
 * incoming summary shape (Keras's {@code build}), which fixes its shapes and weights. A built layer
 * cannot be reconfigured or added twice, as in Keras.
 */
public abstract class Layer {

    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

    private String name;
    private Shape declaredInputShape;
    private Shape inputShape;
    private Shape outputShape;
    private List<WeightSpec> weights = List.of();
    private String inputOrigin;

    // ---- options every layer has ----

    /** The layer's name; {@code null} until given here or assigned by the model (Keras auto-naming). */
    public final String name() {
        return name;
    }

    /** Names the layer, as Keras's {@code name=} argument. */
    public Layer name(String newName) {
        requireUnbuilt("name");
        if (newName == null || !VALID_NAME.matcher(newName).matches()) {
            throw new ShapeException("Layer " + describe() + ": the name '" + newName + "' is not valid. Use letters,"
                    + " digits, '_', '.' or '-', e.g. \"hidden_1\".");
        }
        this.name = newName;
        return this;
    }

    /**
     * The shape of one sample, without the batch axis, as Keras's {@code input_shape=(10,)}. Only the
     * first layer of a model needs it; use {@link Shape#NONE} for unknown axes such as timesteps.
     */
    public Layer inputShape(int... sampleDims) {
        requireUnbuilt("inputShape");
        this.declaredInputShape = Shape.sample(sampleDims);
        return this;
    }

    /** The {@code input_shape} given to this layer, if any. */
    public Optional<Shape> declaredInputShape() {
        return Optional.ofNullable(declaredInputShape);
    }

    // ---- what building tells ----

    public final boolean isBuilt() {
        return outputShape != null;
    }

    /** The summary shape this layer reads, e.g. {@code (None, 28, 28, 1)}. */
    public final Shape inputShape() {
        requireBuilt("inputShape()");
        return inputShape;
    }

    /** The summary shape this layer produces, e.g. {@code (None, 26, 26, 32)}. */
    public final Shape outputShape() {
        requireBuilt("outputShape()");
        return outputShape;
    }

    /** The weights this layer owns, in Keras's {@code get_weights()} order. */
    public final List<WeightSpec> weights() {
        requireBuilt("weights()");
        return weights;
    }

    /** Number of scalars in all weights, as Keras's {@code count_params()}. */
    public final long countParams() {
        return weights().stream().mapToLong(WeightSpec::size).sum();
    }

    /** Number of scalars training would change. */
    public final long trainableParams() {
        return weights().stream().filter(WeightSpec::trainable).mapToLong(WeightSpec::size).sum();
    }

    public final long nonTrainableParams() {
        return countParams() - trainableParams();
    }

    /**
     * How the parameter count arises, with numbers filled in, e.g. {@code 3·3·1·32 + 32 = 320}.
     * By default the weights' sizes are added up; layers whose count has a clearer form override it.
     */
    public String paramFormula() {
        List<WeightSpec> specs = weights();
        if (specs.isEmpty()) {
            return "0";
        }
        List<String> terms = new ArrayList<>();
        for (WeightSpec spec : specs) {
            terms.add(product(spec.shape()));
        }
        String sum = String.join(" + ", terms);
        String total = Long.toString(countParams());
        return sum.equals(total) ? sum : sum + " = " + total;
    }

    /** Multiplications (each followed by an add) per sample by the layer's weights; -1 if an axis is None. */
    public final long multiplyAdds() {
        requireBuilt("multiplyAdds()");
        return computeMultiplyAdds(inputShape, outputShape);
    }

    /** Keras's class name, e.g. {@code Conv2D}. */
    public String kerasClassName() {
        return getClass().getSimpleName();
    }

    /** How messages name the layer: {@code "conv2d" (Conv2D)}, or just {@code Conv2D} before it has a name. */
    public final String describe() {
        return name == null ? kerasClassName() : "\"" + name + "\" (" + kerasClassName() + ")";
    }

    /** Keras's {@code get_config()}: the layer's options under their Keras keys, in Keras's order. */
    public final Map<String, Object> getConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("trainable", true);
        config.put("dtype", "float32");
        writeConfig(config);
        return config;
    }

    @Override
    public String toString() {
        return isBuilt() ? describe() + " " + inputShape + " -> " + outputShape + ", " + countParams() + " params"
                : describe() + " (not built)";
    }

    // ---- building (called by the model) ----

    /**
     * Fixes the layer's shapes and weights for the given summary input shape, as Keras's {@code build}.
     *
     * @param input  summary shape arriving at the layer
     * @param origin where it comes from, for messages, e.g. "the output of layer \"flatten\""
     * @throws ShapeException if the layer cannot take this input
     */
    public final void build(Shape input, String origin) {
        requireUnbuilt("build");
        if (input.kind() != Shape.Kind.SUMMARY) {
            input = input.withBatch();
        }
        this.inputOrigin = origin;
        try {
            Shape output = computeOutputShape(input);
            List<WeightSpec> specs = List.copyOf(buildWeights(input));
            this.inputShape = input;
            this.weights = specs;
            this.outputShape = output;
        } finally {
            this.inputOrigin = null;
        }
    }

    /** Gives the layer its automatic name if the user gave none. Called by the model before building. */
    public final void assignNameIfAbsent(String autoName) {
        if (name == null) {
            name = autoName;
        }
    }

    /** The stem of Keras's automatic names: the snake_case class name, e.g. {@code max_pooling2d}. */
    public String autoNamePrefix() {
        return Names.snakeCase(kerasClassName());
    }

    /** Layers wrapped inside this one (TimeDistributed's layer), which need names of their own. */
    public List<Layer> innerLayers() {
        return List.of();
    }

    // ---- what each layer defines ----

    /** The shape rule: the summary output shape for a summary input shape, or a {@link ShapeException}. */
    protected abstract Shape computeOutputShape(Shape input);

    /** The weights created for this input, in Keras order. */
    protected List<WeightSpec> buildWeights(Shape input) {
        return List.of();
    }

    /** Multiply-adds per sample; 0 for layers without weight multiplications. */
    protected long computeMultiplyAdds(Shape input, Shape output) {
        return 0;
    }

    /** Adds the layer's own Keras config keys after name, trainable and dtype. */
    protected abstract void writeConfig(Map<String, Object> config);

    // ---- helpers for subclasses ----

    /** Starts an error about the input this layer is being built on. */
    protected final ShapeException.Builder inputError(Shape received) {
        ShapeException.Builder builder = ShapeException.at(describe()).received(received);
        if (inputOrigin != null) {
            builder.receivedFrom(inputOrigin);
        }
        return builder;
    }

    /** An error about an option value, raised while configuring. */
    protected final ShapeException optionError(String option, Object value, String rule) {
        return new ShapeException("Layer " + describe() + ": " + option + "=" + value + " is not valid: " + rule + ".");
    }

    protected final int positive(String option, int value) {
        if (value <= 0) {
            throw optionError(option, value, option + " must be a positive whole number (1 or more)");
        }
        return value;
    }

    /** Expands an int-or-tuple argument to {@code rank} positive values, as Keras's {@code standardize_tuple}. */
    protected final int[] tuple(String option, int[] values, int rank) {
        if (values.length != 1 && values.length != rank) {
            throw optionError(option, Arrays.toString(values), "give one value for all " + rank + " axes or " + rank
                    + " values");
        }
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            out[i] = positive(option, values.length == 1 ? values[0] : values[i]);
        }
        return out;
    }

    protected final void requireUnbuilt(String what) {
        if (isBuilt()) {
            throw new ShapeException("Layer " + describe() + " is already part of a model, so " + what
                    + " cannot change it. Configure a layer before adding it, or create a new layer.");
        }
    }

    private void requireBuilt(String what) {
        if (!isBuilt()) {
            throw new ShapeException("Layer " + describe() + " has no shapes yet: " + what + " is known once the"
                    + " layer is added to a model (which builds it on its input shape).");
        }
    }

    /** {@code 3·3·1·32} for a shape; a single axis prints as its size. */
    protected static String product(int... sizes) {
        StringBuilder text = new StringBuilder();
        for (int size : sizes) {
            if (text.length() > 0) {
                text.append('·');
            }
            text.append(size);
        }
        return text.toString();
    }

    /** {@code [null, 28, 28, 1]}-style list for Keras JSON: {@link Shape#NONE} becomes null. */
    public static List<Integer> sizesForJson(int[] sizes) {
        List<Integer> out = new ArrayList<>();
        for (int size : sizes) {
            out.add(size == Shape.NONE ? null : size);
        }
        return out;
    }

    protected static List<Integer> listOf(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
