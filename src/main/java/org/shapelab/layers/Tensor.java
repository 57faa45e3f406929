package org.shapelab.layers;

import org.shapelab.shape.Shape;

/**
 * A symbolic tensor of the functional API, Keras's {@code KerasTensor}: no values, only the summary shape it will
 * have, e.g. {@code (None, 8)}, and the layer call that makes it. Made by {@link Input#shape(int...)} and by
 * {@link Layer#apply}; {@code Model.of(inputs, outputs)} follows the calls back from the outputs.
 */
public class Tensor {

    private final Shape shape;
    private final Node node;
    private final int index;

    Tensor(Shape shape, Node node, int index) {
        this.shape = shape;
        this.node = node;
        this.index = index;
    }

    /** The shape with the batch axis first, as Python's {@code x.shape}: {@code (None, 8)}, or {@code (32, 8)}. */
    public Shape shape() {
        return shape;
    }

    /** The layer call that produced this tensor; null for an {@link Input}. */
    public Node node() {
        return node;
    }

    /** Which of the call's outputs this is: 0, or 1 and 2 for the states of {@code return_state}. */
    public int index() {
        return index;
    }

    /** Keras's history reference, as the "Connected to" column prints it: {@code dense[0][0]}. */
    public String reference() {
        return node.layer().name() + "[" + node.index() + "][" + index + "]";
    }

    /** Where the tensor comes from, for messages: "the output of layer \"dense\" (Dense)". */
    String origin() {
        return node == null ? "a model input" : (index == 0 ? "the output" : "output " + index) + " of layer "
                + node.layer().describe();
    }

    @Override
    public String toString() {
        return "<Tensor shape=" + shape + (node == null ? "" : ", from " + node.layer().describe()) + ">";
    }
}
