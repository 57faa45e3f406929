package org.shapelab.compute;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.BaseRNN;
import org.shapelab.layers.Input;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Node;
import org.shapelab.layers.Tensor;
import org.shapelab.layers.WeightSpec;
import org.shapelab.model.Functional;
import org.shapelab.model.Model;
import org.shapelab.model.Sequential;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * Runs a {@link Sequential} model on ND4J, with Keras's numbers: {@code predict} equals Keras's
 * {@code model.predict} for the same weights.
 *
 * <pre>{@code
 * Sequential model = Sequential.input(10).dense(32, "relu").dense(1, "sigmoid");
 * ModelRuntime runtime = ModelRuntime.of(model);
 * INDArray y = runtime.predict(x);          // x: (300, 10) -> y: (300, 1)
 * System.out.println(runtime.trace(x));     // every layer's array shapes
 * }</pre>
 *
 * <p><b>One runtime per model.</b> {@link #of} returns a handle on the model's single runtime state: every
 * handle of the same model shares its weights and seed. The state lives as long as the model and tracks it:
 * layers added later get weights on first use.
 *
 * <p><b>Weights</b> are float32 arrays in Keras layouts and {@code get_weights()} order (Dense kernel
 * {@code [in, units]}, Conv2D kernel {@code [kh, kw, in, filters]}, LSTM gates i, f, c, o, ...). Until set, a
 * layer's weights are drawn on first use with Keras's default initializers (glorot_uniform kernels, orthogonal
 * recurrent kernels, zero biases with LSTM's forget-gate slice at 1, BatchNormalization gamma 1, beta 0,
 * moving mean 0 and variance 1, Embedding uniform in [-0.05, 0.05]) from the seed {@value #DEFAULT_SEED}
 * or the one given to {@link #seed(long)}. The same seed gives the same weights (not Keras's numbers, which
 * come from another generator).
 *
 * <p><b>Input</b> is batch first. Before computing, the array is checked against the model's declared input
 * (None axes accept any length) and a mismatch is explained as a {@link ShapeException}. int and double
 * arrays are converted to float32; NaN and infinity pass through as in Keras. Each layer's output is checked
 * against its shape rule, so a compute bug fails loudly (an {@link IllegalStateException} naming the layer).
 *
 * <p>Methods synchronize on the model's state; {@code predict} keeps its intermediate arrays in a reused ND4J
 * workspace, so repeated calls allocate little beyond the returned array.
 */
public final class ModelRuntime {

    /** The seed a runtime starts with. */
    public static final long DEFAULT_SEED = 42;

    private static final Map<Model, State> STATES = new WeakHashMap<>();

    private static final String WORKSPACE_ID = "shapelab-predict";
    static final WorkspaceConfiguration WORKSPACE = WorkspaceConfiguration.builder()
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyAllocation(AllocationPolicy.OVERALLOCATE).overallocationLimit(0.3)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    private static final Pattern POSITIONAL = Pattern.compile("arr_(\\d+)");

    /** A model's weights and kernels, keyed by layer. It never refers to the model, so models can be collected. */
    private static final class State {
        long seed = DEFAULT_SEED;
        /** Counts replacements of weight arrays (set, loaded, seeded): a training pass on older arrays is stale. */
        long weightArrays;
        final Map<Layer, List<INDArray>> weights = new IdentityHashMap<>();
        final Map<Layer, Computation> kernels = new IdentityHashMap<>();
        /** Computations of a shared layer's later calls (node 1, 2, ...): each call keeps its own reused arrays. */
        final Map<Node, Computation> nodeKernels = new IdentityHashMap<>();
        /** The final states of stateful recurrent layers, the next batch's initial states (outside workspaces). */
        final Map<Layer, INDArray[]> recurrentStates = new IdentityHashMap<>();
    }

    private final Model model;
    private final State state;

    private ModelRuntime(Model model, State state) {
        this.model = model;
        this.state = state;
    }

    /** The runtime of this model (loads ND4J on first use). */
    public static ModelRuntime of(Model model) {
        if (model == null) {
            throw new ShapeException("ModelRuntime.of needs a model, e.g. ModelRuntime.of(Sequential.input(10)"
                    + ".dense(1)); got null.");
        }
        Nd4jRuntime.ensureLoaded();
        synchronized (STATES) {
            return new ModelRuntime(model, STATES.computeIfAbsent(model, m -> new State()));
        }
    }

    /**
     * Draws every weight again with Keras's default initializers from this seed (weights set or loaded
     * before are replaced).
     */
    public ModelRuntime seed(long seed) {
        synchronized (state) {
            state.seed = seed;
            state.weights.clear();
            state.kernels.clear();
            state.nodeKernels.clear();
            state.recurrentStates.clear();
            state.weightArrays++;
        }
        return this;
    }

    /** Forgets every stateful layer's states (Keras's {@code reset_states()}): the next batch starts from zeros. */
    public void resetStates() {
        synchronized (state) {
            state.recurrentStates.clear();
        }
    }

    private Sequential sequential(String verb) {
        if (model instanceof Sequential sequential) {
            return sequential;
        }
        throw new ShapeException(verb + " of one array is for Sequential models; model \"" + model.name() + "\" is"
                + " functional. Fix: model.predict(x1, x2, ...) with one array per input, which returns a list with one"
                + " array per output.");
    }

    // ---- forward pass ----

    /**
     * The model's output for a batch, batch axis first, as a new float32 array.
     *
     * @throws ShapeException if the array does not fit the model's declared input
     */
    public INDArray predict(INDArray batch) {
        synchronized (state) {
            List<Layer> layers = List.copyOf(model.layers());
            checkInput(batch, layers, "predict");
            // The caller gets a copy of the last layer's reused output. Letting the last layer write a new array
            // instead saves the copy but re-binds new arrays to its ops on every call: measured interleaved, it
            // was 7% faster on a (64, 26, 26, 32) output and 18% slower on a one-sample LeNet (0.44 against
            // 0.36 ms), so the simpler way stays. A large copy goes into memory mapped in 2 MB pages (FreshArrays).
            return forwardReusing(layers, batch, result -> outsideWorkspaces(() -> FreshArrays.copyOf(result)));
        }
    }

    /**
     * {@link #predict(INDArray)} into an array the caller owns, as NumPy's {@code out=}: nothing is allocated, so
     * a loop that predicts batch after batch of one shape costs only the computation. {@code out} must have the
     * result's shape (the batch size first) and be float32; it may be read and kept as long as needed, and is
     * overwritten by the next call that gets it. Returns {@code out}.
     *
     * @throws ShapeException if the batch does not fit the model, or {@code out} does not fit the result
     */
    public INDArray predict(INDArray batch, INDArray out) {
        synchronized (state) {
            List<Layer> layers = List.copyOf(model.layers());
            checkInput(batch, layers, "predict");
            if (out == null || out.dataType() != DataType.FLOAT) {
                int[] dims = sequential("predict").outputShape().dims().clone();
                dims[0] = (int) batch.size(0);
                throw new ShapeException("predict(x, out) writes the result into out, which must be a float32 array"
                        + " of the result's shape; got " + (out == null ? "null" : "a " + out.dataType() + " array")
                        + ". Fix: " + createOut(dims) + ", or call predict(x), which returns a new array.");
            }
            return forwardReusing(layers, batch, result -> {
                if (!Arrays.equals(result.shape(), out.shape())) {
                    throw new ShapeException("predict(x, out): out has the shape " + Shape.array(out.shape())
                            + ", but the result for this batch has the shape " + Shape.array(result.shape())
                            + " (the model's output " + sequential("predict").outputShape() + " with the batch size "
                            + batch.size(0) + "). Fix: " + createOut(toInts(result.shape())) + ", or call predict(x).");
                }
                return out.assign(result);
            });
        }
    }

    /** The call that makes a fitting {@code out}; a None axis (known only once computed) is shown as "...". */
    private static String createOut(int[] dims) {
        return "out = Nd4j.create(DataType.FLOAT, " + Shape.tupleText(dims).replaceAll("[()]", "")
                .replace(String.valueOf(Shape.NONE), "...") + ")";
    }

    private static int[] toInts(long[] shape) {
        int[] ints = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            ints[i] = (int) shape[i];
        }
        return ints;
    }

    /**
     * Predicts for samples given as rows of values. Each row is one sample; its values fill the model's sample
     * shape in row-major order, so a row of 784 values is one (28, 28, 1) image, and one None axis is inferred
     * from the row length (a row of 40 values for input (None, 8) is 5 timesteps). Rows that fit no sample
     * shape stay (rows, values) and the input check explains the mismatch.
     */
    public INDArray predict(float[]... rows) {
        checkRows(rows == null ? -1 : rows.length, i -> rows[i] == null ? -1 : rows[i].length);
        return predict(asSamples(Nd4j.create(rows)));
    }

    /** As {@link #predict(float[]...)}, for double values (computed in float32). */
    public INDArray predict(double[]... rows) {
        checkRows(rows == null ? -1 : rows.length, i -> rows[i] == null ? -1 : rows[i].length);
        return predict(asSamples(Nd4j.create(rows).castTo(DataType.FLOAT)));
    }

    /**
     * Predicts for one sample given without a batch axis: its values fill the model's sample shape (see
     * {@link #predict(float[]...)}); the result has a batch axis of size 1.
     */
    public INDArray predict(float[] oneSample) {
        return predict(new float[][] {oneSample});
    }

    /** Runs the batch like {@link #predict(INDArray)} and keeps every layer's input and output array. */
    public Trace trace(INDArray batch) {
        synchronized (state) {
            List<Layer> layers = List.copyOf(model.layers());
            checkInput(batch, layers, "trace");
            List<Computation> kernels = kernels(layers);
            return outsideWorkspaces(() -> {
                INDArray input = toFloat(batch);
                List<Trace.Step> steps = new ArrayList<>();
                INDArray x = input;
                INDArray mask = null;
                // Layer by layer, so that every step's input and output are kept (outputs are new arrays here).
                for (int i = 0; i < layers.size(); i++) {
                    Forwarded step = forward(layers.subList(i, i + 1), kernels.subList(i, i + 1), x, input.size(0), mask);
                    steps.add(new Trace.Step(layers.get(i), x, step.out));
                    x = step.out;
                    mask = step.mask;
                }
                return new Trace(model.name(), input, steps);
            });
        }
    }

    /**
     * Below this many multiply-adds per call a forward pass runs on one thread (NativeOp.onOneThread): a
     * one-sample LeNet (0.4 M) is faster so; a Conv2D on 64 images (12.5 M) is faster on two.
     */
    static final long ONE_THREAD_MAX_MULTIPLY_ADDS = 1L << 22;

    /**
     * The forward pass of predict, in predict's workspace: every layer writes into its reused arrays (or into the
     * workspace, reset on every call), small work runs on one thread, and {@code finish} takes the last layer's
     * output before the workspace closes.
     */
    private <T> T forwardReusing(List<Layer> layers, INDArray batch, Function<INDArray, T> finish) {
        return forwardReusingMasked(layers, batch, forwarded -> finish.apply(forwarded.out));
    }

    /** {@link #forwardReusing}, giving {@code finish} the last layer's mask too. */
    private <T> T forwardReusingMasked(List<Layer> layers, INDArray batch, Function<Forwarded, T> finish) {
        List<Computation> kernels = kernels(layers);
        INDArray input = toFloat(batch);
        long perSample = 0;
        for (Layer layer : layers) {
            long layerWork = layer.multiplyAdds();
            perSample = layerWork < 0 || perSample < 0 ? -1 : perSample + layerWork;
        }
        boolean small = perSample >= 0 && perSample * input.size(0) < ONE_THREAD_MAX_MULTIPLY_ADDS;
        Supplier<Forwarded> work = () -> NativeOp.reusingOutputs(true,
                () -> forward(layers, kernels, input, input.size(0), null));
        MemoryWorkspace workspace = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, WORKSPACE_ID);
        try {
            return finish.apply(small ? NativeOp.onOneThread(work) : work.get());
        } finally {
            workspace.close();
        }
    }

    /**
     * A model's outputs with their Keras masks ({@code (batch, timesteps)} 1s and 0s, or null), as new arrays:
     * what a loss and metrics need, since Keras 3 leaves masked steps out of both.
     */
    public record Prediction(List<INDArray> outputs, List<INDArray> masks) {
    }

    /** Either kind of model's outputs and output masks for one array per input. */
    public Prediction predictWithMasks(INDArray... arrays) {
        synchronized (state) {
            if (model instanceof Functional graph) {
                checkInputs(graph, arrays, "evaluate");
                Map<Node, Computation> kernels = nodeKernels(graph);
                MemoryWorkspace workspace = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, WORKSPACE_ID);
                try {
                    List<INDArray> masks = new ArrayList<>();
                    List<INDArray> outputs = NativeOp.reusingOutputs(true,
                            () -> forwardGraph(graph, kernels, arrays, null, masks));
                    return outsideWorkspaces(() -> new Prediction(copies(outputs), copies(masks)));
                } finally {
                    workspace.close();
                }
            }
            List<Layer> layers = List.copyOf(model.layers());
            checkInput(arrays[0], layers, "evaluate");
            return forwardReusingMasked(layers, arrays[0], forwarded -> outsideWorkspaces(() -> new Prediction(
                    List.of(forwarded.out.dup('c')), java.util.Collections.singletonList(
                    forwarded.mask == null ? null : forwarded.mask.dup('c')))));
        }
    }

    /** An array and its Keras mask after some layers. */
    private record Forwarded(INDArray out, INDArray mask) {
    }

    private Forwarded forward(List<Layer> layers, List<Computation> kernels, INDArray x, long batch, INDArray mask) {
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            Computation kernel = kernels.get(i);
            INDArray out;
            INDArray nextMask;
            try {
                List<INDArray> inputs = List.of(x);
                List<INDArray> masks = java.util.Collections.singletonList(mask);
                out = call(layer, kernel, inputs, masks).get(0);
                nextMask = kernel.outputMasks(inputs, masks).get(0);
            } catch (RuntimeException e) {
                throw internalError(layer, x, e);
            }
            checkOutput(layer, out, batch);
            x = out;
            mask = nextMask;
        }
        return new Forwarded(x, mask);
    }

    /**
     * One layer call. A stateful recurrent layer starts from the states the previous batch left (zeros after
     * {@link #resetStates()}) unless initial states are given, and leaves its final states for the next batch.
     */
    private List<INDArray> call(Layer layer, Computation kernel, List<INDArray> inputs, List<INDArray> masks) {
        if (layer instanceof BaseRNN<?> rnn && rnn.stateful() && kernel instanceof RecurrentComputation recurrent) {
            INDArray[] initial = inputs.size() > 1 ? inputs.subList(1, inputs.size()).toArray(INDArray[]::new)
                    : state.recurrentStates.get(layer);
            INDArray[] all = recurrent.forwardWithStates(inputs.get(0), masks.get(0), initial);
            INDArray[] kept = outsideWorkspaces(() -> {
                INDArray[] copies = new INDArray[all.length - 1];
                for (int i = 1; i < all.length; i++) {
                    copies[i - 1] = all[i].dup('c');
                }
                return copies;
            });
            state.recurrentStates.put(layer, kept);
            return rnn.returnState() ? List.of(all) : List.of(all[0]);
        }
        return kernel.forwardAll(inputs, masks);
    }

    /** A stateful layer continues row i of the last batch in row i of this one, so the batch size is fixed. */
    private static void checkStatefulBatch(Layer layer, long[] array, String verb) {
        long batch = array[0];
        if (layer instanceof BaseRNN<?> rnn && rnn.stateful() && layer.inputShape().batchSize() != batch) {
            int fixed = layer.inputShape().batchSize();
            throw ShapeException.at(layer.describe()).expected(layer.inputShape().toString(), Shape.Kind.SUMMARY)
                    .received(Shape.array(array)).receivedFrom("the array given to " + verb)
                    .problem("the layer is stateful: sample i of each batch continues sample i of the batch before, so"
                            + " every batch must have exactly " + fixed + " samples, but this one has " + batch + " (Keras:"
                            + " \"If an RNN is stateful, the batch size of the input sequences must be the same as the"
                            + " batch size of the initial state. - Expected batch size: " + fixed + " - Received batch"
                            + " size: " + batch + "\").")
                    .fix("pass batches of " + fixed + " samples (split a long series into chunks of " + fixed
                            + " rows), or declare the batch size your data has: Input...batchSize(" + batch + ")")
                    .build();
        }
    }

    // ---- functional models ----

    /**
     * A functional model's outputs for one array per input (batch first, one batch size), as new arrays in the
     * order of the model's outputs.
     */
    public List<INDArray> predictAll(INDArray... arrays) {
        synchronized (state) {
            Functional graph = functional("predict");
            checkInputs(graph, arrays, "predict");
            List<Layer> layers = List.copyOf(graph.layers());
            Map<Node, Computation> kernels = nodeKernels(graph);
            MemoryWorkspace workspace = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, WORKSPACE_ID);
            try {
                List<INDArray> outputs = NativeOp.reusingOutputs(true, () -> forwardGraph(graph, kernels, arrays, null));
                return outsideWorkspaces(() -> outputs.stream().map(FreshArrays::copyOf).toList());
            } finally {
                workspace.close();
            }
        }
    }

    /**
     * A functional model's forward pass keeping every layer call's first input and first output (a shared layer has
     * a step per call), in the order the calls run.
     */
    public Trace traceAll(INDArray... arrays) {
        synchronized (state) {
            Functional graph = functional("trace");
            checkInputs(graph, arrays, "trace");
            Map<Node, Computation> kernels = nodeKernels(graph);
            return outsideWorkspaces(() -> {
                List<Trace.Step> steps = new ArrayList<>();
                forwardGraph(graph, kernels, arrays, steps);
                return new Trace(graph.name(), toFloat(arrays[0]), steps);
            });
        }
    }

    /** A functional model's arrays checked as predict checks them (for training's forward pass). */
    void checkGraphBatch(List<INDArray> arrays, String verb) {
        checkInputs(functional(verb), arrays.toArray(INDArray[]::new), verb);
    }

    private Functional functional(String verb) {
        if (model instanceof Functional functional) {
            return functional;
        }
        throw new IllegalStateException(verb + " of several arrays is for functional models");
    }

    /** Runs every layer call in order; a tensor's array (and mask) is kept until the calls reading it are done. */
    private List<INDArray> forwardGraph(Functional graph, Map<Node, Computation> kernels, INDArray[] arrays,
                                        List<Trace.Step> steps) {
        return forwardGraph(graph, kernels, arrays, steps, null);
    }

    /** @param modelOutputMasks if not null, gets each model output's mask (or null) */
    private List<INDArray> forwardGraph(Functional graph, Map<Node, Computation> kernels, INDArray[] arrays,
                                        List<Trace.Step> steps, List<INDArray> modelOutputMasks) {
        Map<Tensor, INDArray> values = new IdentityHashMap<>();
        Map<Tensor, INDArray> masks = new IdentityHashMap<>();
        long batch = arrays[0].size(0);
        for (int i = 0; i < arrays.length; i++) {
            values.put(graph.inputs().get(i), toFloat(arrays[i]));
        }
        for (Node node : graph.nodes()) {
            List<INDArray> inputs = new ArrayList<>();
            List<INDArray> inputMasks = new ArrayList<>();
            for (Tensor tensor : node.inputs()) {
                inputs.add(values.get(tensor));
                inputMasks.add(masks.get(tensor));
            }
            Computation kernel = kernels.get(node);
            List<INDArray> outputs;
            List<INDArray> outputMasks;
            try {
                outputs = call(node.layer(), kernel, inputs, inputMasks);
                outputMasks = kernel.outputMasks(inputs, inputMasks);
            } catch (RuntimeException e) {
                throw internalError(node.layer(), inputs.get(0), e);
            }
            if (steps != null) {
                steps.add(new Trace.Step(node.layer(), inputs.get(0), outputs.get(0)));
            }
            for (int i = 0; i < node.outputs().size(); i++) {
                Tensor tensor = node.outputs().get(i);
                checkOutput(node.layer(), tensor.shape(), outputs.get(i), batch);
                values.put(tensor, outputs.get(i));
                if (i < outputMasks.size() && outputMasks.get(i) != null) {
                    masks.put(tensor, outputMasks.get(i));
                }
            }
        }
        List<INDArray> results = new ArrayList<>();
        for (Tensor output : graph.outputs()) {
            results.add(values.get(output));
            if (modelOutputMasks != null) {
                modelOutputMasks.add(masks.get(output));
            }
        }
        return results;
    }

    private void checkInputs(Functional graph, INDArray[] arrays, String verb) {
        List<Input> inputs = graph.inputs();
        if (arrays == null || arrays.length != inputs.size()) {
            List<String> wanted = new ArrayList<>();
            for (Input input : inputs) {
                wanted.add("\"" + graph.inputName(input) + "\" " + input.shape());
            }
            throw new ShapeException("Model \"" + graph.name() + "\" has " + inputs.size() + " input"
                    + (inputs.size() == 1 ? "" : "s") + " (" + String.join(", ", wanted) + "), but " + verb + " got "
                    + (arrays == null ? "none" : arrays.length + " array" + (arrays.length == 1 ? "" : "s"))
                    + " (Keras: \"Layer \"" + graph.name() + "\" expects " + inputs.size() + " input(s), but it received "
                    + (arrays == null ? 0 : arrays.length) + " input tensors\"). Fix: model." + verb + "("
                    + String.join(", ", inputs.stream().map(graph::inputName).toList()) + ") with one array per input, in"
                    + " this order, each with the batch axis first.");
        }
        for (int i = 0; i < arrays.length; i++) {
            Input input = inputs.get(i);
            if (arrays[i] == null) {
                throw new ShapeException(verb + ": the array for input \"" + graph.inputName(input) + "\" " + input.shape()
                        + " is null.");
            }
            Layer reader = firstReader(graph, input);
            if (!InputCheck.fits(input.shape().dims(), arrays[i].shape())) {
                for (int j = 0; j < inputs.size(); j++) {
                    if (j != i && InputCheck.fits(inputs.get(j).shape().dims(), arrays[i].shape())) {
                        throw ShapeException.at(reader != null ? reader.describe() : "(model input)")
                                .expected(input.shape().toString(), Shape.Kind.SUMMARY)
                                .received(Shape.array(arrays[i].shape()))
                                .receivedFrom("array " + i + " given to " + verb)
                                .problem("array " + i + " goes to input " + i + ", \"" + graph.inputName(input) + "\" "
                                        + input.shape() + ", but it has the shape of input " + j + ", \""
                                        + graph.inputName(inputs.get(j)) + "\" " + inputs.get(j).shape()
                                        + ": the arrays seem to be in another order than the model's inputs.")
                                .fix("pass the arrays in the order of Model.of's inputs: model." + verb + "("
                                        + String.join(", ", inputs.stream().map(graph::inputName).toList()) + ")")
                                .build();
                    }
                }
            }
            try {
                InputCheck.check(input.shape(), reader, arrays[i].shape(), verb + " (input \"" + graph.inputName(input)
                        + "\")");
            } catch (ShapeException e) {
                throw e;
            }
            if (arrays[i].size(0) != arrays[0].size(0)) {
                throw new ShapeException(verb + ": every input needs the same number of samples, but input \""
                        + graph.inputName(inputs.get(0)) + "\" has " + arrays[0].size(0) + " (array shape "
                        + Shape.array(arrays[0].shape()) + ") and input \"" + graph.inputName(input) + "\" has "
                        + arrays[i].size(0) + " (array shape " + Shape.array(arrays[i].shape()) + "). Fix: give every"
                        + " input the same samples, row i of each belonging to sample i.");
            }
        }
        for (Layer layer : graph.layers()) {
            checkStatefulBatch(layer, arrays[0].shape(), verb);
        }
    }

    private static Layer firstReader(Functional graph, Input input) {
        for (Node node : graph.nodes()) {
            if (node.inputs().stream().anyMatch(t -> t == input)) {
                return node.layer();
            }
        }
        return null;
    }

    /** A kernel per layer call: node 0 uses the layer's kernel, later calls of a shared layer kernels of their own. */
    private Map<Node, Computation> nodeKernels(Functional graph) {
        return outsideWorkspaces(() -> {
            Map<Node, Computation> kernels = new IdentityHashMap<>();
            List<Layer> layers = graph.layers();
            for (Node node : graph.nodes()) {
                Layer layer = node.layer();
                int index = layers.indexOf(layer);
                Computation kernel;
                if (node.index() == 0) {
                    kernel = state.kernels.computeIfAbsent(layer, l -> Computations.of(l, weightsOf(index, l)));
                } else {
                    kernel = state.nodeKernels.computeIfAbsent(node, n -> Computations.of(layer, weightsOf(index, layer)));
                }
                kernels.put(node, kernel);
            }
            return kernels;
        });
    }

    /** A layer's failure, named: a ShapeException (the learner's mistake) as it is, anything else as ShapeLab's. */
    static RuntimeException internalError(Layer layer, INDArray x, RuntimeException e) {
        if (e instanceof ShapeException) {
            return e;
        }
        return new IllegalStateException("Internal error in ShapeLab's compute: layer " + layer.describe()
                + " failed on an array of shape " + Shape.array(x.shape()) + " (its input shape is "
                + layer.inputShape() + "): " + e.getClass().getName() + ": " + e.getMessage(), e);
    }

    /** A compute result must have the shape the layer's shape rule promised (None axes excepted). */
    private static void checkOutput(Layer layer, INDArray out, long batch) {
        checkOutput(layer, layer.outputShape(), out, batch);
    }

    private static void checkOutput(Layer layer, Shape declared, INDArray out, long batch) {
        boolean fits = out.rank() == declared.rank() && out.size(0) == batch && out.dataType() == DataType.FLOAT;
        for (int i = 1; fits && i < declared.rank(); i++) {
            fits = declared.get(i) == Shape.NONE || declared.get(i) == out.size(i);
        }
        if (!fits) {
            throw new IllegalStateException("Internal error in ShapeLab's compute: layer " + layer.describe()
                    + " produced a " + out.dataType() + " array of shape " + Shape.array(out.shape())
                    + " for a batch of " + batch + ", but its shape rule gives " + declared + ". Please report this"
                    + " with the model's summary().");
        }
    }

    /** The seed weights and training's random streams come from. */
    public long seedValue() {
        synchronized (state) {
            return state.seed;
        }
    }

    void checkBatch(INDArray batch, List<Layer> layers, String verb) {
        checkInput(batch, layers, verb);
    }

    private void checkInput(INDArray batch, List<Layer> layers, String verb) {
        if (batch == null) {
            throw new ShapeException(verb + " needs an array of samples, batch axis first, e.g. " + verb
                    + "(Nd4j.create(new float[][] {{...}, {...}})); got null.");
        }
        InputCheck.check(sequential(verb).inputShape(), layers.isEmpty() ? null : layers.get(0), batch.shape(), verb);
        for (Layer layer : layers) {
            checkStatefulBatch(layer, batch.shape(), verb);
        }
    }

    private static INDArray toFloat(INDArray batch) {
        return batch.dataType() == DataType.FLOAT ? batch : batch.castTo(DataType.FLOAT);
    }

    private static void checkRows(int count, IntUnaryOperator length) {
        if (count <= 0) {
            throw new ShapeException("predict needs at least one row of values (one sample per row).");
        }
        for (int i = 0; i < count; i++) {
            if (length.applyAsInt(i) <= 0) {
                throw new ShapeException("predict: row " + i + " is empty; every row is one sample's values.");
            }
            if (length.applyAsInt(i) != length.applyAsInt(0)) {
                throw new ShapeException("predict: row " + i + " has " + length.applyAsInt(i) + " values but row 0"
                        + " has " + length.applyAsInt(0) + "; every row is one sample, so all rows need the same"
                        + " number of values.");
            }
        }
    }

    /** (rows, values) laid out in the model's sample shape when the values fit it. */
    private INDArray asSamples(INDArray rows) {
        int[] sample = sequential("predict").inputShape().sampleShape().dims();
        long values = rows.size(1);
        if (sample.length == 1) {
            return rows;
        }
        long known = 1;
        int unknown = -1;
        for (int i = 0; i < sample.length; i++) {
            if (sample[i] == Shape.NONE) {
                if (unknown >= 0) {
                    return rows;
                }
                unknown = i;
            } else {
                known *= sample[i];
            }
        }
        if (unknown < 0 ? known != values : values % known != 0) {
            return rows;
        }
        long[] shape = new long[sample.length + 1];
        shape[0] = rows.size(0);
        for (int i = 0; i < sample.length; i++) {
            shape[i + 1] = i == unknown ? values / known : sample[i];
        }
        return rows.reshape('c', shape);
    }

    /** Every layer's kernel, made (with its weights) on first use, outside any workspace. */
    private List<Computation> kernels(List<Layer> layers) {
        return outsideWorkspaces(() -> {
            List<Computation> kernels = new ArrayList<>(layers.size());
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                Computation kernel = state.kernels.get(layer);
                if (kernel == null) {
                    kernel = Computations.of(layer, weightsOf(i, layer));
                    state.kernels.put(layer, kernel);
                }
                kernels.add(kernel);
            }
            return kernels;
        });
    }

    private List<INDArray> weightsOf(int index, Layer layer) {
        return state.weights.computeIfAbsent(layer,
                l -> outsideWorkspaces(() -> Initializers.create(l.weights(), state.seed, index)));
    }

    // ---- training ----

    /**
     * The model's layers ready to train, on its own weight arrays (drawn now if not yet set). Each layer gets a
     * kernel of its own for training, apart from predict's, which keeps reused arrays.
     *
     * @throws ShapeException naming the first layer that cannot train yet
     */
    public TrainingPass trainingPass() {
        synchronized (state) {
            List<Layer> layers = List.copyOf(model.layers());
            return outsideWorkspaces(() -> {
                List<List<INDArray>> weights = new ArrayList<>();
                for (int i = 0; i < layers.size(); i++) {
                    weights.add(weightsOf(i, layers.get(i)));
                }
                if (model instanceof Functional graph) {
                    return graphTrainingPass(graph, layers, weights);
                }
                List<Computation> kernels = new ArrayList<>();
                for (int i = 0; i < layers.size(); i++) {
                    kernels.add(trainingKernel(layers.get(i), weights.get(i), 1));
                }
                return new TrainingPass(this, layers, kernels, weights);
            });
        }
    }

    /** A functional model's training pass: a slot per tensor, a kernel per layer call. */
    private TrainingPass graphTrainingPass(Functional graph, List<Layer> layers, List<List<INDArray>> weights) {
        Map<Tensor, Integer> slots = new IdentityHashMap<>();
        int[] inputSlots = new int[graph.inputs().size()];
        for (int i = 0; i < inputSlots.length; i++) {
            inputSlots[i] = slots.size();
            slots.put(graph.inputs().get(i), slots.size());
        }
        List<Object[]> calls = new ArrayList<>();
        for (Node node : graph.nodes()) {
            int index = layers.indexOf(node.layer());
            int[] in = node.inputs().stream().mapToInt(slots::get).toArray();
            int[] out = new int[node.outputs().size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = slots.size();
                slots.put(node.outputs().get(i), slots.size());
            }
            calls.add(new Object[] {index, trainingKernel(node.layer(), weights.get(index), in.length), in, out});
        }
        int[] outputSlots = graph.outputs().stream().mapToInt(slots::get).toArray();
        return new TrainingPass(this, layers, weights, calls, slots.size(), inputSlots, outputSlots, false);
    }

    /** A kernel for training, or a complete message naming what cannot train yet. */
    private static Computation trainingKernel(Layer layer, List<INDArray> weights, int inputs) {
        if (layer instanceof BaseRNN<?> rnn && (rnn.stateful() || rnn.returnState() || inputs > 1)) {
            String option = rnn.stateful() ? "stateful=True" : rnn.returnState() ? "return_state=True"
                    : "initial_state";
            throw new ShapeException("Layer " + layer.describe() + " cannot train in ShapeLab yet: its backward pass"
                    + " does not handle " + option + " (predict does). Fix: train the model without " + option
                    + (rnn.stateful() ? " (the same layer with stateful left out learns the same weights on"
                    + " independent sequences)" : "") + ", then copy the trained weights into this model with"
                    + " setWeights.");
        }
        Computation kernel = Computations.of(layer, weights);
        if (!kernel.trains()) {
            throw new ShapeException("Layer " + layer.describe() + " cannot train in ShapeLab yet: it has"
                    + " no backward pass. Fix: train a model without it, or freeze what comes before and"
                    + " train the layers after it.");
        }
        return kernel;
    }

    /**
     * Changes each time weight arrays are replaced rather than updated in place ({@code setWeights}, loading,
     * {@link #seed}): a {@link TrainingPass} made before trains the old arrays, so its owner makes a new one.
     */
    public long weightArraysVersion() {
        synchronized (state) {
            return state.weightArrays;
        }
    }

    /** The weights were changed in place (by training): predict's kernels, which may hold copies, are made anew. */
    void weightsChanged() {
        synchronized (state) {
            state.kernels.clear();
            state.nodeKernels.clear();
        }
    }

    // ---- weights ----

    /** Copies of all weights, in Keras's {@code model.get_weights()} order (layer by layer, each in its order). */
    public List<INDArray> getWeights() {
        synchronized (state) {
            List<Layer> layers = model.layers();
            List<INDArray> all = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                all.addAll(copies(weightsOf(i, layers.get(i))));
            }
            return all;
        }
    }

    /** Copies of one layer's weights, in Keras's {@code layer.get_weights()} order. */
    public List<INDArray> getWeights(String layerName) {
        synchronized (state) {
            Layer layer = model.getLayer(layerName);
            return copies(weightsOf(model.layers().indexOf(layer), layer));
        }
    }

    /**
     * Sets all weights, as Keras's {@code model.set_weights()}: one array per weight in {@code get_weights()}
     * order, each in its Keras shape (any numeric type; stored as float32 copies). Nothing changes unless
     * every array fits.
     *
     * @throws ShapeException naming the layer, the weight, its Keras shape and what was received
     */
    public void setWeights(List<INDArray> weights) {
        setAll(weights, "setWeights");
    }

    /** Sets one layer's weights, as Keras's {@code layer.set_weights()}. */
    public void setWeights(String layerName, List<INDArray> weights) {
        synchronized (state) {
            Layer layer = model.getLayer(layerName);
            List<WeightSpec> specs = layer.weights();
            if (weights == null || weights.size() != specs.size()) {
                throw new ShapeException("Layer " + layer.describe() + " has " + specs.size() + " weight array(s), "
                        + listing(specs) + ", but " + (weights == null ? "null" : weights.size()) + " were given."
                        + " Fix: pass them in this order (Keras's layer.get_weights() order).");
            }
            store(layer, converted(layer, specs, weights, 0, "setWeights"));
        }
    }

    /**
     * Loads Keras weights from a NumPy {@code .npz} file. Two layouts are read:
     * <ul>
     *   <li>positional, as {@code np.savez("w.npz", *model.get_weights())} writes: {@code arr_0, arr_1, ...} in
     *       {@code get_weights()} order;</li>
     *   <li>named, one entry per weight as {@code "layer/weight"}, e.g. {@code np.savez("w.npz", **{"dense/kernel":
     *       ..., "dense/bias": ...})}. Keras variable paths also work: a {@code :0} suffix is ignored, and the
     *       first path segment that names a layer of the model picks the layer ({@code "sequential/dense/kernel"},
     *       {@code "time_distributed/dense/kernel"}); the last segment is the weight.</li>
     * </ul>
     * Plain and compressed files, any numeric dtype and Fortran order are accepted; every weight of the model
     * must be present and every entry used.
     */
    public void loadWeightsNpz(Path npz) {
        Objects.requireNonNull(npz, "npz");
        Map<String, INDArray> arrays = outsideWorkspaces(() -> Npz.read(npz));
        String source = "loadWeightsNpz(" + npz.getFileName() + ")";
        if (!arrays.isEmpty() && arrays.keySet().stream().allMatch(k -> POSITIONAL.matcher(k).matches())) {
            TreeMap<Integer, INDArray> ordered = new TreeMap<>();
            arrays.forEach((key, array) -> {
                Matcher m = POSITIONAL.matcher(key);
                m.matches();
                ordered.put(Integer.parseInt(m.group(1)), array);
            });
            if (ordered.lastKey() != ordered.size() - 1) {
                throw new ShapeException(source + ": the entries arr_0 .. arr_" + ordered.lastKey() + " have gaps ("
                        + ordered.size() + " entries); np.savez(\"w.npz\", *model.get_weights()) writes them all.");
            }
            setAll(new ArrayList<>(ordered.values()), source);
        } else {
            setAll(byName(arrays, source), source);
        }
    }

    private List<INDArray> byName(Map<String, INDArray> arrays, String source) {
        synchronized (state) {
            List<Layer> layers = model.layers();
            Map<String, Layer> layerNames = new HashMap<>();
            layers.forEach(layer -> layerNames.put(layer.name(), layer));
            Map<String, INDArray> found = new LinkedHashMap<>();
            List<String> unused = new ArrayList<>();
            for (Map.Entry<String, INDArray> entry : arrays.entrySet()) {
                String[] path = entry.getKey().replaceAll(":\\d+$", "").split("/");
                String layer = null;
                for (int i = 0; i < path.length - 1 && layer == null; i++) {
                    layer = layerNames.containsKey(path[i]) ? path[i] : null;
                }
                if (layer == null) {
                    unused.add(entry.getKey());
                    continue;
                }
                String key = layer + "/" + path[path.length - 1];
                if (found.put(key, entry.getValue()) != null) {
                    throw new ShapeException(source + ": two entries give weight " + key + ".");
                }
            }
            List<INDArray> ordered = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (Layer layer : layers) {
                for (WeightSpec spec : layer.weights()) {
                    INDArray array = found.remove(layer.name() + "/" + spec.name());
                    if (array == null) {
                        missing.add(layer.name() + "/" + spec.name());
                    }
                    ordered.add(array);
                }
            }
            unused.addAll(found.keySet());
            if (!missing.isEmpty() || !unused.isEmpty()) {
                throw new ShapeException(source + ": the file's entries do not match the model's weights."
                        + (missing.isEmpty() ? "" : " Missing: " + String.join(", ", missing) + ".")
                        + (unused.isEmpty() ? "" : " Not weights of this model: " + String.join(", ", unused) + ".")
                        + " The file has: " + String.join(", ", arrays.keySet()) + ". Fix: name entries"
                        + " \"layer/weight\" with this model's layer names, or save positionally with"
                        + " np.savez(\"w.npz\", *model.get_weights()).");
            }
            return ordered;
        }
    }

    private void setAll(List<INDArray> weights, String source) {
        synchronized (state) {
            List<Layer> layers = model.layers();
            int expected = layers.stream().mapToInt(layer -> layer.weights().size()).sum();
            if (weights == null || weights.size() != expected) {
                StringBuilder all = new StringBuilder();
                for (Layer layer : layers) {
                    if (!layer.weights().isEmpty()) {
                        all.append(all.length() == 0 ? "" : "; ").append(layer.name()).append(": ")
                                .append(listing(layer.weights()));
                    }
                }
                throw new ShapeException(source + ": model \"" + model.name() + "\" has " + expected + " weight"
                        + " arrays (" + (all.length() == 0 ? "none" : all) + "), but " + (weights == null ? "null"
                        : weights.size()) + " were given. Fix: pass every weight in Keras's get_weights() order,"
                        + " layer by layer.");
            }
            Map<Layer, List<INDArray>> converted = new IdentityHashMap<>();
            int offset = 0;
            for (Layer layer : layers) {
                List<WeightSpec> specs = layer.weights();
                converted.put(layer, converted(layer, specs, weights.subList(offset, offset + specs.size()), offset,
                        source));
                offset += specs.size();
            }
            converted.forEach(this::store);
        }
    }

    private void store(Layer layer, List<INDArray> weights) {
        state.weights.put(layer, weights);
        state.kernels.remove(layer);
        state.nodeKernels.keySet().removeIf(node -> node.layer() == layer);
        state.weightArrays++;
    }

    /** Checks every array against its spec and returns float32 copies outside any workspace. */
    private static List<INDArray> converted(Layer layer, List<WeightSpec> specs, List<INDArray> given, int offset,
                                            String source) {
        return outsideWorkspaces(() -> {
            List<INDArray> out = new ArrayList<>();
            for (int j = 0; j < specs.size(); j++) {
                WeightSpec spec = specs.get(j);
                INDArray array = given.get(j);
                int[] want = spec.shape();
                String where = "Layer " + layer.describe() + ", weight \"" + spec.name() + "\" (model weight #"
                        + (offset + j) + ", via " + source + ")";
                if (array == null) {
                    throw new ShapeException(where + ": got null; expected an array of the Keras shape "
                            + Shape.tupleText(want) + ".");
                }
                long[] have = array.shape();
                if (!sameShape(want, have)) {
                    throw new ShapeException(where + ": expected the Keras shape " + Shape.tupleText(want)
                            + ", received " + Shape.array(have) + ". " + weightHint(want, have));
                }
                out.add(array.castTo(DataType.FLOAT).dup('c'));
            }
            return out;
        });
    }

    private static boolean sameShape(int[] want, long[] have) {
        if (want.length != have.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (want[i] != have[i]) {
                return false;
            }
        }
        return true;
    }

    private static String weightHint(int[] want, long[] have) {
        if (want.length == 2 && have.length == 2 && want[0] == have[1] && want[1] == have[0] && want[0] != want[1]) {
            return "Fix: it looks transposed (PyTorch and DL4J store [out, in], Keras [in, out]); pass w.transpose().";
        }
        long wantCount = 1;
        long haveCount = 1;
        for (int d : want) {
            wantCount *= d;
        }
        for (long d : have) {
            haveCount *= d;
        }
        if (wantCount == haveCount) {
            return "Fix: it has the right number of values; if they are in Keras's order, pass w.reshape("
                    + Shape.tupleText(want).replaceAll("[(),]+$", "").replace("(", "") + ").";
        }
        return "Fix: the weights were made for a different layer (other sizes, or another order of layers); take"
                + " them from the model with the same summary().";
    }

    private static String listing(List<WeightSpec> specs) {
        return String.join(", ", specs.stream().map(WeightSpec::toString).toList());
    }

    /** Copies outside any workspace; a null entry stays null. */
    private static List<INDArray> copies(List<INDArray> arrays) {
        return outsideWorkspaces(() -> {
            List<INDArray> out = new ArrayList<>();
            for (INDArray array : arrays) {
                out.add(array == null ? null : array.dup('c'));
            }
            return out;
        });
    }

    /**
     * Runs {@code work} with no workspace active, so that what it allocates (weights, kernels, copies handed to
     * the caller) outlives predict's workspace, which is reset on every call.
     */
    static <T> T outsideWorkspaces(Supplier<T> work) {
        MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        try {
            return work.get();
        } finally {
            scope.close();
        }
    }
}
