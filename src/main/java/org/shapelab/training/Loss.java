package org.shapelab.training;

import java.util.Locale;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.shapelab.layers.Names;
import org.shapelab.shape.ShapeException;

/**
 * A Keras loss: per-sample values, reduced as Keras reduces them ({@code sum_over_batch_size}: the mean over every
 * value the loss computes, i.e. over the batch and any axes before the last), and its gradient with respect to the
 * prediction. The built-in ones follow Keras 3's formulas, probabilities clipped to {@code [1e-7, 1 - 1e-7]} as
 * Keras clips them (so no log of 0); {@link #custom} differentiates a learner's own function automatically.
 */
public abstract class Loss {

    /** Keras's {@code backend.epsilon()}. */
    static final double EPSILON = 1e-7;

    private final String name;
    final boolean fromLogits;

    Loss(String name, boolean fromLogits) {
        this.name = name;
        this.fromLogits = fromLogits;
    }

    /** Keras's name, e.g. {@code categorical_crossentropy}. */
    public String name() {
        return name;
    }

    /** Whether the prediction is taken as raw scores (logits) rather than probabilities. */
    public boolean fromLogits() {
        return fromLogits;
    }

    /**
     * The loss of a batch and its gradient with respect to {@code yPred} (same shape as yPred). For the built-in
     * losses also the value at each element, {@code values} (yPred's shape), whose sum divided by {@code divisor} is
     * the loss: what {@link #masked} weighs.
     */
    record Value(double loss, INDArray gradient, INDArray values, double divisor) {

        Value(double loss, INDArray gradient) {
            this(loss, gradient, null, 0);
        }

        /**
         * Keras 3's loss under the output's mask ({@code (batch, timesteps)}, 1 = real step): each step weighs
         * {@code mask · steps / (real steps + 1e-7)}, so the loss is the mean over the real steps only, and masked
         * steps get no gradient. Unchanged when there is no mask, it does not fit yPred, or the loss is a custom one.
         */
        Value masked(INDArray mask) {
            long[] shape = gradient.shape();
            if (mask == null || values == null || mask.rank() != shape.length - 1) {
                return this;
            }
            for (int a = 0; a < mask.rank(); a++) {
                if (mask.size(a) != shape[a]) {
                    return this;
                }
            }
            double valid = mask.sumNumber().doubleValue();
            INDArray weights = mask.castTo(DataType.FLOAT).mul(mask.length() / (valid + EPSILON));
            long[] expanded = java.util.Arrays.copyOf(shape, shape.length);
            expanded[shape.length - 1] = 1;
            INDArray w = weights.reshape('c', expanded).broadcast(shape);
            return new Value(values.mul(w).sumNumber().doubleValue() / divisor, gradient.mul(w), values.mul(w), divisor);
        }
    }

    /** The batch's loss and its gradient; {@code yTrue} has been checked against {@code yPred} already. */
    abstract Value compute(INDArray yTrue, INDArray yPred);

    /** The batch's loss only (evaluate and validation): the same number {@link #compute} gives. */
    double value(INDArray yTrue, INDArray yPred) {
        return compute(yTrue, yPred).loss();
    }

    /** {@link #value} under the output's mask (null: none), as {@link Value#masked}. */
    double value(INDArray yTrue, INDArray yPred, INDArray mask) {
        return compute(yTrue, yPred).masked(mask).loss();
    }

    /** How many values the mean runs over: every value of yPred but the last axis (the per-sample reduction). */
    static long reducedCount(INDArray yPred) {
        return yPred.length() / yPred.size(yPred.rank() - 1);
    }

    // ---- by name ----

    /** Keras's names and aliases of the built-in losses. */
    public static Loss of(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "mean_squared_error", "mse" -> meanSquaredError();
            case "mean_absolute_error", "mae" -> meanAbsoluteError();
            case "binary_crossentropy" -> binaryCrossentropy(false);
            case "categorical_crossentropy" -> categoricalCrossentropy(false);
            case "sparse_categorical_crossentropy" -> sparseCategoricalCrossentropy(false);
            case "huber", "huber_loss" -> huber(1.0);
            default -> {
                java.util.List<String> names = java.util.List.of("mean_squared_error", "mse", "mean_absolute_error",
                        "mae", "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
                        "huber");
                String closest = Names.closest(key, names);
                throw new ShapeException("Unknown loss '" + name + "'." + (closest != null ? " Did you mean '"
                        + closest + "'?" : "") + " Losses: " + String.join(", ", names) + ", or Loss.custom(...)"
                        + " for your own.");
            }
        };
    }

    public static Loss meanSquaredError() {
        return new Loss("mean_squared_error", false) {
            @Override
            Value compute(INDArray yTrue, INDArray yPred) {
                INDArray diff = yPred.sub(yTrue);
                INDArray values = diff.mul(diff);
                double loss = values.sumNumber().doubleValue() / yPred.length();
                return new Value(loss, diff.muli(2.0 / yPred.length()), values, yPred.length());
            }
        };
    }

    public static Loss meanAbsoluteError() {
        return new Loss("mean_absolute_error", false) {
            @Override
            Value compute(INDArray yTrue, INDArray yPred) {
                INDArray diff = yPred.sub(yTrue);
                INDArray values = Transforms.abs(diff, true);
                double loss = values.sumNumber().doubleValue() / yPred.length();
                return new Value(loss, Transforms.sign(diff, false).muli(1.0 / yPred.length()), values, yPred.length());
            }
        };
    }

    /** Huber with {@code delta}: {@code 0.5·e²} where {@code |e| <= delta}, else {@code delta·(|e| - 0.5·delta)}. */
    public static Loss huber(double delta) {
        return new Loss("huber", false) {
            @Override
            Value compute(INDArray yTrue, INDArray yPred) {
                INDArray e = yPred.sub(yTrue);
                INDArray abs = Transforms.abs(e, true);
                INDArray small = abs.lte(delta).castTo(DataType.FLOAT);
                INDArray large = small.rsub(1.0);
                INDArray values = e.mul(e).muli(0.5).muli(small).addi(abs.sub(0.5 * delta).muli(delta).muli(large));
                double n = yPred.length();
                // d/de: e where small, delta·sign(e) where large.
                INDArray gradient = e.mul(small).addi(Transforms.sign(e, true).muli(delta).muli(large)).divi(n);
                return new Value(values.sumNumber().doubleValue() / n, gradient, values, n);
            }
        };
    }

    /**
     * {@code -(y·log(p) + (1-y)·log(1-p))}, averaged over the last axis then the batch. With {@code fromLogits} the
     * prediction is a logit and {@code p = sigmoid(logit)}, computed stably.
     */
    public static Loss binaryCrossentropy(boolean fromLogits) {
        return new Loss("binary_crossentropy", fromLogits) {
            @Override
            Value compute(INDArray yTrue, INDArray yPred) {
                double n = yPred.length();
                if (fromLogits) {
                    // max(z, 0) - z·y + log(1 + exp(-|z|)); gradient sigmoid(z) - y.
                    INDArray z = yPred;
                    INDArray values = Transforms.relu(z, true).subi(z.mul(yTrue))
                            .addi(Transforms.log1p(Transforms.exp(Transforms.abs(z, true).negi(), false), false));
                    return new Value(values.sumNumber().doubleValue() / n,
                            Transforms.sigmoid(z, true).subi(yTrue).divi(n), values, n);
                }
                INDArray inside = inside(yPred);
                INDArray p = clipped(yPred);
                INDArray values = yTrue.mul(Transforms.log(p, true)).addi(yTrue.rsub(1.0).muli(
                        Transforms.log(p.rsub(1.0), false))).negi();
                // d/dp = (p - y) / (p·(1 - p)), zero where the clip held p still.
                INDArray gradient = p.sub(yTrue).divi(p.mul(p.rsub(1.0))).muli(inside).divi(n);
                return new Value(values.sumNumber().doubleValue() / n, gradient, values, n);
            }
        };
    }

    /**
     * {@code -Σ y·log(p)} over the classes (the last axis), averaged over the rest. Without logits Keras first
     * scales each row of the prediction to sum to 1, then clips; with logits {@code p = softmax(logits)}.
     */
    public static Loss categoricalCrossentropy(boolean fromLogits) {
        return new Loss("categorical_crossentropy", fromLogits) {
            @Override
            Value compute(INDArray yTrue, INDArray yPred) {
                return crossentropy(yTrue, yPred, fromLogits);
            }
        };
    }

    /** As categorical crossentropy, with each label a class number instead of a one-hot row. */
    public static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return new Loss("sparse_categorical_crossentropy", fromLogits) {
            @Override
            Value compute(INDArray yTrue, INDArray yPred) {
                return crossentropy(LabelCheck.oneHot(yTrue, yPred), yPred, fromLogits);
            }
        };
    }

    private static Value crossentropy(INDArray oneHot, INDArray yPred, boolean fromLogits) {
        int last = yPred.rank() - 1;
        double n = reducedCount(yPred);
        if (fromLogits) {
            // log softmax as x - max - log Σ exp(x - max): log(softmax(x)) is -inf where the softmax underflows to 0,
            // and 0·-inf made the loss NaN (T1 reached it in its 10th epoch, the accuracy still rising).
            INDArray rows = yPred.reshape('c', (long) n, yPred.size(last));
            INDArray shifted = rows.subColumnVector(rows.max(true, 1));
            INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
            INDArray logSoftmax = shifted.subiColumnVector(logSum).reshape('c', yPred.shape());
            INDArray values = oneHot.mul(logSoftmax).negi();
            double loss = values.sumNumber().doubleValue() / n;
            // softmax - y (each row of y sums to 1).
            INDArray gradient = Transforms.exp(logSoftmax, false).subi(oneHot).divi(n);
            return new Value(loss, gradient, values, n);
        }
        INDArray sums = yPred.sum(true, last);
        INDArray scaled = yPred.div(sums.broadcast(yPred.shape()));
        INDArray inside = inside(scaled);
        INDArray p = clipped(scaled);
        INDArray values = oneHot.mul(Transforms.log(p, true)).negi();
        double loss = values.sumNumber().doubleValue() / n;
        // Through the clip (zero where it held) and the scaling q = x / s: dL/dx_j = (g_j - Σ_k g_k·q_k) / s.
        INDArray g = oneHot.div(p).negi().muli(inside);
        INDArray dot = g.mul(scaled).sum(true, last);
        INDArray gradient = g.subi(dot.broadcast(yPred.shape())).divi(sums.broadcast(yPred.shape())).divi(n);
        return new Value(loss, gradient, values, n);
    }

    /**
     * A loss of your own, as Keras's custom loss functions: {@code function} gets {@code y_true} and {@code y_pred},
     * each shaped {@code (BatchSize, ...)}, as SameDiff variables, and returns a value per sample (or one number);
     * the loss is their mean, and its gradient is worked out automatically (ND4J's SameDiff) — no gradient to write.
     * The function runs once per batch shape, when ShapeLab builds its graph, as Keras traces a loss once per shape:
     * printing {@code Arrays.toString(yTrue.getShape())} there shows {@code [32, 10]}, then {@code [12, 10]} for a last
     * smaller batch.
     *
     * <pre>{@code Loss.custom("my_mse", (yTrue, yPred) -> yPred.sub(yTrue).mul(yPred.sub(yTrue)).mean(-1))}</pre>
     */
    public static Loss custom(String name, java.util.function.BiFunction<org.nd4j.autodiff.samediff.SDVariable,
            org.nd4j.autodiff.samediff.SDVariable, org.nd4j.autodiff.samediff.SDVariable> function) {
        if (function == null) {
            throw new ShapeException("Loss.custom(\"" + name + "\", ...) needs a function of (yTrue, yPred); got null.");
        }
        return new CustomLoss(name, function);
    }

    /** {@code clip(p, 1e-7, 1 - 1e-7)}, as Keras clips probabilities before a log. */
    static INDArray clipped(INDArray p) {
        return Transforms.min(Transforms.max(p, EPSILON, true), 1 - EPSILON, false);
    }

    /** 1 where {@code p} is inside the clip range (the clip passes gradients), 0 where it was clipped. */
    private static INDArray inside(INDArray p) {
        return p.gte(EPSILON).castTo(DataType.FLOAT).muli(p.lte(1 - EPSILON).castTo(DataType.FLOAT));
    }

    @Override
    public String toString() {
        return name + (fromLogits ? " (from_logits=True)" : "");
    }

    static INDArray floats(INDArray array) {
        return array.dataType() == DataType.FLOAT ? array : array.castTo(DataType.FLOAT);
    }

    static INDArray zerosLike(INDArray array) {
        return Nd4j.zeros(DataType.FLOAT, array.shape());
    }
}
