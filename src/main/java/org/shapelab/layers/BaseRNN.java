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
    private boolean returnState;
    private boolean stateful;
    private boolean zeroOutputForMask;

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

    /**
     * true: the layer also returns its final states, as Keras's {@code return_state=True}: {@code [output, h]} for
     * SimpleRNN and GRU, {@code [output, h, c]} for LSTM, each state {@code (None, units)}. Only a functional model
     * can take several outputs of one layer ({@code layer.applyAll(x)}).
     */
    public T returnState(boolean value) {
        requireUnbuilt("returnState");
        this.returnState = value;
        return self();
    }

    public boolean returnState() {
        return returnState;
    }

    /**
     * true: the final states of one batch are the initial states of the next ({@code predict} after {@code predict},
     * batch after batch in {@code fit}) until {@code resetStates()}, as Keras's {@code stateful=True}. Sample i of a
     * batch continues sample i of the batch before, so the batch size must be fixed: {@code Input.shape(...)
     * .batchSize(32)}, Keras's {@code batch_input_shape}.
     */
    public T stateful(boolean value) {
        requireUnbuilt("stateful");
        this.stateful = value;
        return self();
    }

    public boolean stateful() {
        return stateful;
    }

    /**
     * Keras's {@code zero_output_for_mask}: with a mask and {@code return_sequences}, masked steps of the output are
     * 0 instead of repeating the last real step's output (Bidirectional always does this).
     */
    public T zeroOutputForMask(boolean value) {
        requireUnbuilt("zeroOutputForMask");
        this.zeroOutputForMask = value;
        return self();
    }

    public boolean zeroOutputForMask() {
        return zeroOutputForMask;
    }

    /** How many state tensors the cell carries: 2 for LSTM (h and c), 1 for SimpleRNN and GRU (h). */
    public int stateCount() {
        return gates == 4 ? 2 : 1;
    }

    /** The names of the states, as Keras's docs call them: {@code [h]} or {@code [h, c]}. */
    public List<String> stateNames() {
        return stateCount() == 2 ? List.of("h", "c") : List.of("h");
    }

    /**
     * A functional call with initial states, Keras's {@code layer(x, initial_state=[h, c])}: the states are
     * {@code (None, units)} tensors, e.g. an encoder's {@code return_state} outputs.
     */
    public List<Tensor> applyWithInitialState(Tensor x, Tensor... initialState) {
        Tensor[] all = new Tensor[1 + (initialState == null ? 0 : initialState.length)];
        all[0] = x;
        for (int i = 1; i < all.length; i++) {
            all[i] = initialState[i - 1];
        }
        return applyAll(all);
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
    protected List<Shape> computeOutputShapes(List<Shape> inputs) {
        Shape input = inputs.get(0);
        Shape output = computeOutputShape(input);
        if (stateful && input.batchSize() == Shape.NONE) {
            throw inputError(input).expected(input.withBatchSize(32) + " (a fixed batch size, here 32)",
                            Shape.Kind.SUMMARY)
                    .problem("stateful=True carries each sample's state to the same row of the next batch, so the batch"
                            + " size must be fixed, but it is None (Keras: \"When using `stateful=True` in a RNN, the"
                            + " batch size must be static. Found dynamic batch size: sequence.shape=" + input + "\").")
                    .fix("declare the batch size: Input.shape(" + Shape.tupleText(input.sampleShape().dims())
                            .replaceAll("[()]", "").replaceAll(",$", "").replace("None", "Shape.NONE")
                            + ").batchSize(32), Keras's batch_input_shape=(32, ...); or leave stateful out").build();
        }
        int given = inputs.size() - 1;
        if (given != 0 && given != stateCount()) {
            throw inputError(inputs.get(1), 1).expected(stateCount() + " initial state" + (stateCount() > 1 ? "s " : " ")
                            + stateNames() + ", each (None, " + units + ")", Shape.Kind.SUMMARY)
                    .problem(kerasClassName() + " has " + stateCount() + " state" + (stateCount() > 1 ? "s" : "") + " "
                            + stateNames() + " but was given " + given + " initial state tensor" + (given > 1 ? "s" : "")
                            + ".")
                    .fix(stateCount() == 2 ? "pass both h and c, e.g. the last two outputs of an LSTM with"
                            + " returnState(true)" : "pass one state h, e.g. the second output of a " + kerasClassName()
                            + " with returnState(true) (an LSTM gives h and c: pass only h)").build();
        }
        for (int i = 1; i < inputs.size(); i++) {
            Shape state = inputs.get(i);
            if (state.rank() != 2 || state.get(1) != units) {
                throw inputError(state, i).expected("(None, " + units + ")", Shape.Kind.SUMMARY)
                        .problem("initial state " + stateNames().get(i - 1) + " of a " + kerasClassName() + "(" + units
                                + ") must have one row of " + units + " values per sample, but it is " + state + ".")
                        .fix("give the state layer " + units + " units, e.g. the encoder's " + kerasClassName() + "("
                                + units + ")").build();
            }
        }
        if (!returnState) {
            return List.of(output);
        }
        List<Shape> outputs = new java.util.ArrayList<>();
        outputs.add(output);
        for (int i = 0; i < stateCount(); i++) {
            outputs.add(Shape.summary(Shape.NONE, units));
        }
        return outputs;
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        String name = kerasClassName();
        if (input.rank() != 3) {
            int[] sample = input.sampleShape().dims();
            String fix;
            String before = inputLayerDescription(0);
            if (sample.length == 1 && before != null && before.matches(".*\\((LSTM|GRU|SimpleRNN)\\)")) {
                // the classic stacked-RNN mistake: the previous RNN dropped the time axis this one needs
                fix = "give " + before + " returnSequences(true), so that it passes on every timestep,"
                        + " (None, timesteps, " + sample[0] + "), instead of only its last output, (None, " + sample[0]
                        + "); only the last recurrent layer of a stack may drop the time axis";
            } else if (sample.length == 1) {
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
                    .fix(fix).keras(org.shapelab.shape.KerasWords.rank(name(), false, 3, input)).build();
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
        config.put("return_state", returnState);
        config.put("go_backwards", goBackwards);
        config.put("stateful", stateful);
        config.put("unroll", false);
        if (zeroOutputForMask) {
            // tf.keras 2 writes the key only when it is set
            config.put("zero_output_for_mask", true);
        }
        config.put("units", units);
        config.put("activation", activation);
        if (gates > 1) {
            config.put("recurrent_activation", recurrentActivation);
        }
        config.put("use_bias", useBias);
    }

    /** Applies the options every recurrent layer shares from a Keras config. */
    T readOptions(LayerConfig c) {
        returnState(c.getBoolean("return_state", false));
        stateful(c.getBoolean("stateful", false));
        zeroOutputForMask(c.getBoolean("zero_output_for_mask", false));
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
