package org.shapelab.layers;

/** Keras's {@code Subtract}: takes tensors of one shape and subtracts the second from the first, position by position. */
public final class Subtract extends ElementwiseMerge {

    public Subtract() {
        super(Op.SUBTRACT);
    }

    @Override
    protected int minInputs() {
        return 2;
    }

    @Override
    protected int maxInputs() {
        return 2;
    }

    static Subtract fromConfig(LayerConfig c) {
        return new Subtract();
    }
}
