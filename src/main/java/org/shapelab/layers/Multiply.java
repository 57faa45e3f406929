package org.shapelab.layers;

/** Keras's {@code Multiply}: takes tensors of one shape and multiplies them, position by position. */
public final class Multiply extends ElementwiseMerge {

    public Multiply() {
        super(Op.MULTIPLY);
    }

    static Multiply fromConfig(LayerConfig c) {
        return new Multiply();
    }
}
