package org.shapelab.layers;

import java.util.Arrays;

import org.shapelab.shape.Shape;

/**
 * One weight a layer creates, in Keras's order, name and layout, e.g. Conv2D's
 * {@code kernel [kh, kw, in, filters]}.
 *
 * @param name        Keras's weight name ({@code kernel}, {@code recurrent_kernel}, {@code bias}, ...)
 * @param shape       Keras layout of the weight
 * @param trainable   false for statistics such as BatchNormalization's moving mean
 * @param initializer Keras name of the default initializer, e.g. {@code glorot_uniform}
 */
public record WeightSpec(String name, int[] shape, boolean trainable, String initializer) {

    public WeightSpec {
        shape = shape.clone();
    }

    /** Number of scalars in this weight. */
    public long size() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** E.g. {@code kernel (3, 3, 1, 32)}. */
    @Override
    public String toString() {
        return name + " " + Shape.tupleText(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightSpec w && name.equals(w.name) && Arrays.equals(shape, w.shape)
                && trainable == w.trainable && initializer.equals(w.initializer);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(shape);
    }
}
