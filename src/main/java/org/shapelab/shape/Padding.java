package org.shapelab.shape;

import java.util.Locale;

/** How a convolution or pooling window treats the edges of its input. */
public enum Padding {
    /** No padding: the window stays inside the input, so the output shrinks. */
    VALID("valid"),
    /** Zero padding so that with stride 1 the output length equals the input length (extra pad on the right). */
    SAME("same"),
    /** Conv1D only: all padding on the left, so no output step sees the future. */
    CAUSAL("causal");

    private final String kerasName;

    Padding(String kerasName) {
        this.kerasName = kerasName;
    }

    public String kerasName() {
        return kerasName;
    }

    /** Reads the Keras spelling, case-insensitively. */
    public static Padding of(String kerasName) {
        for (Padding padding : values()) {
            if (padding.kerasName.equals(kerasName == null ? null : kerasName.toLowerCase(Locale.ROOT))) {
                return padding;
            }
        }
        throw new ShapeException("Unknown padding '" + kerasName + "'. Valid: 'valid' (no padding, output shrinks),"
                + " 'same' (output length = ceil(input / strides)), 'causal' (Conv1D only).");
    }

    @Override
    public String toString() {
        return kerasName;
    }
}
