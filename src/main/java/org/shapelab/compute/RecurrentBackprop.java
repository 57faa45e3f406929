package org.shapelab.compute;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Training for SimpleRNN, LSTM and GRU (both reset_after forms): the forward pass step by step, keeping each step's
 * gates and states, then backpropagation through time, from the last step to the first. Weights are read live
 * (training updates them in place between steps). Keras's conventions hold as in {@link RecurrentComputation}: gate orders
 * i, f, c, o and z, r, h; masked steps keep the previous state, so their gradient flows past them unchanged;
 * {@code go_backwards} reads the sequence reversed, and its input gradient is reversed back.
 */
final class RecurrentBackprop {

    enum Cell { SIMPLE_RNN, LSTM, GRU_RESET_AFTER, GRU_RESET_BEFORE }

    private final Cell cell;
    private final int units;
    private final ActivationFunction activation;
    private final ActivationFunction recurrentActivation;
    private final boolean returnSequences;
    private final boolean goBackwards;
    private final INDArray kernel;
    private final INDArray recurrentKernel;
    /** The layer's bias as stored ({@code [3u]}, {@code [4u]}, or GRU reset_after's {@code [2, 3u]}), or null. */
    private final INDArray bias;

    // What the last forward pass kept, per step t (time-major).
    private long batch;
    private long steps;
    private long features;
    private INDArray rows;
    private INDArray[] keep;
    private final List<INDArray> h = new ArrayList<>();
    private final List<INDArray> c = new ArrayList<>();
    private final List<INDArray[]> gates = new ArrayList<>();

    RecurrentBackprop(Cell cell, int units, ActivationFunction activation, ActivationFunction recurrentActivation,
                      boolean returnSequences, boolean goBackwards, INDArray kernel, INDArray recurrentKernel,
                      INDArray bias) {
        this.cell = cell;
        this.units = units;
        this.activation = activation;
        this.recurrentActivation = recurrentActivation;
        this.returnSequences = returnSequences;
        this.goBackwards = goBackwards;
        this.kernel = kernel;
        this.recurrentKernel = recurrentKernel;
        this.bias = bias;
    }

    private INDArray inputBias() {
        return bias == null ? null : bias.rank() == 2 ? bias.getRow(0) : bias;
    }

    private INDArray recurrentBias() {
        return bias != null && bias.rank() == 2 ? bias.getRow(1) : null;
    }

    private static INDArray cols(INDArray m, long from, long to) {
        return m.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }

    private INDArray apply(ActivationFunction f, INDArray x) {
        return f.apply(x.dup());
    }

    INDArray forward(INDArray input, INDArray mask) {
        INDArray x = goBackwards ? reverse(input.dup('c')) : input.dup('c');
        INDArray m = mask == null ? null : goBackwards ? reverse(mask.dup('c').reshape('c', mask.size(0), mask.size(1), 1))
                .reshape('c', mask.size(0), mask.size(1)) : mask;
        batch = x.size(0);
        steps = x.size(1);
        features = x.size(2);
        rows = x.permute(1, 0, 2).dup('c').reshape('c', steps * batch, features);
        INDArray projected = rows.mmul(kernel);
        if (inputBias() != null) {
            projected.addiRowVector(inputBias());
        }
        projected = projected.reshape('c', steps, batch, kernel.size(1));
        keep = new INDArray[(int) steps];
        h.clear();
        c.clear();
        gates.clear();
        INDArray hPrev = Nd4j.zeros(DataType.FLOAT, batch, units);
        INDArray cPrev = Nd4j.zeros(DataType.FLOAT, batch, units);
        h.add(hPrev);
        c.add(cPrev);
        for (int t = 0; t < steps; t++) {
            INDArray p = projected.slice(t);
            INDArray hNew;
            INDArray cNew = null;
            switch (cell) {
                case SIMPLE_RNN -> {
                    INDArray a = p.add(hPrev.mmul(recurrentKernel));
                    hNew = apply(activation, a);
                    gates.add(new INDArray[] {a, hNew});
                }
                case LSTM -> {
                    INDArray z = p.add(hPrev.mmul(recurrentKernel));
                    INDArray[] zs = new INDArray[4];
                    INDArray[] gs = new INDArray[4];
                    INDArray gatesAll = null;
                    if (recurrentActivation.elementwise()) {
                        // One op for i, f and o over all 4u columns (the c columns are recomputed below), their
                        // gates as views: a timestep is many small ops, so fewer ops is what makes it faster.
                        gatesAll = apply(recurrentActivation, z);
                        for (int k = 0; k < 4; k++) {
                            zs[k] = cols(z, (long) k * units, (long) (k + 1) * units);
                            gs[k] = k == 2 ? apply(activation, zs[k])
                                    : cols(gatesAll, (long) k * units, (long) (k + 1) * units);
                        }
                    } else {
                        for (int k = 0; k < 4; k++) {
                            zs[k] = cols(z, (long) k * units, (long) (k + 1) * units).dup('c');
                            gs[k] = apply(k == 2 ? activation : recurrentActivation, zs[k]);
                        }
                    }
                    cNew = gs[1].mul(cPrev).addi(gs[0].mul(gs[2]));
                    INDArray actC = apply(activation, cNew);
                    hNew = gs[3].mul(actC);
                    gates.add(new INDArray[] {zs[0], zs[1], zs[2], zs[3], gs[0], gs[1], gs[2], gs[3], actC, cNew, z,
                            gatesAll});
                }
                case GRU_RESET_AFTER -> {
                    INDArray rec = hPrev.mmul(recurrentKernel);
                    if (recurrentBias() != null) {
                        rec.addiRowVector(recurrentBias());
                    }
                    INDArray az = cols(p, 0, units).add(cols(rec, 0, units));
                    INDArray ar = cols(p, units, 2L * units).add(cols(rec, units, 2L * units));
                    INDArray z = apply(recurrentActivation, az);
                    INDArray r = apply(recurrentActivation, ar);
                    INDArray rh = cols(rec, 2L * units, 3L * units).dup('c');
                    INDArray ah = cols(p, 2L * units, 3L * units).add(r.mul(rh));
                    INDArray hh = apply(activation, ah);
                    hNew = hh.add(z.mul(hPrev.sub(hh)));
                    gates.add(new INDArray[] {az, ar, z, r, rh, ah, hh});
                }
                default -> {
                    INDArray uzr = cols(recurrentKernel, 0, 2L * units);
                    INDArray uh = cols(recurrentKernel, 2L * units, 3L * units);
                    INDArray zr = cols(p, 0, 2L * units).add(hPrev.mmul(uzr));
                    INDArray az = cols(zr, 0, units).dup('c');
                    INDArray ar = cols(zr, units, 2L * units).dup('c');
                    INDArray z = apply(recurrentActivation, az);
                    INDArray r = apply(recurrentActivation, ar);
                    INDArray rhPrev = r.mul(hPrev);
                    INDArray ah = cols(p, 2L * units, 3L * units).add(rhPrev.mmul(uh));
                    INDArray hh = apply(activation, ah);
                    hNew = hh.add(z.mul(hPrev.sub(hh)));
                    gates.add(new INDArray[] {az, ar, z, r, rhPrev, ah, hh});
                }
            }
            if (m != null) {
                // A masked step keeps the previous output and state.
                INDArray k = m.getColumn(t).reshape(batch, 1).castTo(DataType.FLOAT);
                keep[t] = k;
                hNew = hNew.mulColumnVector(k).addi(hPrev.mulColumnVector(k.rsub(1.0)));
                if (cNew != null) {
                    cNew = cNew.mulColumnVector(k).addi(cPrev.mulColumnVector(k.rsub(1.0)));
                }
            }
            h.add(hNew);
            hPrev = hNew;
            if (cNew != null) {
                c.add(cNew);
                cPrev = cNew;
            }
        }
        if (!returnSequences) {
            return hPrev.dup();
        }
        INDArray sequence = Nd4j.create(DataType.FLOAT, steps, batch, units);
        for (int t = 0; t < steps; t++) {
            sequence.slice(t).assign(h.get(t + 1));
        }
        return sequence.permute(1, 0, 2).dup('c');
    }

    /** Backpropagation through time; fills kernel, recurrent kernel and bias gradients; returns the input's. */
    INDArray backward(INDArray gradient, INDArray[] weightGradients) {
        INDArray dRecurrent = Nd4j.zeros(DataType.FLOAT, recurrentKernel.shape());
        INDArray dRecurrentBias = recurrentBias() != null ? Nd4j.zeros(DataType.FLOAT, units * 3L) : null;
        INDArray dProjected = Nd4j.create(DataType.FLOAT, steps, batch, kernel.size(1));
        INDArray sequenceGradient = returnSequences ? gradient.dup('c').permute(1, 0, 2).dup('c') : null;
        INDArray dh = returnSequences ? Nd4j.zeros(DataType.FLOAT, batch, units) : gradient.dup('c');
        INDArray dc = Nd4j.zeros(DataType.FLOAT, batch, units);
        for (int t = (int) steps - 1; t >= 0; t--) {
            if (sequenceGradient != null) {
                dh.addi(sequenceGradient.slice(t));
            }
            INDArray hPrev = h.get(t);
            INDArray[] g = gates.get(t);
            INDArray dhPast = null;
            INDArray dcPast = null;
            if (keep[t] != null) {
                // Masked steps pass their gradient straight to the previous state.
                INDArray skip = keep[t].rsub(1.0);
                dhPast = dh.mulColumnVector(skip);
                dh = dh.mulColumnVector(keep[t]);
                if (cell == Cell.LSTM) {
                    dcPast = dc.mulColumnVector(skip);
                    dc = dc.mulColumnVector(keep[t]);
                }
            }
            INDArray dp;
            INDArray dhPrev;
            switch (cell) {
                case SIMPLE_RNN -> {
                    INDArray da = activation.gradient(g[0], g[1], dh);
                    dRecurrent.addi(hPrev.transpose().mmul(da));
                    dhPrev = da.mmul(recurrentKernel.transpose());
                    dp = da;
                }
                case LSTM -> {
                    INDArray cPrev = c.get(t);
                    INDArray i = g[4];
                    INDArray f = g[5];
                    INDArray cand = g[6];
                    INDArray o = g[7];
                    INDArray actC = g[8];
                    INDArray dO = dh.mul(actC);
                    INDArray dC = dc.add(activation.gradient(g[9], actC, dh.mul(o)));
                    INDArray dz;
                    if (g[11] != null) {
                        // The gradients with respect to i, f and o side by side, then one op through their
                        // activation for all 4u columns; the c columns (left unset) are overwritten with the candidate's.
                        INDArray upstream = Nd4j.createUninitialized(DataType.FLOAT, batch, 4L * units);
                        cols(upstream, 0, units).assign(dC.mul(cand));
                        cols(upstream, units, 2L * units).assign(dC.mul(cPrev));
                        cols(upstream, 3L * units, 4L * units).assign(dO);
                        dz = recurrentActivation.gradient(g[10], g[11], upstream);
                    } else {
                        dz = Nd4j.create(DataType.FLOAT, batch, 4L * units);
                        cols(dz, 0, units).assign(recurrentActivation.gradient(g[0], i, dC.mul(cand)));
                        cols(dz, units, 2L * units).assign(recurrentActivation.gradient(g[1], f, dC.mul(cPrev)));
                        cols(dz, 3L * units, 4L * units).assign(recurrentActivation.gradient(g[3], o, dO));
                    }
                    cols(dz, 2L * units, 3L * units).assign(activation.gradient(g[2], cand, dC.mul(i)));
                    dRecurrent.addi(hPrev.transpose().mmul(dz));
                    dhPrev = dz.mmul(recurrentKernel.transpose());
                    dc = dC.mul(f);
                    dp = dz;
                }
                case GRU_RESET_AFTER -> {
                    INDArray z = g[2];
                    INDArray r = g[3];
                    INDArray rh = g[4];
                    INDArray hh = g[6];
                    INDArray daH = activation.gradient(g[5], hh, dh.mul(z.rsub(1.0)));
                    INDArray daZ = recurrentActivation.gradient(g[0], z, dh.mul(hPrev.sub(hh)));
                    INDArray daR = recurrentActivation.gradient(g[1], r, daH.mul(rh));
                    INDArray dRec = Nd4j.create(DataType.FLOAT, batch, 3L * units);
                    cols(dRec, 0, units).assign(daZ);
                    cols(dRec, units, 2L * units).assign(daR);
                    cols(dRec, 2L * units, 3L * units).assign(daH.mul(r));
                    dRecurrent.addi(hPrev.transpose().mmul(dRec));
                    if (dRecurrentBias != null) {
                        dRecurrentBias.addi(dRec.sum(0));
                    }
                    dhPrev = dRec.mmul(recurrentKernel.transpose()).addi(dh.mul(z));
                    dp = Nd4j.create(DataType.FLOAT, batch, 3L * units);
                    cols(dp, 0, units).assign(daZ);
                    cols(dp, units, 2L * units).assign(daR);
                    cols(dp, 2L * units, 3L * units).assign(daH);
                }
                default -> {
                    INDArray z = g[2];
                    INDArray r = g[3];
                    INDArray rhPrev = g[4];
                    INDArray hh = g[6];
                    INDArray uzr = cols(recurrentKernel, 0, 2L * units);
                    INDArray uh = cols(recurrentKernel, 2L * units, 3L * units);
                    INDArray daH = activation.gradient(g[5], hh, dh.mul(z.rsub(1.0)));
                    INDArray dRh = daH.mmul(uh.transpose());
                    INDArray daZ = recurrentActivation.gradient(g[0], z, dh.mul(hPrev.sub(hh)));
                    INDArray daR = recurrentActivation.gradient(g[1], r, dRh.mul(hPrev));
                    INDArray dZr = Nd4j.create(DataType.FLOAT, batch, 2L * units);
                    cols(dZr, 0, units).assign(daZ);
                    cols(dZr, units, 2L * units).assign(daR);
                    cols(dRecurrent, 0, 2L * units).addi(hPrev.transpose().mmul(dZr));
                    cols(dRecurrent, 2L * units, 3L * units).addi(rhPrev.transpose().mmul(daH));
                    dhPrev = dZr.mmul(uzr.transpose()).addi(dRh.mul(r)).addi(dh.mul(z));
                    dp = Nd4j.create(DataType.FLOAT, batch, 3L * units);
                    cols(dp, 0, 2L * units).assign(dZr);
                    cols(dp, 2L * units, 3L * units).assign(daH);
                }
            }
            dProjected.slice(t).assign(dp);
            dh = dhPast != null ? dhPrev.addi(dhPast) : dhPrev;
            if (dcPast != null) {
                dc.addi(dcPast);
            }
        }
        INDArray dP = dProjected.reshape('c', steps * batch, kernel.size(1));
        weightGradients[0] = rows.transpose().mmul(dP);
        weightGradients[1] = dRecurrent;
        if (bias != null) {
            INDArray dInputBias = dP.sum(0);
            if (bias.rank() == 2) {
                INDArray both = Nd4j.create(DataType.FLOAT, 2, units * 3L);
                both.getRow(0).assign(dInputBias);
                both.getRow(1).assign(dRecurrentBias);
                weightGradients[2] = both;
            } else {
                weightGradients[2] = dInputBias;
            }
        }
        INDArray dx = dP.mmul(kernel.transpose()).reshape('c', steps, batch, features).permute(1, 0, 2).dup('c');
        return goBackwards ? reverse(dx) : dx;
    }

    /** The sequence with its time axis (axis 1) reversed. */
    private static INDArray reverse(INDArray sequence) {
        INDArray reversed = Nd4j.create(DataType.FLOAT, sequence.shape());
        long steps = sequence.size(1);
        for (long t = 0; t < steps; t++) {
            reversed.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all())
                    .assign(sequence.get(NDArrayIndex.all(), NDArrayIndex.point(steps - 1 - t), NDArrayIndex.all()));
        }
        return reversed;
    }

}
