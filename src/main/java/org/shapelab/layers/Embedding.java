package org.shapelab.layers;

import java.util.List;
import java.util.Map;

import org.shapelab.shape.Shape;

/**
 * Looks up a learned vector for each integer token: {@code (None, sequence_length) -> (None,
 * sequence_length, output_dim)}. The table has {@code input_dim · output_dim} parameters.
 */
public final class Embedding extends Layer {

    private final int inputDim;
    private final int outputDim;
    private int inputLength = Shape.NONE;
    private boolean maskZero;

    /**
     * @param inputDim  vocabulary size: tokens are 0 .. inputDim-1
     * @param outputDim length of each token's vector
     */
    public Embedding(int inputDim, int outputDim) {
        this.inputDim = positive("input_dim", inputDim);
        this.outputDim = positive("output_dim", outputDim);
    }

    /** Keras 2's {@code input_length}: the sequence length, checked against the input. */
    public Embedding inputLength(int length) {
        requireUnbuilt("inputLength");
        this.inputLength = positive("input_length", length);
        return this;
    }

    /** Treat token 0 as padding (affects masking in later layers, not shapes). */
    public Embedding maskZero(boolean value) {
        requireUnbuilt("maskZero");
        this.maskZero = value;
        return this;
    }

    public int inputDim() {
        return inputDim;
    }

    public int outputDim() {
        return outputDim;
    }

    /** Whether token 0 is padding, masked out for the layers after this one. */
    public boolean maskZero() {
        return maskZero;
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        if (input.rank() < 2) {
            throw inputError(input).expected("(None, sequence_length)", Shape.Kind.SUMMARY)
                    .problem("Embedding needs token ids per sample.").fix("declare input(sequence_length)").build();
        }
        if (inputLength != Shape.NONE && input.rank() == 2 && input.get(1) != Shape.NONE && input.get(1) != inputLength) {
            throw inputError(input).expected("(None, " + inputLength + ")", Shape.Kind.SUMMARY)
                    .problem("input_length is " + inputLength + " but each sample has " + input.get(1) + " tokens.")
                    .fix("make input_length equal the sequence length, " + input.get(1) + ", or leave it out").build();
        }
        int[] in = input.dims();
        int[] out = new int[in.length + 1];
        System.arraycopy(in, 0, out, 0, in.length);
        out[in.length] = outputDim;
        return Shape.summary(out);
    }

    @Override
    protected List<WeightSpec> buildWeights(Shape input) {
        return List.of(new WeightSpec("embeddings", new int[] {inputDim, outputDim}, true, "uniform"));
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("input_dim", inputDim);
        config.put("output_dim", outputDim);
        config.put("mask_zero", maskZero);
        if (inputLength != Shape.NONE) {
            config.put("input_length", inputLength);
        }
    }

    static Embedding fromConfig(LayerConfig c) {
        Embedding layer = new Embedding(c.requireInt("input_dim"), c.requireInt("output_dim"));
        if (c.has("input_length")) {
            layer.inputLength(c.requireInt("input_length"));
        }
        return layer.maskZero(c.getBoolean("mask_zero", false));
    }
}
