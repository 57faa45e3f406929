package org.shapelab.model;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
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

    /** All weights in Keras's {@code get_weights()} order. */
    List<INDArray> getWeights();

    /** Replaces all weights (Keras's {@code set_weights}), each in its Keras shape. */
    void setWeights(List<INDArray> weights);

    /** Forgets the states of stateful recurrent layers, as Keras's {@code reset_states()}. */
    void resetStates();

    /** Keras JSON ({@code model.to_json()}). */
    String toKerasJson();
}
