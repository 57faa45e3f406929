package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.Conv1D;
import org.shapelab.layers.GRU;
import org.shapelab.model.Sequential;

/**
 * What TensorFlow.js cannot produce (causal Conv1D, GRU with reset_after=True, Keras 3's hard_sigmoid), checked
 * against numbers worked out from Keras's equations: literal values for the smallest cases and small scalar
 * implementations, written from the Keras formulas and independent of the ND4J code, for the rest.
 */
class HandCheckedTest {

    static void assertClose(double[] expected, INDArray actual, String what) {
        float[] got = actual.dup('c').data().asFloat();
        assertEquals(expected.length, got.length, what + ": size");
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(got[i] - expected[i]) <= 1e-5 * Math.max(1, Math.abs(expected[i])),
                    what + ": value " + i + " is " + got[i] + ", expected " + expected[i]);
        }
    }

    static INDArray floats(double[] values, long... shape) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return Nd4j.create(f, shape, 'c');
    }

    static double[] randoms(Random random, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = Math.round((random.nextDouble() - 0.5) * 1000) / 1000.0;
        }
        return values;
    }

    // ---- causal Conv1D ----

    @Test
    void causalConv1dLiteral() {
        // Keras causal: pad (k-1)·d = 1 zero on the left, then a valid convolution:
        // y_t = w0·x_{t-1} + w1·x_t + b, with x_{-1} = 0; kernel [k, in, filters] = [[[0.5]], [[-1]]], b = 0.25.
        // x = 1, 2, 3, 4:  y = -1 + 0.25, 0.5 - 2 + 0.25, 1 - 3 + 0.25, 1.5 - 4 + 0.25
        Sequential model = Sequential.input(4, 1).add(new Conv1D(1, 2).padding("causal"));
        ModelRuntime runtime = ModelRuntime.of(model);
        runtime.setWeights(List.of(floats(new double[] {0.5, -1}, 2, 1, 1), floats(new double[] {0.25}, 1)));
        INDArray y = runtime.predict(floats(new double[] {1, 2, 3, 4}, 1, 4, 1));
        assertArrayEquals(new long[] {1, 4, 1}, y.shape());
        assertClose(new double[] {-0.75, -1.25, -1.75, -2.25}, y, "causal k=2");
    }

    @Test
    void causalConv1dWithStrideAndDilationLiteral() {
        // k=2, dilation 2: pad 2 zeros, y_t = w0·x_{t-2} + w1·x_t; w = (10, 1), no bias.
        // x = 1..5: y = 1, 2, 10+3, 20+4, 30+5
        Sequential dilated = Sequential.input(5, 1).add(new Conv1D(1, 2).padding("causal").dilationRate(2)
                .useBias(false));
        ModelRuntime runtime = ModelRuntime.of(dilated);
        runtime.setWeights(List.of(floats(new double[] {10, 1}, 2, 1, 1)));
        assertClose(new double[] {1, 2, 13, 24, 35}, runtime.predict(floats(new double[] {1, 2, 3, 4, 5}, 1, 5, 1)),
                "causal dilation 2");
        // k=3, stride 2: pad 2 zeros, outputs at t = 0, 2, 4 (floor((5-1)/2)+1 = 3), y_t = 100·x_{t-2} + 10·x_{t-1} + x_t
        // x = 1..5: y = 1, 100·1 + 10·2 + 3, 100·3 + 10·4 + 5
        Sequential strided = Sequential.input(5, 1).add(new Conv1D(1, 3).padding("causal").strides(2).useBias(false));
        ModelRuntime stridedRuntime = ModelRuntime.of(strided);
        stridedRuntime.setWeights(List.of(floats(new double[] {100, 10, 1}, 3, 1, 1)));
        assertClose(new double[] {1, 123, 345}, stridedRuntime.predict(floats(new double[] {1, 2, 3, 4, 5}, 1, 5, 1)),
                "causal stride 2");
    }

    /** Keras's definition: left-pad (k-1)·d zeros, then y[o][f] = b[f] + Σ_k Σ_c x[o·s + k·d - pad][c]·W[k][c][f]. */
    static double[] causalReference(double[] x, int batch, int length, int in, double[] w, int k, int filters,
                                    double[] bias, int stride, int dilation) {
        int pad = (k - 1) * dilation;
        int outLength = (length - 1) / stride + 1;
        double[] y = new double[batch * outLength * filters];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < outLength; o++) {
                for (int f = 0; f < filters; f++) {
                    double sum = bias == null ? 0 : bias[f];
                    for (int tap = 0; tap < k; tap++) {
                        int t = o * stride + tap * dilation - pad;
                        if (t < 0) {
                            continue;
                        }
                        for (int c = 0; c < in; c++) {
                            sum += x[(b * length + t) * in + c] * w[(tap * in + c) * filters + f];
                        }
                    }
                    y[(b * outLength + o) * filters + f] = sum;
                }
            }
        }
        return y;
    }

    @ParameterizedTest(name = "k={0} strides={1} dilation={2} in={3} filters={4} length={5} channelsFirst={6}")
    @CsvSource({"2,1,1,1,1,4,false", "3,1,1,2,3,7,false", "3,2,1,2,2,9,false", "4,3,1,1,2,10,false",
            "3,1,2,2,2,8,false", "2,1,3,3,1,6,false", "3,1,1,2,3,7,true", "3,2,1,2,2,9,true", "3,1,2,1,2,8,true"})
    void causalConv1dMatchesKerasDefinition(int k, int stride, int dilation, int in, int filters, int length,
                                            boolean channelsFirst) {
        Random random = new Random(k * 1000 + stride * 100 + dilation * 10 + length);
        int batch = 2;
        double[] x = randoms(random, batch * length * in);
        double[] w = randoms(random, k * in * filters);
        double[] bias = randoms(random, filters);
        double[] expected = causalReference(x, batch, length, in, w, k, filters, bias, stride, dilation);
        int outLength = (length - 1) / stride + 1;

        Conv1D conv = new Conv1D(filters, k).padding("causal");
        if (stride > 1) {
            conv.strides(stride);
        }
        if (dilation > 1) {
            conv.dilationRate(dilation);
        }
        INDArray input = floats(x, batch, length, in);
        Sequential model;
        if (channelsFirst) {
            model = Sequential.input(in, length).add(conv.dataFormat("channels_first"));
            input = input.permute(0, 2, 1).dup('c');
        } else {
            model = Sequential.input(length, in).add(conv);
        }
        ModelRuntime runtime = ModelRuntime.of(model);
        runtime.setWeights(List.of(floats(w, k, in, filters), floats(bias, filters)));
        INDArray y = runtime.predict(input);
        if (channelsFirst) {
            assertArrayEquals(new long[] {batch, filters, outLength}, y.shape());
            y = y.permute(0, 2, 1);
        } else {
            assertArrayEquals(new long[] {batch, outLength, filters}, y.shape());
        }
        assertClose(expected, y, "causal conv1d");
    }

    // ---- GRU, reset_after=True (Keras 2/3 default) ----

    @Test
    void gruResetAfterLiteral() {
        // One unit, one feature, two steps, x = 1, -2. kernel [wz, wr, wh] = [0.5, -0.4, 0.3],
        // recurrent_kernel [uz, ur, uh] = [0.2, 0.6, -0.7], bias row 0 (input) [0.1, -0.2, 0.05],
        // row 1 (recurrent) [0.3, 0.1, -0.15]. Keras (reset_after=True):
        //   z = σ(x·wz + bz + h·uz + rbz),  r = σ(x·wr + br + h·ur + rbr)
        //   hh = tanh(x·wh + bh + r·(h·uh + rbh)),  h' = z·h + (1 - z)·hh
        // Step 1 (h = 0): z = σ(0.9) = 0.7109495, r = σ(-0.5) = 0.3775407,
        //   hh = tanh(0.35 + 0.3775407·(-0.15)) = 0.2852326, h1 = 0.2890505·0.2852326 = 0.0824466
        // Step 2: z = σ(-0.9 + 0.0164893 + 0.3) = 0.3581252, r = σ(0.6 + 0.0494680 + 0.1) = 0.6790628,
        //   hh = tanh(-0.55 + 0.6790628·(-0.0577126 - 0.15)) = -0.5986561,
        //   h2 = 0.3581252·0.0824466 + 0.6418748·(-0.5986561) = -0.3547360
        Sequential model = Sequential.input(2, 1).add(new GRU(1, true));
        ModelRuntime runtime = ModelRuntime.of(model);
        runtime.setWeights(List.of(floats(new double[] {0.5, -0.4, 0.3}, 1, 3),
                floats(new double[] {0.2, 0.6, -0.7}, 1, 3),
                floats(new double[] {0.1, -0.2, 0.05, 0.3, 0.1, -0.15}, 2, 3)));
        INDArray y = runtime.predict(floats(new double[] {1, -2}, 1, 2, 1));
        assertArrayEquals(new long[] {1, 2, 1}, y.shape());
        assertClose(new double[] {0.0824466225, -0.3547360348}, y, "GRU reset_after literal");
    }

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /**
     * Keras's GRU cell, scalar by scalar. Gate blocks z, r, h in the columns of kernel [in, 3u] and
     * recurrent_kernel [u, 3u]. reset_after=True: bias [2, 3u] (row 0 input, row 1 recurrent) and
     * hh = tanh(x·W_h + b_h + r·(h·U_h + rb_h)); reset_after=False: bias [3u] and hh = tanh(x·W_h + b_h + (r·h)·U_h).
     * Returns every step's output, [batch][steps][u], in the order the steps were read.
     */
    static double[][][] gruReference(double[] x, int batch, int steps, int in, double[] w, double[] uk, double[] bias,
                                     int u, boolean resetAfter, boolean goBackwards) {
        double[][][] out = new double[batch][steps][u];
        for (int b = 0; b < batch; b++) {
            double[] h = new double[u];
            for (int n = 0; n < steps; n++) {
                int t = goBackwards ? steps - 1 - n : n;
                double[] xw = new double[3 * u];
                double[] hu = new double[3 * u];
                for (int j = 0; j < 3 * u; j++) {
                    for (int c = 0; c < in; c++) {
                        xw[j] += x[(b * steps + t) * in + c] * w[c * 3 * u + j];
                    }
                    if (bias != null) {
                        xw[j] += bias[j];
                    }
                    for (int i = 0; i < u; i++) {
                        hu[j] += h[i] * uk[i * 3 * u + j];
                    }
                    if (bias != null && resetAfter) {
                        hu[j] += bias[3 * u + j];
                    }
                }
                double[] next = new double[u];
                for (int i = 0; i < u; i++) {
                    double z = sigmoid(xw[i] + hu[i]);
                    double r = sigmoid(xw[u + i] + hu[u + i]);
                    double candidate;
                    if (resetAfter) {
                        candidate = xw[2 * u + i] + r * hu[2 * u + i];
                    } else {
                        candidate = xw[2 * u + i];
                        for (int m = 0; m < u; m++) {
                            double rm = sigmoid(xw[u + m] + hu[u + m]);
                            candidate += rm * h[m] * uk[m * 3 * u + 2 * u + i];
                        }
                    }
                    double hh = Math.tanh(candidate);
                    next[i] = z * h[i] + (1 - z) * hh;
                }
                h = next;
                out[b][n] = next.clone();
            }
        }
        return out;
    }

    @ParameterizedTest(name = "units={0} resetAfter={1} returnSequences={2} goBackwards={3} bias={4}")
    @CsvSource({"1,true,true,false,true", "2,true,true,false,true", "2,true,false,false,true",
            "2,true,true,true,true", "2,true,false,false,false", "3,false,true,false,true", "2,false,false,true,true"})
    void gruMatchesKerasEquations(int units, boolean resetAfter, boolean returnSequences, boolean goBackwards,
                                  boolean useBias) {
        Random random = new Random(units * 100 + (resetAfter ? 10 : 0) + (goBackwards ? 1 : 0));
        int batch = 2;
        int steps = 3;
        int in = 2;
        double[] x = randoms(random, batch * steps * in);
        double[] w = randoms(random, in * 3 * units);
        double[] uk = randoms(random, units * 3 * units);
        double[] bias = useBias ? randoms(random, (resetAfter ? 2 : 1) * 3 * units) : null;
        double[][][] sequence = gruReference(x, batch, steps, in, w, uk, bias, units, resetAfter, goBackwards);

        GRU gru = new GRU(units, returnSequences).resetAfter(resetAfter).goBackwards(goBackwards).useBias(useBias);
        ModelRuntime runtime = ModelRuntime.of(Sequential.input(steps, in).add(gru));
        runtime.setWeights(useBias
                ? List.of(floats(w, in, 3L * units), floats(uk, units, 3L * units),
                        resetAfter ? floats(bias, 2, 3L * units) : floats(bias, 3L * units))
                : List.of(floats(w, in, 3L * units), floats(uk, units, 3L * units)));
        INDArray y = runtime.predict(floats(x, batch, steps, in));

        double[] expected = new double[batch * (returnSequences ? steps : 1) * units];
        int at = 0;
        for (int b = 0; b < batch; b++) {
            for (int n = returnSequences ? 0 : steps - 1; n < steps; n++) {
                for (int i = 0; i < units; i++) {
                    expected[at++] = sequence[b][n][i];
                }
            }
        }
        assertArrayEquals(returnSequences ? new long[] {batch, steps, units} : new long[] {batch, units}, y.shape());
        assertClose(expected, y, "GRU");
    }

    // ---- hard_sigmoid, Keras 3's definition ----

    @Test
    void hardSigmoidIsKeras3Relu6OfXPlus3Over6() {
        // relu6(x + 3) / 6: x = -4 -> 0, -3 -> 0, -1.5 -> 0.25, 0 -> 0.5, 1.2 -> 0.7, 3 -> 1, 5 -> 1
        // (Keras 2's 0.2x + 0.5 would give 0.2 at -1.5 and 0.74 at 1.2.)
        Sequential model = Sequential.input(7).activation("hard_sigmoid");
        INDArray y = ModelRuntime.of(model).predict(new float[] {-4, -3, -1.5f, 0, 1.2f, 3, 5});
        assertClose(new double[] {0, 0, 0.25, 0.5, 0.7, 1, 1}, y, "hard_sigmoid");
    }

    @Test
    void siluIsSwish() {
        // silu(x) = x·σ(x): 1 -> 0.7310586, -2 -> -0.2384058
        INDArray y = ModelRuntime.of(Sequential.input(2).activation("silu")).predict(new float[] {1, -2});
        assertClose(new double[] {0.7310585786, -0.2384058440}, y, "silu");
    }

    @Test
    void softplusDoesNotOverflow() {
        // softplus(x) = log(1 + e^x): 100 -> 100, -100 -> 3.7e-44 (0 in float32), 0 -> ln 2
        INDArray y = ModelRuntime.of(Sequential.input(3).activation("softplus")).predict(new float[] {100, -100, 0});
        assertClose(new double[] {100, 0, Math.log(2)}, y, "softplus");
    }
}
