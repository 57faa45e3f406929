package org.shapelab.layers;

/** Keras's {@code Average}: takes tensors of one shape and averages them, position by position. */
public final class Average extends ElementwiseMerge {

    public Average() {
        super(Op.AVERAGE);
    }

    static Average fromConfig(LayerConfig c) {
        return new Average();
    }
}
