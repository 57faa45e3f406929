package org.shapelab.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.shapelab.shape.Shape;

/**
 * Normalizes each feature (each channel, for images) with a learned scale and offset; the shape never
 * changes. Four weights of one value per feature on {@code axis}: gamma and beta are trained,
 * moving_mean and moving_variance are statistics (non-trainable). Use {@code axis(1)} after
 * channels_first convolutions.
 */
public final class BatchNormalization extends Layer {

    private int axis = -1;
    private double epsilon = 0.001;
    private double momentum = 0.99;
    private boolean center = true;
    private boolean scale = true;

    /** The feature axis, counted with the batch axis (so -1 or 1, 2, 3...). */
    public BatchNormalization axis(int value) {
        requireUnbuilt("axis");
        if (value == 0) {
            throw optionError("axis", value, "axis 0 is the batch axis; use -1 (channels_last) or 1 (channels_first)");
        }
        this.axis = value;
        return this;
    }

    public BatchNormalization epsilon(double value) {
        requireUnbuilt("epsilon");
        if (!(value > 0)) {
            throw optionError("epsilon", value, "epsilon must be a small positive number such as 0.001");
        }
        this.epsilon = value;
        return this;
    }

    public BatchNormalization momentum(double value) {
        requireUnbuilt("momentum");
        this.momentum = value;
        return this;
    }

    /** Learn an offset beta (default true). */
    public BatchNormalization center(boolean value) {
        requireUnbuilt("center");
        this.center = value;
        return this;
    }

    /** Learn a scale gamma (default true). */
    public BatchNormalization scale(boolean value) {
        requireUnbuilt("scale");
        this.scale = value;
        return this;
    }

    public int axis() {
        return axis;
    }

    public double epsilon() {
        return epsilon;
    }

    /** How much of the moving statistics each training step keeps (Keras's default 0.99). */
    public double momentum() {
        return momentum;
    }

    public boolean center() {
        return center;
    }

    public boolean scale() {
        return scale;
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        int index = axis < 0 ? input.rank() + axis : axis;
        if (index <= 0 || index >= input.rank()) {
            throw inputError(input).expected("a shape with axis " + axis + " after the batch axis", Shape.Kind.SUMMARY)
                    .problem("axis " + axis + " does not exist in a shape of rank " + input.rank() + ".")
                    .fix("use axis(-1) for the last axis (channels_last) or axis(1) for channels_first").build();
        }
        if (!input.isKnown(index)) {
            throw inputError(input).expected("a known size on axis " + axis, Shape.Kind.SUMMARY)
                    .problem("the normalized axis is None, so there is no fixed number of features.")
                    .fix("normalize a known axis, usually the features or channels").build();
        }
        return input;
    }

    @Override
    protected List<WeightSpec> buildWeights(Shape input) {
        int[] features = {input.get(axis < 0 ? input.rank() + axis : axis)};
        List<WeightSpec> specs = new ArrayList<>();
        if (scale) {
            specs.add(new WeightSpec("gamma", features, true, "ones"));
        }
        if (center) {
            specs.add(new WeightSpec("beta", features, true, "zeros"));
        }
        specs.add(new WeightSpec("moving_mean", features, false, "zeros"));
        specs.add(new WeightSpec("moving_variance", features, false, "ones"));
        return specs;
    }

    /** {@code 4·32 = 128 (64 trainable)}. */
    @Override
    public String paramFormula() {
        List<WeightSpec> specs = weights();
        return specs.size() + "·" + specs.get(0).size() + " = " + countParams() + " (" + trainableParams()
                + " trainable)";
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("axis", axis);
        config.put("momentum", momentum);
        config.put("epsilon", epsilon);
        config.put("center", center);
        config.put("scale", scale);
    }

    static BatchNormalization fromConfig(LayerConfig c) {
        return new BatchNormalization().axis(c.getAxis("axis", -1)).epsilon(c.getDouble("epsilon", 0.001))
                .momentum(c.getDouble("momentum", 0.99)).center(c.getBoolean("center", true))
                .scale(c.getBoolean("scale", true));
    }
}
