package org.shapelab.layers;

import java.util.List;
import java.util.Map;

import org.shapelab.shape.Shape;

/**
 * Keras's {@code Concatenate(axis=-1)}: joins tensors along one axis, whose sizes add up; every other axis must
 * agree. The axis counts the batch axis as 0, as Keras does, so {@code axis=1} is a sample's first axis.
 */
public final class Concatenate extends Merge {

    private final int axis;

    /** Joins along the last axis (features or channels), Keras's default. */
    public Concatenate() {
        this(-1);
    }

    public Concatenate(int axis) {
        if (axis == 0) {
            throw optionError("axis", axis, "axis 0 is the batch axis, which merges never join; use 1 for a sample's"
                    + " first axis or -1 for the last");
        }
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    @Override
    protected Shape mergedShape(List<Shape> inputs) {
        int rank = inputs.get(0).rank();
        for (Shape input : inputs) {
            if (input.rank() != rank) {
                throw mismatch(inputs, "all inputs need the same number of axes, but they have " + ranks(inputs),
                        "reshape the branches so that they have the same rank, e.g. Flatten both before joining");
            }
        }
        int joined = axis < 0 ? rank + axis : axis;
        if (joined <= 0 || joined >= rank) {
            throw mismatch(inputs, "axis=" + axis + " is not an axis of these rank-" + rank + " tensors (the batch"
                    + " axis 0 cannot be joined)", "use an axis from 1 to " + (rank - 1) + ", or -1 for the last");
        }
        int[] out = inputs.get(0).dims();
        for (int a = 1; a < rank; a++) {
            if (a == joined) {
                int total = 0;
                for (Shape input : inputs) {
                    total = total == Shape.NONE || !input.isKnown(a) ? Shape.NONE : total + input.get(a);
                }
                out[a] = total;
                continue;
            }
            for (Shape input : inputs) {
                if (input.isKnown(a) && out[a] != Shape.NONE && input.get(a) != out[a]) {
                    throw mismatch(inputs, "the inputs are joined along axis " + joined + ", so every other axis must"
                            + " be equal, but axis " + a + " has sizes " + sizes(inputs, a) + " (Keras: \"A"
                            + " `Concatenate` layer requires inputs with matching shapes except for the concatenation"
                            + " axis. Received: input_shape=" + shapesText(inputs) + "\")", axis == -1 && a == rank - 2 || joined != rank - 1
                            ? "join along the axis that differs (Concatenate(" + a + ")), or make that axis equal"
                            + " in every branch (e.g. same timesteps, same image size)"
                            : "make axis " + a + " equal in every branch, or join along it with Concatenate(" + a + ")");
                }
                if (!input.isKnown(a)) {
                    continue;
                }
                out[a] = input.get(a);
            }
        }
        out[0] = Shape.NONE;
        return Shape.summary(out);
    }

    private static String ranks(List<Shape> inputs) {
        StringBuilder text = new StringBuilder();
        for (Shape input : inputs) {
            text.append(text.length() == 0 ? "" : ", ").append(input.rank());
        }
        return text.toString();
    }

    private static String sizes(List<Shape> inputs, int axis) {
        StringBuilder text = new StringBuilder();
        for (Shape input : inputs) {
            text.append(text.length() == 0 ? "" : " and ").append(input.isKnown(axis) ? input.get(axis) : "None");
        }
        return text.toString();
    }

    @Override
    protected String expectedText(List<Shape> inputs) {
        Shape first = inputs.get(0);
        int joined = axis < 0 ? first.rank() + axis : axis;
        if (joined <= 0 || joined >= first.rank()) {
            return "inputs of rank " + first.rank() + " joined along one of axes 1 to " + (first.rank() - 1);
        }
        StringBuilder pattern = new StringBuilder("(None");
        for (int a = 1; a < first.rank(); a++) {
            pattern.append(", ").append(a == joined ? "any" : first.isKnown(a) ? Integer.toString(first.get(a)) : "None");
        }
        return "inputs equal on every axis but axis " + joined + ": " + pattern + ")";
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("axis", axis);
    }

    static Concatenate fromConfig(LayerConfig c) {
        return new Concatenate(c.getInt("axis", -1));
    }
}
