package org.shapelab.compute;

import java.util.HashMap;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Mish;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SELU;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Swish;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One activation of {@link org.shapelab.layers.Activations#NAMES}, as Keras 3 defines it, for arrays of one rank.
 * Where ND4J's op differs from Keras the Keras formula is built from ND4J ops:
 * <ul>
 *   <li>{@code hard_sigmoid}: Keras 3's {@code relu6(x + 3) / 6}. Keras 2 and TensorFlow.js use
 *       {@code clip(0.2x + 0.5, 0, 1)}, which is also what ND4J's HardSigmoid computes.</li>
 *   <li>{@code gelu}: the exact form {@code 0.5x(1 + erf(x/√2))} (Keras's default {@code approximate=False});
 *       ND4J's GELU ops are approximations.</li>
 *   <li>{@code softplus}: {@code relu(x) + log1p(exp(-|x|))}; ND4J's softplus overflows to infinity above x ≈ 88.</li>
 * </ul>
 * {@code softmax} and {@code log_softmax} act on the last axis of the array they are given, whatever its rank (a
 * kernel may hand over a view of another rank, such as Conv1D's {@code (B, 1, L, C)}); they are the only ones that
 * are not element-wise. NaN and infinity pass through as in Keras.
 */
final class ActivationFunction {

    private static final double SQRT_HALF = Math.sqrt(0.5);

    private final String name;
    /** relu's op, reused through one op context (faster than the legacy op for small arrays). */
    private final NativeOp relu;
    /** softmax's or log_softmax's op per rank of the arrays it was given (its axis is an argument of the op). */
    private final Map<Integer, NativeOp> lastAxisOps = new HashMap<>();

    private ActivationFunction(String name) {
        this.name = name;
        this.relu = name.equals("relu") ? new NativeOp("relu").floats(0.0) : null;
    }

    /** The activation {@code name} (a Keras name). */
    static ActivationFunction of(String name) {
        return new ActivationFunction(name);
    }

    /** Whether each output value depends on its input value alone (all but softmax and log_softmax). */
    boolean elementwise() {
        return !name.equals("softmax") && !name.equals("log_softmax");
    }

    /** Applies the activation; may overwrite {@code x} (pass an array the caller owns) and returns the result. */
    INDArray apply(INDArray x) {
        switch (name) {
            case "linear":
                return x;
            case "relu":
                return relu.run(x, x);
            case "relu6":
                return Transforms.relu6(x, false);
            case "sigmoid":
                return Transforms.sigmoid(x, false);
            case "hard_sigmoid":
                return Transforms.relu6(x.addi(3.0), false).divi(6.0);
            case "tanh":
                return Transforms.tanh(x, false);
            case "softmax":
            case "log_softmax": {
                NativeOp op = lastAxisOps.computeIfAbsent(x.rank(), rank -> new NativeOp(name, rank - 1));
                return op.run(op.output(x.shape()), x);
            }
            case "elu":
                return Transforms.elu(x, false);
            case "selu":
                return Nd4j.exec(new SELU(x, x));
            case "softplus": {
                INDArray tail = Transforms.log1p(Transforms.exp(Transforms.abs(x, true).negi(), false), false);
                return Transforms.relu(x, false).addi(tail);
            }
            case "softsign":
                return Transforms.softsign(x, false);
            case "swish":
            case "silu":
                return Nd4j.exec(new Swish(x, x));
            case "gelu": {
                INDArray cdf = Nd4j.exec(new Erf(x.mul(SQRT_HALF))).addi(1.0).muli(0.5);
                return x.muli(cdf);
            }
            case "mish":
                return Nd4j.exec(new Mish(x, x));
            default:
                throw new IllegalArgumentException("No compute for activation '" + name + "'.");
        }
    }

    /** Applies the activation so that the result is in {@code x} itself (for views such as RNN gate slices). */
    void applyInPlace(INDArray x) {
        INDArray result = apply(x);
        if (result != x) {
            x.assign(result);
        }
    }
}
