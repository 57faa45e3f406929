package org.shapelab.layers;

import java.util.Map;

import org.shapelab.shape.Shape;

/**
 * Keras's {@code RepeatVector(n)}: {@code (None, features)} becomes {@code (None, n, features)}, the same vector at
 * each of n timesteps. It turns one summary vector into a sequence a recurrent layer can unroll: the one-to-many
 * (and encoder-decoder) pattern.
 */
public final class RepeatVector extends Layer {

    private final int n;

    public RepeatVector(int n) {
        this.n = positive("n", n);
    }

    public int n() {
        return n;
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        if (input.rank() != 2) {
            throw inputError(input).expected("(None, features)", Shape.Kind.SUMMARY)
                    .problem("RepeatVector repeats one vector per sample, so it needs 2 axes (batch, features), but got "
                            + input.rank() + " (Keras: \"Input 0 with name 'None' of layer '" + (name() == null ? "repeat_vector"
                            : name()) + "' is incompatible with the layer: expected ndim=2, found ndim=" + input.rank()
                            + ". Full shape received: " + input + "\").")
                    .fix(input.rank() == 3 ? "take the last step first (an LSTM without returnSequences gives"
                            + " (None, units)), or Flatten the sequence" : "Flatten the input to (None, features) first")
                    .build();
        }
        return Shape.summary(Shape.NONE, n, input.get(1));
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("n", n);
    }

    static RepeatVector fromConfig(LayerConfig c) {
        return new RepeatVector(c.requireInt("n"));
    }
}
