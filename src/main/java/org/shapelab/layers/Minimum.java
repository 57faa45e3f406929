package org.shapelab.layers;

/** Keras's {@code Minimum}: takes tensors of one shape and takes the smaller value, position by position. */
public final class Minimum extends ElementwiseMerge {

    public Minimum() {
        super(Op.MINIMUM);
    }

    static Minimum fromConfig(LayerConfig c) {
        return new Minimum();
    }
}
