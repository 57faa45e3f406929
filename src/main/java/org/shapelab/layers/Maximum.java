package org.shapelab.layers;

/** Keras's {@code Maximum}: takes tensors of one shape and takes the larger value, position by position. */
public final class Maximum extends ElementwiseMerge {

    public Maximum() {
        super(Op.MAXIMUM);
    }

    static Maximum fromConfig(LayerConfig c) {
        return new Maximum();
    }
}
