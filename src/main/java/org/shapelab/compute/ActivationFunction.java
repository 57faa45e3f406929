package org.shapelab.compute;

import java.util.HashMap;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
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
 *       {@code clip(0.2x + 0.5, 0, 1)}, which is also what ND4J's HardSigmoid computes; ShapeLab calls that one
 *       {@code hard_sigmoid_keras2} (models read from TensorFlow.js files keep it).</li>
 *   <li>{@code gelu}: the exact form {@code 0.5x(1 + erf(x/√2))} (Keras's default {@code approximate=False});
 *       ND4J's GELU ops are approximations.</li>
 *   <li>{@code softplus}: {@code relu(x) + log1p(exp(-|x|))}; ND4J's softplus overflows to infinity above x ≈ 88.</li>
 * </ul>
 * {@code log_softmax} is {@code x - max - log Σ exp(x - max)}, which stays finite where libnd4j's op gives -inf.
 * {@code softmax} and {@code log_softmax} act on the last axis of the array they are given, whatever its rank (a
 * kernel may hand over a view of another rank, such as Conv1D's {@code (B, 1, L, C)}); they are the only ones that
 * are not element-wise. NaN and infinity pass through as in Keras.
 */
final class ActivationFunction {

    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    /** SELU's constants (Klambauer et al. 2017), as Keras and libnd4j use them. */
    private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    private static final double SELU_SCALE = 1.0507009873554804934193349852946;

    private final String name;
    /** relu's op, reused through one op context (faster than the legacy op for small arrays). */
    private final NativeOp relu;
    /** softmax's op per rank of the arrays it was given (its axis is an argument of the op). */
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
            case "hard_sigmoid_keras2":
                return Transforms.relu6(x.muli(0.2).addi(0.5).muli(6.0), false).divi(6.0);
            case "tanh":
                return Transforms.tanh(x, false);
            case "softmax": {
                NativeOp op = lastAxisOps.computeIfAbsent(x.rank(), rank -> new NativeOp(name, rank - 1));
                return op.run(op.output(x.shape()), x);
            }
            case "log_softmax": {
                // x - max - log(Σ exp(x - max)), as Keras computes it: libnd4j's log_softmax takes the log of a
                // softmax that has underflowed to 0 for inputs far below the maximum, giving -inf and then NaN (a
                // SimpleRNN with log_softmax over 25 steps; tools/keras-reference/fuzz found it).
                int last = x.rank() - 1;
                INDArray shifted = x.sub(broadcastLast(x.max(true, last), x));
                INDArray logSum = Transforms.log(Transforms.exp(shifted, true).sum(true, last), false);
                return shifted.subi(broadcastLast(logSum, x));
            }
            case "elu":
                return Transforms.elu(x, false);
            case "selu":
                return Nd4j.exec(new SELU(x, x));
            case "softplus":
                return softplus(x);
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

    /**
     * The gradient with respect to the activation's input: {@code gradient · f'(x)} for element-wise activations,
     * the Jacobian product on the last axis for softmax and log_softmax. Keras's (TensorFlow's) conventions at kinks:
     * relu and relu6 pass nothing at 0 (and at 6), elu takes the negative branch at 0. Returns a new array.
     *
     * @param x        the activation's input (not changed)
     * @param y        its output, {@code f(x)}
     * @param gradient the loss's gradient with respect to {@code y}
     */
    INDArray gradient(INDArray x, INDArray y, INDArray gradient) {
        switch (name) {
            case "linear":
                return gradient.dup();
            case "relu":
                return gradient.mul(x.gt(0.0).castTo(DataType.FLOAT));
            case "relu6":
                return gradient.mul(x.gt(0.0).castTo(DataType.FLOAT).muli(x.lt(6.0).castTo(DataType.FLOAT)));
            case "sigmoid":
                return gradient.mul(y.rsub(1.0).muli(y));
            case "hard_sigmoid":
                return gradient.mul(x.gt(-3.0).castTo(DataType.FLOAT).muli(x.lt(3.0).castTo(DataType.FLOAT)))
                        .divi(6.0);
            case "hard_sigmoid_keras2":
                return gradient.mul(x.gt(-2.5).castTo(DataType.FLOAT).muli(x.lt(2.5).castTo(DataType.FLOAT)))
                        .muli(0.2);
            case "tanh":
                return gradient.mul(y.mul(y).rsubi(1.0));
            case "softmax": {
                INDArray dot = gradient.mul(y).sum(true, y.rank() - 1);
                return gradient.sub(broadcastLast(dot, y)).muli(y);
            }
            case "log_softmax": {
                INDArray total = gradient.sum(true, y.rank() - 1);
                return gradient.sub(Transforms.exp(y, true).muli(broadcastLast(total, y)));
            }
            case "elu": {
                INDArray positive = x.gt(0.0).castTo(DataType.FLOAT);
                // x > 0: 1; otherwise exp(x) = y + 1.
                return gradient.mul(positive.add(y.add(1.0).muli(positive.rsub(1.0))));
            }
            case "selu": {
                INDArray positive = x.gt(0.0).castTo(DataType.FLOAT);
                INDArray negative = y.add(SELU_SCALE * SELU_ALPHA).muli(positive.rsub(1.0));
                return gradient.mul(positive.muli(SELU_SCALE).addi(negative));
            }
            case "softplus":
                return gradient.mul(Transforms.sigmoid(x, true));
            case "softsign": {
                INDArray denominator = Transforms.abs(x, true).addi(1.0);
                return gradient.div(denominator.muli(denominator));
            }
            case "swish":
            case "silu": {
                INDArray s = Transforms.sigmoid(x, true);
                // s + x·s·(1 - s)
                return gradient.mul(s.add(x.mul(s).muli(s.rsub(1.0))));
            }
            case "gelu": {
                INDArray cdf = Nd4j.exec(new Erf(x.mul(SQRT_HALF))).addi(1.0).muli(0.5);
                INDArray pdf = Transforms.exp(x.mul(x).muli(-0.5), false).muli(INV_SQRT_2PI);
                return gradient.mul(cdf.addi(pdf.muli(x)));
            }
            case "mish": {
                // d/dx x·tanh(softplus(x)) = tanh(sp) + x·(1 - tanh²(sp))·sigmoid(x)
                INDArray tanhSp = Transforms.tanh(softplus(x.dup()), false);
                INDArray sech2 = tanhSp.mul(tanhSp).rsubi(1.0);
                return gradient.mul(tanhSp.addi(sech2.muli(Transforms.sigmoid(x, true)).muli(x)));
            }
            default:
                throw new IllegalArgumentException("No gradient for activation '" + name + "'.");
        }
    }

    private static INDArray softplus(INDArray x) {
        INDArray tail = Transforms.log1p(Transforms.exp(Transforms.abs(x, true).negi(), false), false);
        return Transforms.relu(x, false).addi(tail);
    }

    /** A (..., 1) array of per-row values broadcast to the shape of {@code like}. */
    private static INDArray broadcastLast(INDArray column, INDArray like) {
        return column.broadcast(like.shape());
    }

    /** Applies the activation so that the result is in {@code x} itself (for views such as RNN gate slices). */
    void applyInPlace(INDArray x) {
        INDArray result = apply(x);
        if (result != x) {
            x.assign(result);
        }
    }
}
