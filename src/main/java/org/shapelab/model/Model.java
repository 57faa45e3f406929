package org.shapelab.model;

import java.nio.file.Path;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.compute.ModelRuntime;
import org.shapelab.io.ModelFiles;
import org.shapelab.layers.Input;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Tensor;
import org.shapelab.shape.Shape;

/**
 * What every Keras model is in ShapeLab: a {@link Sequential} stack, or a {@link Functional} graph made with
 * {@link #of(Input, Tensor)} from tensors that layers were applied to.
 *
 * <pre>{@code
 * Input numbers = Input.shape(10);
 * Input words = Input.shape(Shape.NONE, 8);
 * Tensor a = new Dense(16, "relu").apply(numbers);
 * Tensor b = new LSTM(16).apply(words);
 * Tensor joined = new Concatenate().apply(a, b);          // (None, 32)
 * Model model = Model.of(List.of(numbers, words), List.of(new Dense(1).apply(joined)));
 * }</pre>
 */
public interface Model {

    /** Reads a Sequential or functional model from Keras JSON (tf.keras 2, Keras 3 or TensorFlow.js). */
    static Model fromKerasJson(String json) {
        return KerasJson.readModel(json);
    }

    /**
     * Opens a model file as Keras's {@code keras.models.load_model} does: {@code .keras} (Keras 3), legacy {@code .h5}
     * (tf.keras 2 and Keras 3 {@code model.save("m.h5")}) or TensorFlow.js {@code model.json} beside its {@code .bin}
     * shards; architecture and weights. A {@link Sequential} or a {@link Functional} model, as the file says.
     * Weights-only files go to {@link #loadWeights(Path)}. See {@code docs/model-files.md}.
     */
    static Model load(Path path) {
        return ModelFiles.load(path);
    }

    /** Keras's {@code keras.Model(inputs, outputs)} for one input and one output. */
    static Functional of(Input input, Tensor output) {
        return Functional.of("functional", List.of(input), List.of(output));
    }

    /** Keras's {@code keras.Model(inputs=[...], outputs=[...])}. */
    static Functional of(List<Input> inputs, List<Tensor> outputs) {
        return Functional.of("functional", inputs, outputs);
    }

    /** The same, with the model's name. */
    static Functional of(String name, List<Input> inputs, List<Tensor> outputs) {
        return Functional.of(name, inputs, outputs);
    }

    String name();

    /** The layers with weights or shape rules, in Keras's {@code model.layers} order (inputs are not listed). */
    List<Layer> layers();

    /** The layer with this name. */
    Layer getLayer(String layerName);

    /** The summary shape of each model input, e.g. {@code [(None, 10), (None, None, 8)]}. */
    List<Shape> inputShapes();

    /** The summary shape of each model output. */
    List<Shape> outputShapes();

    long countParams();

    long trainableParams();

    default long nonTrainableParams() {
        return countParams() - trainableParams();
    }

    /** Keras's text summary, as Keras 3 prints it ({@link SummaryStyle#KERAS_3}). */
    String summary();

    /**
     * Keras's text summary in the given layout: {@code summary(SummaryStyle.TF_KERAS_2)} for the one tutorials
     * written for tf.keras 2 show, {@code summary(SummaryStyle.KERAS_3)} for today's Keras (what {@link #summary()}
     * gives).
     */
    default String summary(SummaryStyle style) {
        return Summary.text(this, style);
    }

    /**
     * The Keras 3 Python code that builds this model: {@code import keras}, then {@code keras.Sequential([...])} or the
     * functional form with a variable per tensor and {@code keras.Model(inputs=..., outputs=...)}. Only options that
     * differ from Keras's defaults are written; a layer gets {@code name=} only where Keras would name it otherwise.
     * Run in a fresh Python session, its {@code model.summary()} prints what {@link #summary()} prints.
     */
    default String toKerasPython() {
        return KerasPython.of(this);
    }

    /** One array per model input (batch first, the same batch size) in, one array per output out. */
    List<INDArray> predict(INDArray... inputs);

    /** All weights in Keras's {@code get_weights()} order and layouts. */
    default List<INDArray> getWeights() {
        return ModelRuntime.of(this).getWeights();
    }

    /** Replaces all weights (Keras's {@code set_weights}); each must have its Keras shape. */
    default void setWeights(List<INDArray> weights) {
        ModelRuntime.of(this).setWeights(weights);
    }

    /** One layer's weights, e.g. {@code getWeights("dense")} gives kernel and bias. */
    default List<INDArray> getWeights(String layerName) {
        return ModelRuntime.of(this).getWeights(layerName);
    }

    /** Replaces one layer's weights, each in its Keras shape. */
    default void setWeights(String layerName, List<INDArray> weights) {
        ModelRuntime.of(this).setWeights(layerName, weights);
    }

    /** Forgets the states of stateful recurrent layers, as Keras's {@code reset_states()}. */
    default void resetStates() {
        ModelRuntime.of(this).resetStates();
    }

    /** Keras JSON ({@code model.to_json()}). */
    String toKerasJson();

    /**
     * Loads weights saved from the same model: Keras 3 {@code .weights.h5} ({@code model.save_weights}), legacy
     * {@code .h5}, the weights of a {@code .keras} file or a TensorFlow.js {@code model.json}, or a NumPy {@code .npz}
     * ({@code np.savez("w.npz", *model.get_weights())}). Nothing changes unless every weight fits.
     */
    Model loadWeights(Path path);

    /**
     * Saves the model as Keras 3's {@code model.save}: {@code save(Path.of("m.keras"))} writes a file
     * {@code keras.models.load_model} opens (and {@link #load(Path)}); a name ending in {@code .weights.h5} writes the
     * weights only, as {@code model.save_weights}.
     */
    default void save(Path path) {
        ModelFiles.save(this, path);
    }
}
