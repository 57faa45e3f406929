package org.shapelab.layers;

import java.util.List;

import org.shapelab.shape.Shape;

/**
 * Merges that combine tensors value by value: the shapes must be equal, or broadcast as Keras's
 * {@code _compute_elemwise_op_output_shape} allows (an axis of 1 or None against any size; a shorter tensor gets
 * new axes right after the batch axis).
 */
public abstract class ElementwiseMerge extends Merge {

    /** The operation on each position. */
    public enum Op { ADD, SUBTRACT, MULTIPLY, AVERAGE, MAXIMUM, MINIMUM }

    private final Op op;

    protected ElementwiseMerge(Op op) {
        this.op = op;
    }

    public Op op() {
        return op;
    }

    @Override
    protected Shape mergedShape(List<Shape> inputs) {
        int[] merged = inputs.get(0).sampleShape().dims();
        for (int i = 1; i < inputs.size(); i++) {
            merged = broadcast(merged, inputs.get(i).sampleShape().dims(), inputs);
        }
        int[] withBatch = new int[merged.length + 1];
        withBatch[0] = Shape.NONE;
        System.arraycopy(merged, 0, withBatch, 1, merged.length);
        return Shape.summary(withBatch);
    }

    private int[] broadcast(int[] first, int[] second, List<Shape> inputs) {
        int[] longer = first.length >= second.length ? first : second;
        int[] shorter = longer == first ? second : first;
        int[] out = longer.clone();
        int offset = longer.length - shorter.length;
        for (int k = 0; k < shorter.length; k++) {
            int i = longer[offset + k];
            int j = shorter[k];
            if (i == Shape.NONE || j == Shape.NONE) {
                out[offset + k] = Shape.NONE;
            } else if (i == 1) {
                out[offset + k] = j;
            } else if (j != 1 && i != j) {
                throw mismatch(inputs, "the inputs must have the same shape (or axes of size 1, which are repeated),"
                        + " but sample shapes " + Shape.tupleText(first) + " and " + Shape.tupleText(second) + " differ"
                        + " on an axis of sizes " + i + " and " + j + " (Keras: \"Inputs have incompatible shapes."
                        + " Received shapes " + Shape.tupleText(first) + " and " + Shape.tupleText(second) + "\")",
                        "make the branches end in the same shape, e.g. give their last Dense layers the same units, or"
                                + " use Concatenate to join tensors of different sizes");
            }
        }
        return out;
    }

    @Override
    protected String expectedText(List<Shape> inputs) {
        return "inputs of one shape, e.g. " + inputs.get(0) + " and " + inputs.get(0);
    }
}
