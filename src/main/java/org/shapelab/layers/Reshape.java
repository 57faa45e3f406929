package org.shapelab.layers;

import java.util.Map;

import org.shapelab.shape.Shape;

/**
 * Gives each sample a new shape with the same number of values: {@code (None, 784) -> Reshape(28, 28, 1)
 * -> (None, 28, 28, 1)}. The target leaves the batch axis out, like {@code input_shape}; one axis may be
 * {@code -1}, meaning "whatever makes the count match".
 */
public final class Reshape extends Layer {

    private final int[] targetShape;

    public Reshape(int... targetShape) {
        if (targetShape.length == 0) {
            throw optionError("target_shape", "()", "give at least one axis, e.g. reshape(28, 28, 1)");
        }
        int inferred = 0;
        for (int size : targetShape) {
            if (size == -1) {
                inferred++;
            } else if (size <= 0) {
                throw optionError("target_shape", Shape.tupleText(targetShape),
                        "sizes must be positive, or -1 for the one axis to infer");
            }
        }
        if (inferred > 1) {
            throw optionError("target_shape", Shape.tupleText(targetShape), "only one axis can be -1 (inferred)");
        }
        this.targetShape = targetShape.clone();
    }

    public int[] targetShape() {
        return targetShape.clone();
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        long have = input.sampleElements();
        long known = 1;
        int inferredAxis = -1;
        for (int i = 0; i < targetShape.length; i++) {
            if (targetShape[i] == -1) {
                inferredAxis = i;
            } else {
                known *= targetShape[i];
            }
        }
        int[] out = new int[targetShape.length + 1];
        out[0] = Shape.NONE;
        System.arraycopy(targetShape, 0, out, 1, targetShape.length);
        if (have < 0) {
            // An axis of unknown length: Keras checks the count only when data arrives.
            if (inferredAxis >= 0) {
                out[inferredAxis + 1] = Shape.NONE;
            }
            return Shape.summary(out);
        }
        String target = Shape.tupleText(targetShape);
        String fix = "choose a target whose sizes multiply to " + have + countSuggestion(input, have)
                + ", or put -1 in one axis to let Keras infer it";
        if (inferredAxis >= 0) {
            if (have % known != 0) {
                throw inputError(input).expected("(None, ...) with a multiple of " + known + " values per sample",
                        Shape.Kind.SUMMARY).problem("Reshape to " + target + " needs a multiple of " + known
                                + " values per sample to infer the -1 axis, but each sample has " + have + ".")
                        .fix(fix).build();
            }
            out[inferredAxis + 1] = (int) (have / known);
            return Shape.summary(out);
        }
        if (known != have) {
            throw inputError(input).expected("(None, ...) with " + known + " values per sample", Shape.Kind.SUMMARY)
                    .problem("Reshape to " + target + " needs " + known + " values per sample ("
                            + product(targetShape) + "), but each sample has " + have
                            + (input.rank() > 2 ? " (" + product(input.sampleShape().dims()) + ")" : "") + ".")
                    .fix(fix).keras(org.shapelab.shape.KerasWords.reshape(input.sampleShape(), targetShape)).build();
        }
        return Shape.summary(out);
    }

    private static String countSuggestion(Shape input, long have) {
        int side = (int) Math.round(Math.sqrt(have));
        if (side * (long) side == have && input.rank() == 2) {
            return " (e.g. reshape(" + side + ", " + side + ", 1) for a square image)";
        }
        return "";
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("target_shape", listOf(targetShape));
    }

    static Reshape fromConfig(LayerConfig c) {
        int[] target = c.getSizes("target_shape");
        if (target == null) {
            throw c.problem("has no 'target_shape', which this layer needs");
        }
        return new Reshape(target);
    }
}
