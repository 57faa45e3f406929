package org.shapelab.layers;

import org.shapelab.shape.Shape;

/**
 * The start of a model: the shape of one sample, without the batch axis, as Keras's
 * {@code keras.Input(shape=(28, 28, 1))}. In a functional model it is the first tensor, which layers are applied
 * to; in a Sequential it is not a layer of its own in summaries. {@link #batchSize(int)} fixes the batch, as
 * {@code keras.Input(shape=(10, 8), batch_size=32)}, which stateful recurrent layers need.
 */
public final class Input extends Tensor {

    private final Shape sampleShape;
    private final String name;

    private Input(Shape sampleShape, int batchSize, String name) {
        super(sampleShape.withBatch().withBatchSize(batchSize), null, 0);
        this.sampleShape = sampleShape;
        this.name = name;
    }

    /** One sample's axes, e.g. {@code Input.shape(28, 28, 1)}; {@link Shape#NONE} for unknown lengths. */
    public static Input shape(int... sampleDims) {
        return new Input(Shape.sample(sampleDims), Shape.NONE, null);
    }

    /** An input of this shape's sample axes; a summary shape's fixed batch size is kept. */
    public static Input shape(Shape shape) {
        return new Input(shape.sampleShape(), shape.batchSize(), null);
    }

    /** The same input with a fixed batch size, as {@code keras.Input(..., batch_size=32)}. */
    public Input batchSize(int batchSize) {
        return new Input(sampleShape, batchSize, name);
    }

    /** The same input with a name, as {@code keras.Input(..., name="pixels")}. */
    public Input name(String newName) {
        return new Input(sampleShape, batchShape().batchSize(), newName);
    }

    /** The given name, or null (the model then names it {@code input_layer}, {@code input_layer_1}, ...). */
    public String name() {
        return name;
    }

    /** The declared sample shape, e.g. {@code (28, 28, 1)}. */
    public Shape sampleShape() {
        return sampleShape;
    }

    /** The summary shape the first layer receives, e.g. {@code (None, 28, 28, 1)}, or {@code (32, 10, 8)}. */
    public Shape batchShape() {
        return shape();
    }

    @Override
    String origin() {
        return "the model input" + (name == null ? "" : " \"" + name + "\"") + ", declared as " + sampleShape;
    }

    @Override
    public String reference() {
        return (name == null ? "input" : name) + "[0][0]";
    }

    @Override
    public String toString() {
        return "Input(shape=" + sampleShape + (batchShape().batchSize() == Shape.NONE ? ""
                : ", batch_size=" + batchShape().batchSize()) + (name == null ? "" : ", name=\"" + name + "\"") + ")";
    }
}
