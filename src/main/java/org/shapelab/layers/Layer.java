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

    /** Counts layer calls, so that a functional model can name its layers in the order they were called. */
    private static final java.util.concurrent.atomic.AtomicLong CALLS = new java.util.concurrent.atomic.AtomicLong();

    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

    private String name;
    private Shape declaredInputShape;
    private List<Shape> inputShapes;
    private List<Shape> outputShapes;
    private List<WeightSpec> weights = List.of();
    private List<String> inputOrigins;
    /** Every call of this layer on tensors (Keras's inbound nodes); empty for a layer added to a Sequential. */
    private final List<Node> nodes = new ArrayList<>();

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
        return outputShapes != null;
    }

    /** The summary shape this layer reads, e.g. {@code (None, 28, 28, 1)}; a merge's first input. */
    public final Shape inputShape() {
        requireBuilt("inputShape()");
        return inputShapes.get(0);
    }

    /** The summary shape this layer produces, e.g. {@code (None, 26, 26, 32)}; the first of several outputs. */
    public final Shape outputShape() {
        requireBuilt("outputShape()");
        return outputShapes.get(0);
    }

    /** Every input the layer was built on: one, or a merge's several (an RNN's initial states come after x). */
    public final List<Shape> inputShapes() {
        requireBuilt("inputShapes()");
        return inputShapes;
    }

    /** Every output: one, or several ({@code return_state}: output and states; Bidirectional without merge). */
    public final List<Shape> outputShapes() {
        requireBuilt("outputShapes()");
        return outputShapes;
    }

    /** The calls of this layer on tensors, in order (a shared layer has several), as Keras's inbound nodes. */
    public final List<Node> nodes() {
        return List.copyOf(nodes);
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
        return computeMultiplyAdds(inputShapes.get(0), outputShapes.get(0));
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
        return isBuilt() ? describe() + " " + shapes(inputShapes) + " -> " + shapes(outputShapes) + ", " + countParams()
                + " params"
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
        build(List.of(input), List.of(origin));
    }

    /** {@link #build(Shape, String)} for a layer called on several tensors (a merge, an RNN with states). */
    public final void build(List<Shape> inputs, List<String> origins) {
        requireUnbuilt("build");
        List<Shape> summaries = summaries(inputs);
        this.inputOrigins = origins;
        try {
            List<Shape> outputs = fixedBatch(summaries, computeOutputShapes(summaries));
            List<WeightSpec> specs = List.copyOf(buildWeights(summaries));
            this.inputShapes = summaries;
            this.weights = specs;
            this.outputShapes = outputs;
        } finally {
            this.inputOrigins = null;
        }
    }

    /**
     * Keras's layer call on symbolic tensors, {@code Dense(8)(x)}: builds the layer on the first call and records
     * the call as a node of the graph a functional model is made of. A layer called again is shared: the same
     * weights, so the new inputs must fit them.
     *
     * @return the layer's output tensor
     * @throws ShapeException if the layer cannot take these tensors, or it has several outputs (use
     *                        {@link #applyAll})
     */
    public Tensor apply(Tensor... inputs) {
        List<Tensor> outputs = applyAll(inputs);
        if (outputs.size() != 1) {
            throw new ShapeException("Layer " + describe() + " returns " + outputs.size() + " tensors " + shapes(outputs)
                    + ", so apply(...) cannot give just one. Fix: List<Tensor> outputs = layer.applyAll(...), as"
                    + " Python's `output, *states = layer(x)`.");
        }
        return outputs.get(0);
    }

    /** {@link #apply}, giving every output of the layer (return_state: the output, then the states). */
    public List<Tensor> applyAll(Tensor... inputs) {
        if (inputs == null || inputs.length == 0) {
            throw new ShapeException("Layer " + describe() + " needs an input tensor, e.g. layer.apply(x) with"
                    + " Tensor x = Input.shape(10); got none.");
        }
        List<Shape> shapes = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new ShapeException("Layer " + describe() + ": input " + i + " is null. Pass tensors made by"
                        + " Input.shape(...) or by applying a layer.");
            }
            shapes.add(inputs[i].shape());
            origins.add(inputs[i].origin());
        }
        List<Shape> outputs;
        if (!isBuilt()) {
            build(shapes, origins);
            outputs = outputShapes;
        } else if (nodes.isEmpty()) {
            throw new ShapeException("Layer " + describe() + " is already part of a Sequential model, so it cannot also"
                    + " be called on tensors. Fix: create a new layer for the functional model.");
        } else {
            outputs = sharedCall(summaries(shapes), origins);
        }
        List<Tensor> tensors = new ArrayList<>();
        Node node = new Node(this, nodes.size(), List.of(inputs), tensors, CALLS.incrementAndGet());
        for (int i = 0; i < outputs.size(); i++) {
            tensors.add(new Tensor(outputs.get(i), node, i));
        }
        nodes.add(node);
        return List.copyOf(tensors);
    }

    /** A further call of a built layer: its output shapes for these inputs, which must fit the weights it has. */
    private List<Shape> sharedCall(List<Shape> inputs, List<String> origins) {
        this.inputOrigins = origins;
        try {
            List<Shape> outputs = fixedBatch(inputs, computeOutputShapes(inputs));
            List<WeightSpec> specs = buildWeights(inputs);
            boolean fits = specs.size() == weights.size();
            for (int i = 0; fits && i < specs.size(); i++) {
                fits = Arrays.equals(specs.get(i).shape(), weights.get(i).shape());
            }
            if (!fits) {
                throw inputError(inputs.get(0)).expected(inputShapes.get(0).toString(), Shape.Kind.SUMMARY)
                        .problem("this layer is shared: it was built on " + shapes(inputShapes) + " and keeps the"
                                + " weights made for it, which do not fit " + shapes(inputs) + ".")
                        .fix("call a shared layer only on tensors of the shape it was first called on, or use a new"
                                + " layer for this branch").build();
            }
            return outputs;
        } finally {
            this.inputOrigins = null;
        }
    }

    private static List<Shape> summaries(List<Shape> inputs) {
        List<Shape> summaries = new ArrayList<>();
        for (Shape input : inputs) {
            summaries.add(input.kind() == Shape.Kind.SUMMARY ? input : input.withBatch());
        }
        return List.copyOf(summaries);
    }

    /** A fixed batch size ({@code Input(batch_size=32)}) flows to every output, as in Keras's summaries. */
    private static List<Shape> fixedBatch(List<Shape> inputs, List<Shape> outputs) {
        int batch = Shape.NONE;
        for (Shape input : inputs) {
            batch = Math.max(batch, input.batchSize());
        }
        if (batch == Shape.NONE) {
            return List.copyOf(outputs);
        }
        List<Shape> fixed = new ArrayList<>();
        for (Shape output : outputs) {
            fixed.add(output.withBatchSize(batch));
        }
        return List.copyOf(fixed);
    }

    private static String shapes(List<?> shapesOrTensors) {
        return Shape.listText(shapesOrTensors.stream().map(item -> item instanceof Tensor tensor ? tensor.shape()
                : (Shape) item).toList());
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

    /**
     * The shape rule for a call on several tensors, or with several outputs. By default a layer takes exactly one
     * tensor and gives one; merges and recurrent layers (initial states, return_state) override it.
     */
    protected List<Shape> computeOutputShapes(List<Shape> inputs) {
        if (inputs.size() != 1) {
            throw new ShapeException("Layer " + describe() + " takes one input tensor, but was called on "
                    + inputs.size() + ": " + shapes(inputs) + ". Fix: to combine tensors, merge them first, e.g."
                    + " new Concatenate().apply(a, b) or new Add().apply(a, b), then apply this layer to the result.");
        }
        return List.of(computeOutputShape(inputs.get(0)));
    }

    /** The weights created for this input, in Keras order. */
    protected List<WeightSpec> buildWeights(Shape input) {
        return List.of();
    }

    /** The weights for a call on several tensors; by default those for the first. */
    protected List<WeightSpec> buildWeights(List<Shape> inputs) {
        return buildWeights(inputs.get(0));
    }

    /** Multiply-adds per sample; 0 for layers without weight multiplications. */
    protected long computeMultiplyAdds(Shape input, Shape output) {
        return 0;
    }

    /** Adds the layer's own Keras config keys after name, trainable and dtype. */
    protected abstract void writeConfig(Map<String, Object> config);

    // ---- helpers for subclasses ----

    /** Starts an error about the (first) input this layer is being built on. */
    protected final ShapeException.Builder inputError(Shape received) {
        return inputError(received, 0);
    }

    /** Starts an error about input {@code index} of a call on several tensors (an RNN's initial states). */
    protected final ShapeException.Builder inputError(Shape received, int index) {
        ShapeException.Builder builder = ShapeException.at(describe()).received(received);
        if (inputOrigins != null && index < inputOrigins.size()) {
            builder.receivedFrom(inputOrigins.get(index));
        }
        return builder;
    }

    /**
     * The layer whose output arrives at input {@code index}, as described in messages ({@code "lstm" (LSTM)}), while
     * this layer is being built on it; null for a model input or outside a build.
     */
    protected final String inputLayerDescription(int index) {
        if (inputOrigins == null || index >= inputOrigins.size() || inputOrigins.get(index) == null) {
            return null;
        }
        String origin = inputOrigins.get(index);
        int at = origin.indexOf("of layer ");
        return at < 0 ? null : origin.substring(at + "of layer ".length());
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
