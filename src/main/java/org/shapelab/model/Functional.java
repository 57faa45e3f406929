package org.shapelab.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.compute.ModelRuntime;
import org.shapelab.layers.Input;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Node;
import org.shapelab.layers.Tensor;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;
import org.shapelab.training.Compiled;
import org.shapelab.training.FitOptions;
import org.shapelab.training.History;
import org.shapelab.training.Loss;
import org.shapelab.training.Optimizer;

import tech.tablesaw.api.Table;

/**
 * A model that is a graph of layer calls, Keras's functional {@code keras.Model(inputs, outputs)}: several inputs
 * and outputs, branches that merge, layers shared by branches. Made by {@link Model#of}; the graph is followed back
 * from the outputs, and its layers are ordered and auto-named as Keras orders and names them.
 */
public final class Functional implements Model {

    private final String name;
    private final List<Input> inputs;
    private final List<Tensor> outputs;
    /** Layer calls in an order that computes every input before it is used (Keras's nodes by depth). */
    private final List<Node> nodes;
    private final List<Layer> layers;
    private final Map<Input, String> inputNames = new IdentityHashMap<>();
    private Compiled compiled;

    private Functional(String name, List<Input> inputs, List<Tensor> outputs, List<Node> nodes, List<Layer> layers) {
        this.name = name;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.nodes = List.copyOf(nodes);
        this.layers = List.copyOf(layers);
    }

    static Functional of(String name, List<Input> inputs, List<Tensor> outputs) {
        if (inputs == null || inputs.isEmpty() || inputs.stream().anyMatch(java.util.Objects::isNull)) {
            throw new ShapeException("Model.of needs its inputs, e.g. Model.of(x, y) with Input x = Input.shape(10);"
                    + " got " + inputs + ".");
        }
        if (outputs == null || outputs.isEmpty() || outputs.stream().anyMatch(java.util.Objects::isNull)) {
            throw new ShapeException("Model.of needs its outputs: the tensors that layers applied to the inputs"
                    + " returned, e.g. Tensor y = new Dense(1).apply(x); got " + outputs + ".");
        }
        Set<Input> given = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Input input : inputs) {
            if (!given.add(input)) {
                throw new ShapeException("Model.of: the input " + input + " is listed twice. Each model input appears"
                        + " once; a branch can use it as often as it likes.");
            }
        }
        Graph graph = Graph.of(outputs, given);
        Functional model = new Functional(name, inputs, outputs, graph.nodes, graph.layers);
        model.assignNames();
        return model;
    }

    /** Keras names layers when they are made; here when the model is, in the order layers were first called. */
    private void assignNames() {
        Map<String, Integer> used = new HashMap<>();
        List<Layer> byFirstCall = new ArrayList<>(layers);
        byFirstCall.sort((a, b) -> Long.compare(a.nodes().get(0).sequence(), b.nodes().get(0).sequence()));
        for (Layer layer : byFirstCall) {
            nameTree(layer, used);
        }
        Set<String> names = new java.util.HashSet<>();
        for (Layer layer : layers) {
            if (!names.add(layer.name())) {
                throw new ShapeException("Model \"" + name + "\" has two layers named \"" + layer.name() + "\". Layer"
                        + " names must be unique; rename one, or leave names out for automatic ones.");
            }
        }
        int count = 0;
        for (Input input : inputs) {
            if (input.name() != null) {
                inputNames.put(input, input.name());
            } else {
                inputNames.put(input, count == 0 ? "input_layer" : "input_layer_" + count);
                count++;
            }
        }
    }

    private static void nameTree(Layer layer, Map<String, Integer> used) {
        for (Layer inner : layer.innerLayers()) {
            nameTree(inner, used);
        }
        if (layer.name() == null) {
            String prefix = layer.autoNamePrefix();
            int n = used.getOrDefault(prefix, 0);
            layer.assignNameIfAbsent(n == 0 ? prefix : prefix + "_" + n);
            used.put(prefix, n + 1);
        }
    }

    // ---- what the model tells ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public Layer getLayer(String layerName) {
        for (Layer layer : layers) {
            if (layer.name().equals(layerName)) {
                return layer;
            }
        }
        throw new ShapeException("Model \"" + name + "\" has no layer named \"" + layerName + "\". Its layers: "
                + String.join(", ", layers.stream().map(Layer::name).toList()) + ".");
    }

    public List<Input> inputs() {
        return inputs;
    }

    public List<Tensor> outputs() {
        return outputs;
    }

    /** Every layer call, in the order they are computed. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The input's name in this model: its own, or {@code input_layer}, {@code input_layer_1}, ... */
    public String inputName(Input input) {
        String inputName = inputNames.get(input);
        if (inputName == null) {
            throw new ShapeException("The tensor " + input + " is not an input of model \"" + name + "\".");
        }
        return inputName;
    }

    /** How the "Connected to" column names a tensor: {@code dense[0][0]}, {@code input_layer[0][0]}. */
    public String reference(Tensor tensor) {
        return tensor instanceof Input input ? inputName(input) + "[0][0]" : tensor.reference();
    }

    @Override
    public List<Shape> inputShapes() {
        return inputs.stream().map(Tensor::shape).toList();
    }

    @Override
    public List<Shape> outputShapes() {
        return outputs.stream().map(Tensor::shape).toList();
    }

    @Override
    public long countParams() {
        return layers.stream().mapToLong(Layer::countParams).sum();
    }

    @Override
    public long trainableParams() {
        return layers.stream().mapToLong(Layer::trainableParams).sum();
    }

    /**
     * Keras 3's summary: the InputLayers among the layers and, unless the model is a plain chain, the "Connected to"
     * column. {@link #summary(SummaryStyle)} with {@link SummaryStyle#TF_KERAS_2} gives tf.keras 2's 98-character one.
     */
    @Override
    public String summary() {
        return Summary.text(this);
    }

    /** The shape table, with a row per layer call and the tensors each call reads. */
    public Table shapeTable() {
        return ShapeTable.of(this);
    }

    // ---- computation ----

    /**
     * Keras's {@code model.predict([x1, x2])}: one array per input, in the order of {@link #inputs()}, each with the
     * batch axis first and the same batch size; one array per output.
     */
    @Override
    public List<INDArray> predict(INDArray... arrays) {
        return ModelRuntime.of(this).predictAll(arrays);
    }

    /** Runs the arrays through the model and keeps each layer call's input and output: the shapes step by step. */
    public org.shapelab.compute.Trace trace(INDArray... arrays) {
        return ModelRuntime.of(this).traceAll(arrays);
    }

    /** {@link Model#load(java.nio.file.Path)} for a file that holds a functional model. */
    public static Functional load(java.nio.file.Path path) {
        Model model = org.shapelab.io.ModelFiles.load(path);
        if (model instanceof Functional functional) {
            return functional;
        }
        throw new ShapeException("Functional.load: " + path.getFileName() + " holds a Sequential model (\""
                + model.name() + "\"), not a functional one. Fix: open it with Sequential.load(path) or"
                + " Model.load(path).");
    }

    /** Loads weights saved from the same model; see {@link Model#loadWeights(java.nio.file.Path)}. */
    @Override
    public Functional loadWeights(java.nio.file.Path path) {
        org.shapelab.io.ModelFiles.loadWeights(this, path);
        return this;
    }

    /** Draws fresh weights with Keras's default initializers from this seed. */
    public Functional seed(long seed) {
        ModelRuntime.of(this).seed(seed);
        return this;
    }

    // ---- training ----

    /**
     * Keras's {@code compile}: one optimizer, one loss for every output (or see {@link #compile(Optimizer, List,
     * String...)}), metrics computed per output.
     */
    public Functional compile(String optimizer, String loss, String... metrics) {
        return compile(Optimizer.of(optimizer), List.of(Loss.of(loss)), metrics);
    }

    /** compile with a loss per output, in the order of {@link #outputs()}. */
    public Functional compile(Optimizer optimizer, List<Loss> losses, String... metrics) {
        this.compiled = Compiled.of(this, optimizer, losses, metrics);
        return this;
    }

    /** Keras's {@code train_on_batch} with one array per input and one label array per output. */
    public double trainOnBatch(List<INDArray> xs, List<INDArray> ys) {
        return compiled("trainOnBatch").trainOnBatch(xs, ys);
    }

    /** Keras's {@code fit([x1, x2], [y1, y2], epochs=..., batch_size=...)}. */
    public History fit(List<INDArray> xs, List<INDArray> ys, int epochs, int batchSize) {
        return fit(xs, ys, FitOptions.epochs(epochs).batchSize(batchSize));
    }

    public History fit(List<INDArray> xs, List<INDArray> ys, FitOptions options) {
        return compiled("fit").fit(xs, ys, options);
    }

    /** Keras's {@code evaluate}: the total loss, each output's loss and metrics. */
    public Map<String, Double> evaluate(List<INDArray> xs, List<INDArray> ys) {
        return compiled("evaluate").evaluate(xs, ys);
    }

    private Compiled compiled(String verb) {
        if (compiled == null) {
            throw new ShapeException("Model \"" + name + "\" is not compiled, so " + verb + " has no loss to"
                    + " minimize. Fix: model.compile(\"adam\", \"mse\") first (one loss for every output), or"
                    + " compile(new Adam(), List.of(loss1, loss2)) for a loss per output.");
        }
        return compiled;
    }


    @Override
    public String toKerasJson() {
        return KerasJson.write(this);
    }

    @Override
    public String toString() {
        return "Functional model \"" + name + "\": " + inputShapes() + " -> " + outputShapes() + ", " + countParams()
                + " params";
    }

    /** Keras's {@code _map_graph_network}: the nodes reached from the outputs, and the layers ordered by depth. */
    private static final class Graph {
        final List<Node> nodes = new ArrayList<>();
        final List<Layer> layers = new ArrayList<>();
        private final Set<Node> finished = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Set<Node> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Map<Layer, Integer> layerIndices = new IdentityHashMap<>();
        private final Set<Input> given;

        private Graph(Set<Input> given) {
            this.given = given;
        }

        static Graph of(List<Tensor> outputs, Set<Input> given) {
            Graph graph = new Graph(given);
            for (Tensor output : outputs) {
                graph.visit(output, output);
            }
            graph.orderLayers();
            return graph;
        }

        /** Depth-first from an output: a node is listed after every node it reads from. */
        private void visit(Tensor tensor, Tensor output) {
            if (tensor instanceof Input input) {
                if (!given.contains(input)) {
                    throw new ShapeException("Model.of: the output " + output.shape() + " is computed from the input "
                            + input + ", which is not among the model's inputs (Keras: \"Graph disconnected: cannot"
                            + " find parent for tensor\"). Fix: list that Input in Model.of(List.of(...), ...), or"
                            + " compute the output from the inputs you listed.");
                }
                return;
            }
            Node node = tensor.node();
            if (finished.contains(node)) {
                return;
            }
            if (!inProgress.add(node)) {
                throw new IllegalStateException("cycle at layer " + node.layer().describe());
            }
            layerIndices.putIfAbsent(node.layer(), layerIndices.size());
            for (Tensor input : node.inputs()) {
                visit(input, output);
            }
            inProgress.remove(node);
            finished.add(node);
            nodes.add(node);
        }

        /** Layers by decreasing depth (inputs deepest), ties in the order the search met them, as Keras lists them. */
        private void orderLayers() {
            Map<Node, Integer> nodeDepths = new IdentityHashMap<>();
            Map<Layer, Integer> layerDepths = new IdentityHashMap<>();
            for (int i = nodes.size() - 1; i >= 0; i--) {
                Node node = nodes.get(i);
                int depth = Math.max(nodeDepths.getOrDefault(node, 0), layerDepths.getOrDefault(node.layer(), 0));
                layerDepths.put(node.layer(), depth);
                nodeDepths.put(node, depth);
                for (Tensor input : node.inputs()) {
                    if (input.node() != null) {
                        nodeDepths.merge(input.node(), depth + 1, Math::max);
                    }
                }
            }
            Map<Integer, List<Layer>> byDepth = new LinkedHashMap<>();
            layerDepths.forEach((layer, depth) -> byDepth.computeIfAbsent(depth, d -> new ArrayList<>()).add(layer));
            byDepth.keySet().stream().sorted(Collections.reverseOrder()).forEach(depth -> {
                List<Layer> atDepth = byDepth.get(depth);
                atDepth.sort((a, b) -> Integer.compare(layerIndices.get(a), layerIndices.get(b)));
                layers.addAll(atDepth);
            });
        }
    }
}
