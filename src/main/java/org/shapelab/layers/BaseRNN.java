package org.shapelab.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.shapelab.shape.Shape;

/**
 * What SimpleRNN, LSTM and GRU share: they read {@code (None, timesteps, features)} one step at a time
 * and return either every step, {@code (None, timesteps, units)}, or only the last,
 * {@code (None, units)}. Timesteps may be None (sequences of any length).
 *
 * <p>Weights: kernel {@code [features, gates·units]}, recurrent_kernel {@code [units, gates·units]},
 * bias {@code [gates·units]}; LSTM has 4 gates (i, f, c, o), GRU 3 (z, r, h), SimpleRNN 1.
 *
 * @param <T> the concrete layer, so that options chain with its own type
 */
public abstract class BaseRNN<T extends BaseRNN<T>> extends Layer {

    private final int gates;
    private final int units;
    private boolean returnSequences;
    private String activation = "tanh";
    private String recurrentActivation = "sigmoid";
    private boolean useBias = true;
    private boolean goBackwards;

    protected BaseRNN(int gates, int units) {
        this.gates = gates;
        this.units = positive("units", units);
    }

    @SuppressWarnings("unchecked")
    protected final T self() {
        return (T) this;
    }

    /** true: output every timestep {@code (None, timesteps, units)}; false (default): the last {@code (None, units)}. */
    public T returnSequences(boolean value) {
        requireUnbuilt("returnSequences");
        this.returnSequences = value;
        return self();
    }

    /** The activation of the cell output (default tanh). */
    public T activation(String name) {
        requireUnbuilt("activation");
        this.activation = Activations.check(name, describe());
        return self();
    }

    /** The activation of the gates (default sigmoid); SimpleRNN has no gates. */
    public T recurrentActivation(String name) {
        requireUnbuilt("recurrentActivation");
        if (gates == 1) {
            throw optionError("recurrent_activation", name, "SimpleRNN has no gates, so no recurrent_activation");
        }
        this.recurrentActivation = Activations.check(name, describe());
        return self();
    }

    public T useBias(boolean value) {
        requireUnbuilt("useBias");
        this.useBias = value;
        return self();
    }

    /** Read the sequence from its last step to its first (shapes are unchanged). */
    public T goBackwards(boolean value) {
        requireUnbuilt("goBackwards");
        this.goBackwards = value;
        return self();
    }

    public boolean goBackwards() {
        return goBackwards;
    }

    public int units() {
        return units;
    }

    public boolean returnSequences() {
        return returnSequences;
    }

    public String activation() {
        return activation;
    }

    public String recurrentActivation() {
        return recurrentActivation;
    }

    public boolean useBias() {
        return useBias;
    }

    /** Number of gate blocks in each weight: 1, 3 or 4. */
    public int gates() {
        return gates;
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        String name = kerasClassName();
        if (input.rank() != 3) {
            int[] sample = input.sampleShape().dims();
            String fix;
            if (sample.length == 1) {
                int n = sample[0];
                fix = "if the layer before is an LSTM, GRU or SimpleRNN, give it returnSequences(true) so that it"
                        + " passes on every timestep, (None, timesteps, units); otherwise add a features axis: reshape("
                        + (n == Shape.NONE ? "-1" : n) + ", 1) reads the " + (n == Shape.NONE ? "values" : n + " values")
                        + " as timesteps of 1 feature each (or declare input(" + (n == Shape.NONE ? "None" : n) + ", 1))";
            } else if (sample.length == 3) {
                fix = "merge the last two axes into features: reshape(" + (sample[0] == Shape.NONE ? "-1" : sample[0])
                        + ", " + (sample[1] == Shape.NONE || sample[2] == Shape.NONE ? "-1"
                        : sample[1] * sample[2]) + "), or wrap per-step layers in TimeDistributed and Flatten each step";
            } else {
                fix = "reshape each sample to (timesteps, features)";
            }
            throw inputError(input).expected("(None, timesteps, features)", Shape.Kind.SUMMARY)
                    .problem(name + " needs 3 axes (batch, timesteps, features) but got " + input.rank() + ".")
                    .fix(fix).build();
        }
        if (!input.isKnown(2)) {
            throw inputError(input).expected("(None, timesteps, features) with features known", Shape.Kind.SUMMARY)
                    .problem("the features axis is None, so the kernel cannot be sized (only timesteps may be None).")
                    .fix("give the number of features per step, e.g. input(None, 8)").build();
        }
        return returnSequences ? Shape.summary(Shape.NONE, input.get(1), units) : Shape.summary(Shape.NONE, units);
    }

    @Override
    protected List<WeightSpec> buildWeights(Shape input) {
        int features = input.get(2);
        List<WeightSpec> specs = new ArrayList<>();
        specs.add(new WeightSpec("kernel", new int[] {features, gates * units}, true, "glorot_uniform"));
        specs.add(new WeightSpec("recurrent_kernel", new int[] {units, gates * units}, true, "orthogonal"));
        if (useBias) {
            specs.add(new WeightSpec("bias", biasShape(), true, biasInitializer()));
        }
        return specs;
    }

    /** The bias layout; GRU with reset_after keeps two rows. */
    protected int[] biasShape() {
        return new int[] {gates * units};
    }

    protected String biasInitializer() {
        return "zeros";
    }

    /** The gate factor made visible: {@code 4·(16·64 + 64·64 + 64) = 20736}. */
    @Override
    public String paramFormula() {
        int features = inputShape().get(2);
        int[] bias = biasShape();
        String biasTerm = !useBias ? "" : " + " + (bias.length == 2 ? bias[0] + "·" + units : Integer.toString(units));
        String inner = features + "·" + units + " + " + units + "·" + units + biasTerm;
        return (gates == 1 ? inner : gates + "·(" + inner + ")") + " = " + countParams();
    }

    @Override
    protected long computeMultiplyAdds(Shape input, Shape output) {
        int timesteps = input.get(1);
        if (timesteps == Shape.NONE) {
            return -1;
        }
        return (long) timesteps * gates * ((long) input.get(2) * units + (long) units * units);
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("return_sequences", returnSequences);
        config.put("return_state", false);
        config.put("go_backwards", goBackwards);
        config.put("stateful", false);
        config.put("unroll", false);
        config.put("units", units);
        config.put("activation", activation);
        if (gates > 1) {
            config.put("recurrent_activation", recurrentActivation);
        }
        config.put("use_bias", useBias);
    }

    /** Applies the options every recurrent layer shares from a Keras config. */
    T readOptions(LayerConfig c) {
        c.requireDefault("return_state", false);
        c.requireDefault("stateful", false);
        c.requireDefault("time_major", false);
        returnSequences(c.getBoolean("return_sequences", false));
        activation(c.getActivation("activation", "tanh"));
        if (gates > 1) {
            recurrentActivation(c.getActivation("recurrent_activation", "sigmoid"));
        }
        useBias(c.getBoolean("use_bias", true));
        goBackwards(c.getBoolean("go_backwards", false));
        return self();
    }
}
