package org.shapelab.layers;

import org.shapelab.shape.Shape;

/**
 * The start of a model: the shape of one sample, without the batch axis, as Keras's
 * {@code keras.Input(shape=(28, 28, 1))}. It is not a layer of its own in summaries.
 */
public final class Input {

    private final Shape sampleShape;

    private Input(Shape sampleShape) {
        this.sampleShape = sampleShape;
    }

    /** One sample's axes, e.g. {@code Input.shape(28, 28, 1)}; {@link Shape#NONE} for unknown lengths. */
    public static Input shape(int... sampleDims) {
        return new Input(Shape.sample(sampleDims));
    }

    public static Input shape(Shape shape) {
        return new Input(shape.sampleShape());
    }

    /** The declared sample shape, e.g. {@code (28, 28, 1)}. */
    public Shape sampleShape() {
        return sampleShape;
    }

    /** The summary shape the first layer receives, e.g. {@code (None, 28, 28, 1)}. */
    public Shape batchShape() {
        return sampleShape.withBatch();
    }

    @Override
    public String toString() {
        return "Input(shape=" + sampleShape + ")";
    }
}
