package org.shapelab.layers;

/** Keras's {@code Add}: takes tensors of one shape and adds them, position by position. */
public final class Add extends ElementwiseMerge {

    public Add() {
        super(Op.ADD);
    }

    static Add fromConfig(LayerConfig c) {
        return new Add();
    }
}
