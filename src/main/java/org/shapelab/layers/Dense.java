package org.shapelab.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.shapelab.shape.Shape;

/**
 * A fully connected layer: {@code output = activation(input · kernel + bias)} on the last axis.
 *
 * <p>Shape rule: {@code (None, ..., in) -> (None, ..., units)}. On 3D input it acts on the last axis
 * only, as Keras does: {@code (None, 28, 28) -> Dense(64) -> (None, 28, 64)}.
 */
public final class Dense extends Layer {

    private final int units;
    private String activation = "linear";
    private boolean useBias = true;

    public Dense(int units) {
        this.units = positive("units", units);
    }

    public Dense(int units, String activation) {
        this(units);
        activation(activation);
    }

    public Dense activation(String name) {
        requireUnbuilt("activation");
        this.activation = Activations.check(name, describe());
        return this;
    }

    public Dense useBias(boolean value) {
        requireUnbuilt("useBias");
        this.useBias = value;
        return this;
    }

    public int units() {
        return units;
    }

    public String activation() {
        return activation;
    }

    public boolean useBias() {
        return useBias;
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        if (input.rank() < 2) {
            throw inputError(input).expected("(None, features)", Shape.Kind.SUMMARY)
                    .problem("Dense needs at least one axis besides the batch axis.")
                    .fix("declare the input as input(features), e.g. input(10)").build();
        }
        if (!input.isKnown(-1)) {
            throw inputError(input).expected("(None, ..., features) with features known", Shape.Kind.SUMMARY)
                    .problem("Dense acts on the last axis, whose size is None here, so its kernel cannot be sized."
                            + " A Flatten after an axis of unknown size (None) also gives None. (tf.keras 2 said: \"The"
                            + " last dimension of the inputs to a Dense layer should be defined. Found None.\")")
                    .keras(org.shapelab.shape.KerasWords.undefinedKernel(units))
                    .fix("give that axis a size in the input shape, or use GlobalAveragePooling1D/GlobalMaxPooling1D"
                            + " to remove an axis of unknown length before Dense").build();
        }
        return input.with(-1, units);
    }

    @Override
    protected List<WeightSpec> buildWeights(Shape input) {
        List<WeightSpec> specs = new ArrayList<>();
        specs.add(new WeightSpec("kernel", new int[] {input.get(-1), units}, true, "glorot_uniform"));
        if (useBias) {
            specs.add(new WeightSpec("bias", new int[] {units}, true, "zeros"));
        }
        return specs;
    }

    @Override
    protected long computeMultiplyAdds(Shape input, Shape output) {
        long positions = input.sampleElements();
        return positions < 0 ? -1 : positions * units;
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("units", units);
        config.put("activation", activation);
        config.put("use_bias", useBias);
    }

    static Dense fromConfig(LayerConfig c) {
        Dense layer = new Dense(c.requireInt("units"));
        layer.activation(c.getActivation("activation", "linear"));
        layer.useBias(c.getBoolean("use_bias", true));
        return layer;
    }
}
