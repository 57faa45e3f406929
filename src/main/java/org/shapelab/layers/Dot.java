package org.shapelab.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.shapelab.shape.Shape;

/**
 * Keras's {@code Dot(axes, normalize=False)}: the dot product of two tensors sample by sample, summing over one
 * axis of each (Keras's {@code batch_dot}). {@code Dot(1)} of two {@code (None, 8)} vectors is {@code (None, 1)};
 * with {@code normalize} both are scaled to length 1 first, giving the cosine similarity.
 */
public final class Dot extends Merge {

    private final int[] axes;
    private boolean normalize;

    /** The same axis of both tensors (negative counts from the end; the batch axis is 0). */
    public Dot(int axes) {
        this(axes, axes);
    }

    /** Axis {@code first} of the first tensor against axis {@code second} of the second. */
    public Dot(int first, int second) {
        if (first == 0 || second == 0) {
            throw optionError("axes", first == second ? first : "(" + first + ", " + second + ")",
                    "axis 0 is the batch axis, which Dot never sums over");
        }
        this.axes = new int[] {first, second};
    }

    /** Whether both tensors are made unit length along the axes first (cosine similarity). */
    public Dot normalize(boolean value) {
        requireUnbuilt("normalize");
        this.normalize = value;
        return this;
    }

    public boolean normalize() {
        return normalize;
    }

    @Override
    protected int maxInputs() {
        return 2;
    }

    /** The two summed axes, counted in each input's shape with its batch axis (for inputs already built). */
    public int[] resolvedAxes() {
        return new int[] {resolve(axes[0], inputShapes().get(0).rank()), resolve(axes[1], inputShapes().get(1).rank())};
    }

    private static int resolve(int axis, int rank) {
        return axis < 0 ? Math.floorMod(axis, rank) : axis;
    }

    @Override
    protected Shape mergedShape(List<Shape> inputs) {
        Shape a = inputs.get(0);
        Shape b = inputs.get(1);
        int axisA = resolve(axes[0], a.rank());
        int axisB = resolve(axes[1], b.rank());
        if (axisA <= 0 || axisA >= a.rank() || axisB <= 0 || axisB >= b.rank()) {
            throw mismatch(inputs, "axes (" + axes[0] + ", " + axes[1] + ") are not sample axes of " + a + " and " + b,
                    "use axes from 1 to the last, or -1 for the last of each");
        }
        if (a.rank() > 3 || b.rank() > 3) {
            throw mismatch(inputs, "ShapeLab's Dot takes tensors of up to 3 axes (batch included), as Keras's batch_dot"
                    + " is mostly used", "flatten or reshape the inputs to (None, n) or (None, m, n) first");
        }
        if (a.isKnown(axisA) && b.isKnown(axisB) && a.get(axisA) != b.get(axisB)) {
            throw mismatch(inputs, "the summed axes must have the same size, but axis " + axisA + " of " + a + " has "
                    + a.get(axisA) + " and axis " + axisB + " of " + b + " has " + b.get(axisB) + " (Keras: \"Incompatible"
                    + " input shapes: axis values " + a.get(axisA) + " (at axis " + axisA + ") != " + b.get(axisB)
                    + " (at axis " + axisB + "). Full input shapes: " + a + ", " + b + "\")", "make the two sizes equal, e.g. Dense layers with the same units"
                    + " before Dot, or choose the axes that match");
        }
        List<Integer> out = new ArrayList<>();
        out.add(Shape.NONE);
        for (int i = 1; i < a.rank(); i++) {
            if (i != axisA) {
                out.add(a.get(i));
            }
        }
        for (int i = 1; i < b.rank(); i++) {
            if (i != axisB) {
                out.add(b.get(i));
            }
        }
        if (out.size() == 1) {
            out.add(1);
        }
        return Shape.summary(out.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override
    protected String expectedText(List<Shape> inputs) {
        return "two tensors with equal sizes on the summed axes " + axes[0] + " and " + axes[1];
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("axes", axes[0] == axes[1] ? axes[0] : List.of(axes[0], axes[1]));
        config.put("normalize", normalize);
    }

    static Dot fromConfig(LayerConfig c) {
        int[] axes = c.getTuple("axes", 2, new int[] {-1, -1});
        return new Dot(axes[0], axes[1]).normalize(c.getBoolean("normalize", false));
    }
}
