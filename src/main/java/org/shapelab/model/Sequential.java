package org.shapelab.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.compute.ModelRuntime;
import org.shapelab.compute.Trace;
import org.shapelab.display.ModelHtml;
import org.shapelab.layers.Activation;
import org.shapelab.layers.AveragePooling1D;
import org.shapelab.layers.AveragePooling2D;
import org.shapelab.layers.BatchNormalization;
import org.shapelab.layers.Conv1D;
import org.shapelab.layers.Conv2D;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Dropout;
import org.shapelab.layers.Embedding;
import org.shapelab.layers.Flatten;
import org.shapelab.layers.GRU;
import org.shapelab.layers.GlobalAveragePooling1D;
import org.shapelab.layers.GlobalAveragePooling2D;
import org.shapelab.layers.GlobalMaxPooling1D;
import org.shapelab.layers.GlobalMaxPooling2D;
import org.shapelab.layers.Input;
import org.shapelab.layers.LSTM;
import org.shapelab.layers.Layer;
import org.shapelab.layers.MaxPooling1D;
import org.shapelab.layers.MaxPooling2D;
import org.shapelab.layers.Permute;
import org.shapelab.layers.Reshape;
import org.shapelab.layers.SimpleRNN;
import org.shapelab.layers.TimeDistributed;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;
import org.shapelab.training.Compiled;
import org.shapelab.training.FitOptions;
import org.shapelab.training.History;
import org.shapelab.training.Loss;
import org.shapelab.training.Optimizer;

import tech.tablesaw.api.Table;

/**
 * A stack of layers, each reading the previous one's output, as Keras's {@code Sequential}.
 *
 * <pre>{@code
 * Sequential model = Sequential.input(28, 28, 1)
 *         .conv2d(32, 3, "relu")
 *         .maxPooling2d(2)
 *         .flatten()
 *         .dense(10, "softmax");
 * System.out.println(model.summary());
 * }</pre>
 *
 * Every call builds the new layer on the current output shape at once, so a shape mistake is
 * reported on the line that makes it. Layers without a given name get Keras's automatic names
 * ({@code dense}, {@code dense_1}, ...), counted per model so that re-running a cell gives the same names.
 */
public final class Sequential implements Model {

    private final String name;
    private Input input;
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, Integer> namesUsed = new HashMap<>();
    /** What compile set: optimizer (with its state), loss and metrics; null until compiled. */
    private Compiled compiled;

    /** An empty model named {@code sequential}; its first layer must declare {@code inputShape(...)}. */
    public Sequential() {
        this("sequential");
    }

    /** An empty model with the given name. */
    public Sequential(String name) {
        this.name = name;
    }

    /** A model whose samples have this shape, without the batch axis: {@code input(28, 28, 1)}. */
    public static Sequential input(int... sampleDims) {
        return new Sequential().withInput(Input.shape(sampleDims));
    }

    /** A model starting from an {@link Input}. */
    public static Sequential input(Input input) {
        return new Sequential().withInput(input);
    }

    /** Keras's {@code Sequential([...])}: the first layer must carry {@code inputShape(...)}. */
    public static Sequential of(Layer... layers) {
        Sequential model = new Sequential();
        for (Layer layer : layers) {
            model.add(layer);
        }
        return model;
    }

    /** Reads a model from Keras JSON ({@code model.to_json()} of Keras 2 or 3, or TensorFlow.js). */
    public static Sequential fromKerasJson(String json) {
        return KerasJson.read(json);
    }

    Sequential withInput(Input newInput) {
        if (!layers.isEmpty() || this.input != null) {
            throw new ShapeException("Model \"" + name + "\" already has its input " + inputShape()
                    + "; the input can only be set once, before the first layer.");
        }
        this.input = newInput;
        return this;
    }

    /**
     * Adds a layer and builds it on the current output shape, as Keras's {@code model.add}.
     *
     * @throws ShapeException if the layer cannot take that shape (the model stays as it was)
     */
    public Sequential add(Layer layer) {
        if (layer == null) {
            throw new ShapeException("Model \"" + name + "\": add() needs a layer, e.g. add(new Dense(10)); got null.");
        }
        if (layer.isBuilt() || layers.contains(layer)) {
            throw new ShapeException("Layer " + layer.describe() + " is already part of a model. A layer instance"
                    + " owns its weights, so each add() needs a new layer object.");
        }
        Shape shape;
        String origin;
        if (layers.isEmpty()) {
            if (input == null) {
                input = Input.shape(layer.declaredInputShape().orElseThrow(() -> new ShapeException(
                        "Model \"" + name + "\" does not know its input shape. Fix: start with Sequential.input(...),"
                                + " e.g. Sequential.input(10) for samples of 10 features, or give the first layer"
                                + " inputShape(10) (Keras's input_shape=(10,), without the batch axis).")));
            } else if (layer.declaredInputShape().isPresent()
                    && !layer.declaredInputShape().get().equals(input.sampleShape())) {
                throw ShapeException.at(layer.describe())
                        .expected(input.batchShape().toString(), Shape.Kind.SUMMARY)
                        .received(layer.declaredInputShape().get())
                        .problem("its input_shape " + layer.declaredInputShape().get() + " disagrees with the model's"
                                + " input " + input.sampleShape() + ".")
                        .fix("remove inputShape(...) from the layer, or make it match").build();
            }
            shape = input.batchShape();
            origin = "the model input, declared as " + input.sampleShape();
        } else {
            Layer previous = layers.get(layers.size() - 1);
            shape = previous.outputShape();
            origin = "the output of layer " + previous.describe();
        }
        nameLayer(layer);
        layer.build(shape, origin);
        if (layer.outputShapes().size() > 1) {
            throw new ShapeException("Layer " + layer.describe() + " returns " + layer.outputShapes().size()
                    + " tensors " + layer.outputShapes() + ", but in a Sequential model every layer passes one tensor to"
                    + " the next (Keras: \"All layers in a Sequential model should have a single output tensor. For"
                    + " multi-output layers, use the functional API.\"). Fix: leave returnState out (or give"
                    + " Bidirectional a merge mode), or build the model with the functional API: Input, layer.applyAll(x),"
                    + " Model.of(inputs, outputs).");
        }
        layers.add(layer);
        return this;
    }

    /** Names the layer and the layers it wraps, in Keras's creation order (wrapped layer first). */
    private void nameLayer(Layer layer) {
        for (Layer inner : layer.innerLayers()) {
            nameLayer(inner);
        }
        if (layer.name() == null) {
            String prefix = layer.autoNamePrefix();
            int count = namesUsed.getOrDefault(prefix, 0);
            layer.assignNameIfAbsent(count == 0 ? prefix : prefix + "_" + count);
            namesUsed.put(prefix, count + 1);
        } else if (findLayer(layer.name()) != null) {
            throw new ShapeException("Model \"" + name + "\" already has a layer named \"" + layer.name()
                    + "\". Layer names must be unique; choose another name or leave it out for an automatic one.");
        }
    }

    private Layer findLayer(String layerName) {
        for (Layer layer : layers) {
            if (layerName.equals(layer.name())) {
                return layer;
            }
        }
        return null;
    }

    // ---- fluent shortcuts, Keras names ----

    public Sequential dense(int units) {
        return add(new Dense(units));
    }

    public Sequential dense(int units, String activation) {
        return add(new Dense(units, activation));
    }

    public Sequential conv1d(int filters, int kernelSize) {
        return add(new Conv1D(filters, kernelSize));
    }

    public Sequential conv1d(int filters, int kernelSize, String activation) {
        return add(new Conv1D(filters, kernelSize, activation));
    }

    public Sequential conv2d(int filters, int kernelSize) {
        return add(new Conv2D(filters, kernelSize));
    }

    public Sequential conv2d(int filters, int kernelSize, String activation) {
        return add(new Conv2D(filters, kernelSize, activation));
    }

    public Sequential lstm(int units) {
        return add(new LSTM(units));
    }

    public Sequential lstm(int units, boolean returnSequences) {
        return add(new LSTM(units, returnSequences));
    }

    public Sequential gru(int units) {
        return add(new GRU(units));
    }

    public Sequential gru(int units, boolean returnSequences) {
        return add(new GRU(units, returnSequences));
    }

    public Sequential simpleRnn(int units) {
        return add(new SimpleRNN(units));
    }

    public Sequential simpleRnn(int units, boolean returnSequences) {
        return add(new SimpleRNN(units, returnSequences));
    }

    public Sequential maxPooling1d(int poolSize) {
        return add(new MaxPooling1D(poolSize));
    }

    public Sequential maxPooling2d(int poolSize) {
        return add(new MaxPooling2D(poolSize));
    }

    public Sequential averagePooling1d(int poolSize) {
        return add(new AveragePooling1D(poolSize));
    }

    public Sequential averagePooling2d(int poolSize) {
        return add(new AveragePooling2D(poolSize));
    }

    public Sequential globalAveragePooling1d() {
        return add(new GlobalAveragePooling1D());
    }

    public Sequential globalAveragePooling2d() {
        return add(new GlobalAveragePooling2D());
    }

    public Sequential globalMaxPooling1d() {
        return add(new GlobalMaxPooling1D());
    }

    public Sequential globalMaxPooling2d() {
        return add(new GlobalMaxPooling2D());
    }

    public Sequential flatten() {
        return add(new Flatten());
    }

    /** Target shape per sample, batch axis left out; one axis may be -1. */
    public Sequential reshape(int... targetShape) {
        return add(new Reshape(targetShape));
    }

    /** New order of the sample axes, numbered from 1. */
    public Sequential permute(int... dims) {
        return add(new Permute(dims));
    }

    public Sequential dropout(double rate) {
        return add(new Dropout(rate));
    }

    public Sequential activation(String activation) {
        return add(new Activation(activation));
    }

    public Sequential embedding(int inputDim, int outputDim) {
        return add(new Embedding(inputDim, outputDim));
    }

    public Sequential batchNormalization() {
        return add(new BatchNormalization());
    }

    public Sequential timeDistributed(Layer layer) {
        return add(new TimeDistributed(layer));
    }

    // ---- what the model tells ----

    @Override
    public String name() {
        return name;
    }

    /** The layers in order (the input is not a layer, as in Keras's {@code model.layers}). */
    @Override
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** The layer with this name. */
    @Override
    public Layer getLayer(String layerName) {
        Layer layer = findLayer(layerName);
        if (layer == null) {
            List<String> names = layers.stream().map(Layer::name).toList();
            throw new ShapeException("Model \"" + name + "\" has no layer named \"" + layerName + "\". Its layers: "
                    + String.join(", ", names) + ".");
        }
        return layer;
    }

    /** The declared sample shape, without batch: {@code (28, 28, 1)}. */
    public Shape sampleInputShape() {
        requireInput();
        return input.sampleShape();
    }

    /** The model's input as a summary shape: {@code (None, 28, 28, 1)}. */
    public Shape inputShape() {
        requireInput();
        return input.batchShape();
    }

    /** The last layer's output as a summary shape (the input if there are no layers yet). */
    public Shape outputShape() {
        return layers.isEmpty() ? inputShape() : layers.get(layers.size() - 1).outputShape();
    }

    @Override
    public List<Shape> inputShapes() {
        return List.of(inputShape());
    }

    @Override
    public List<Shape> outputShapes() {
        return List.of(outputShape());
    }

    @Override
    public long countParams() {
        return layers.stream().mapToLong(Layer::countParams).sum();
    }

    @Override
    public long trainableParams() {
        return layers.stream().mapToLong(Layer::trainableParams).sum();
    }

    @Override
    public long nonTrainableParams() {
        return countParams() - trainableParams();
    }

    /**
     * Keras's text summary as Keras 3 prints it: layer (type), output shape, parameter count, totals with their size
     * in bytes. {@link #summary(SummaryStyle)} with {@link SummaryStyle#TF_KERAS_2} gives tf.keras 2's layout.
     */
    @Override
    public String summary() {
        return Summary.text(this);
    }

    /**
     * The extended shape table: layer, type, input and output shapes, parameters with their formula,
     * weight shapes, multiply-adds and activation size per sample. A tablesaw {@link Table}, so it can be
     * sorted and filtered.
     */
    public Table shapeTable() {
        return ShapeTable.of(this);
    }

    /** The shape table as self-contained HTML (inline CSS, no scripts). */
    public String toHtml() {
        return ModelHtml.shapeTable(this);
    }

    // ---- computation (ND4J, loaded on first use: building and summarizing never load it) ----

    /**
     * Runs a batch through the model, as Keras's {@code model.predict}: {@code (300, 10)} in, the output
     * for 300 samples out. The array's shape is checked against the declared input first.
     */
    public INDArray predict(INDArray batch) {
        return ModelRuntime.of(this).predict(batch);
    }

    /**
     * {@link #predict(INDArray)} into an array you own ({@code out}, float32, of the result's shape), as NumPy's
     * {@code out=}: no allocation, for loops over many batches of one shape. Returns {@code out}.
     */
    public INDArray predict(INDArray batch, INDArray out) {
        return ModelRuntime.of(this).predict(batch, out);
    }

    /**
     * The {@link Model} form of predict: one array in (a Sequential has one input), a list of one output. Prefer
     * {@link #predict(INDArray)}, which returns the array itself.
     */
    @Override
    public List<INDArray> predict(INDArray... inputs) {
        if (inputs == null || inputs.length != 1) {
            throw new ShapeException("Model \"" + name + "\" is Sequential, with one input " + inputShape() + ", but"
                    + " predict got " + (inputs == null ? "none" : inputs.length + " arrays") + ". Fix: predict(x)"
                    + " with one array, batch axis first.");
        }
        return List.of(predict(inputs[0]));
    }

    /** {@link #predict(INDArray)} for a batch given as rows of Java numbers (one row per sample). */
    public INDArray predict(float[]... rows) {
        return ModelRuntime.of(this).predict(rows);
    }

    /** {@link #predict(INDArray)} for a batch given as rows of Java numbers (one row per sample). */
    public INDArray predict(double[]... rows) {
        return ModelRuntime.of(this).predict(rows);
    }

    /** Runs a batch and keeps every layer's input and output array: the step-by-step view of shapes. */
    public Trace trace(INDArray batch) {
        return ModelRuntime.of(this).trace(batch);
    }

    /**
     * Loads Keras weights saved from the same model: {@code .weights.h5} ({@code model.save_weights}), legacy
     * {@code .h5}, {@code .keras}, TensorFlow.js {@code model.json}, or NumPy ({@code np.savez(path,
     * *model.get_weights())}); see {@link Model#loadWeights(Path)}.
     */
    @Override
    public Sequential loadWeights(Path path) {
        org.shapelab.io.ModelFiles.loadWeights(this, path);
        return this;
    }

    /** {@link Model#load(Path)} for a file that holds a Sequential model. */
    public static Sequential load(Path path) {
        Model model = org.shapelab.io.ModelFiles.load(path);
        if (model instanceof Sequential sequential) {
            return sequential;
        }
        throw new ShapeException("Sequential.load: " + path.getFileName() + " holds a functional model (\""
                + model.name() + "\"), not a Sequential one. Fix: open it with Model.load(path), which gives a"
                + " Functional model.");
    }

    /** Draws fresh weights with Keras's default initializers from this seed (same seed, same weights). */
    public Sequential seed(long seed) {
        ModelRuntime.of(this).seed(seed);
        return this;
    }

    // ---- training (ND4J too) ----

    /**
     * Keras's {@code compile}: the optimizer ({@code "sgd"}, {@code "adam"}, {@code "rmsprop"}), the loss (e.g.
     * {@code "sparse_categorical_crossentropy"}) and metrics (e.g. {@code "accuracy"}). Compiling again starts a new
     * optimizer; the weights stay.
     */
    public Sequential compile(String optimizer, String loss, String... metrics) {
        return compile(Optimizer.of(optimizer), Loss.of(loss), metrics);
    }

    /** {@link #compile(String, String, String...)} with configured objects, e.g. {@code new Adam(0.01)}. */
    public Sequential compile(Optimizer optimizer, Loss loss, String... metrics) {
        this.compiled = Compiled.of(this, optimizer, loss, metrics);
        return this;
    }

    /** Keras's {@code train_on_batch}: one optimizer step on this batch; returns its loss before the step. */
    public double trainOnBatch(INDArray x, INDArray y) {
        return compiled("trainOnBatch").trainOnBatch(x, y);
    }

    /** Keras's {@code fit(x, y, epochs=..., batch_size=...)}, with the other options at Keras's defaults. */
    public History fit(INDArray x, INDArray y, int epochs, int batchSize) {
        return fit(x, y, FitOptions.epochs(epochs).batchSize(batchSize));
    }

    /** Keras's {@code fit} with options: {@code FitOptions.epochs(5).validationSplit(0.2)}. */
    public History fit(INDArray x, INDArray y, FitOptions options) {
        return compiled("fit").fit(x, y, options);
    }

    /** Keras's {@code evaluate}: {@code loss} and each metric over all samples. */
    public Map<String, Double> evaluate(INDArray x, INDArray y) {
        return compiled("evaluate").evaluate(x, y);
    }

    private Compiled compiled(String verb) {
        if (compiled == null) {
            throw new ShapeException("Model \"" + name + "\" is not compiled, so " + verb + " has no loss to"
                    + " minimize. Fix: model.compile(\"adam\", \"mse\") first, with the loss that fits your labels"
                    + " (e.g. \"sparse_categorical_crossentropy\" for class numbers), as in Keras.");
        }
        return compiled;
    }

    /** Keras JSON ({@code model.to_json()} format) that Keras and ShapeLab read back. */
    @Override
    public String toKerasJson() {
        return KerasJson.write(this);
    }

    private void requireInput() {
        if (input == null) {
            throw new ShapeException("Model \"" + name + "\" has no input shape yet. Start with Sequential.input(...)"
                    + " or give the first layer inputShape(...).");
        }
    }

    @Override
    public String toString() {
        return summary();
    }
}
