package org.shapelab.layers;

import java.util.Arrays;
import java.util.Map;

import org.shapelab.shape.Shape;

/**
 * Reorders the axes of each sample. Axes are numbered from 1 (the batch axis is 0 and never moves):
 * {@code Permute(2, 1)} turns {@code (None, 10, 64)} into {@code (None, 64, 10)}.
 */
public final class Permute extends Layer {

    private final int[] dims;

    public Permute(int... dims) {
        int[] sorted = dims.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] != i + 1) {
                throw optionError("dims", Shape.tupleText(dims), "give each axis 1.." + dims.length
                        + " exactly once (the batch axis 0 stays first), e.g. permute(2, 1)");
            }
        }
        if (dims.length == 0) {
            throw optionError("dims", "()", "give the new order of the sample axes, e.g. permute(2, 1)");
        }
        this.dims = dims.clone();
    }

    public int[] dims() {
        return dims.clone();
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        if (input.rank() - 1 != dims.length) {
            throw inputError(input).expected("a shape with " + dims.length + " axes after the batch axis",
                            Shape.Kind.SUMMARY)
                    .problem("Permute" + Shape.tupleText(dims) + " reorders " + dims.length
                            + " sample axes but each sample has " + (input.rank() - 1) + ".")
                    .fix("list every sample axis once, numbered from 1, e.g. permute("
                            + String.join(", ", Arrays.stream(reversed(input.rank() - 1)).mapToObj(Integer::toString)
                            .toList()) + ")")
                    .build();
        }
        int[] out = new int[input.rank()];
        out[0] = Shape.NONE;
        for (int i = 0; i < dims.length; i++) {
            out[i + 1] = input.get(dims[i]);
        }
        return Shape.summary(out);
    }

    private static int[] reversed(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = n - i;
        }
        return out;
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("dims", listOf(dims));
    }

    static Permute fromConfig(LayerConfig c) {
        int[] dims = c.getSizes("dims");
        if (dims == null) {
            throw c.problem("has no 'dims', which this layer needs");
        }
        return new Permute(dims);
    }
}
