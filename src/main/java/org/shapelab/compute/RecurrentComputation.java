package org.shapelab.compute;

import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.shapelab.layers.BaseRNN;
import org.shapelab.layers.GRU;
import org.shapelab.layers.LSTM;

/**
 * SimpleRNN, LSTM and GRU as Keras computes them (gate orders i, f, c, o and z, r, h).
 *
 * <p>LSTM runs on libnd4j's native {@code lstmLayer} op (the whole sequence in one call; its weights are
 * Keras-ordered) when its activations are ones that op has (tanh, sigmoid, relu, softsign), it has more than one
 * unit and no mask applies. Everything else runs a step loop: the input projection {@code x · kernel + bias} of all
 * timesteps is one matrix product, then each step is one {@code h · recurrent_kernel} product plus a few
 * element-wise ops on reused buffers. Masked steps keep the previous state and output (Keras's default,
 * {@code zero_output_for_mask=False}); {@code go_backwards} reverses the input and, as in Keras, returns the
 * sequence in the order it was read.
 */
final class RecurrentComputation implements Computation {

    private enum Cell { SIMPLE_RNN, LSTM, GRU }

    /** libnd4j's codes for the activations its lstmLayer op implements exactly as Keras does. */
    private static final Map<String, Integer> NATIVE_ACTIVATIONS = Map.of("tanh", 0, "relu", 1, "sigmoid", 2,
            "softsign", 9);

    private final Cell cell;
    private final int units;
    private final ActivationFunction activation;
    private final ActivationFunction recurrentActivation;
    private final boolean returnSequences;
    private final boolean goBackwards;
    private final boolean returnState;
    private final int stateCount;
    /** Keras's zero_output_for_mask: masked steps of the returned sequence are 0 (Bidirectional forces it). */
    private final boolean zeroOutputForMask;
    private final boolean resetAfter;
    private final INDArray kernel;
    private final INDArray recurrentKernel;
    private final INDArray inputBias;
    private final INDArray recurrentBias;
    /** GRU with reset_after=false multiplies r·h by the candidate block alone: recurrent_kernel[:, 2u:]. */
    private final INDArray gateRecurrentKernel;
    private final INDArray candidateRecurrentKernel;
    /** The native lstmLayer op, or null when this layer runs the step loop. */
    private final NativeOp nativeLstm;
    private final NativeOp projection;
    private final NativeOp product = new NativeOp("matmul");
    private final NativeOp reverse = new NativeOp("reverse", 1);
    private final NativeOp recurrentProduct = new NativeOp("xw_plus_b");

    RecurrentComputation(BaseRNN<?> layer, List<INDArray> weights) {
        this(layer, weights, false);
    }

    /** @param zeroOutputForMask 0 at masked steps of the sequence even if the layer does not ask for it */
    RecurrentComputation(BaseRNN<?> layer, List<INDArray> weights, boolean zeroOutputForMask) {
        this.zeroOutputForMask = zeroOutputForMask || layer.zeroOutputForMask();
        this.cell = layer instanceof LSTM ? Cell.LSTM : layer instanceof GRU ? Cell.GRU : Cell.SIMPLE_RNN;
        this.units = layer.units();
        this.activation = ActivationFunction.of(layer.activation());
        this.recurrentActivation = ActivationFunction.of(layer.recurrentActivation());
        this.returnSequences = layer.returnSequences();
        this.goBackwards = layer.goBackwards();
        this.returnState = layer.returnState();
        this.stateCount = layer.stateCount();
        this.resetAfter = layer instanceof GRU gru && gru.resetAfter();
        this.kernel = weights.get(0);
        this.recurrentKernel = weights.get(1);
        INDArray bias = layer.useBias() ? weights.get(2) : null;
        if (bias != null && bias.rank() == 2) {
            this.inputBias = bias.getRow(0).dup();
            this.recurrentBias = bias.getRow(1).dup();
        } else {
            this.inputBias = bias;
            this.recurrentBias = null;
        }
        if (cell == Cell.GRU && !resetAfter) {
            this.gateRecurrentKernel = columns(recurrentKernel, 0, 2L * units).dup('c');
            this.candidateRecurrentKernel = columns(recurrentKernel, 2L * units, 3L * units).dup('c');
        } else {
            this.gateRecurrentKernel = null;
            this.candidateRecurrentKernel = null;
        }
        this.projection = new NativeOp(inputBias != null ? "xw_plus_b" : "matmul");
        RecurrentBackprop.Cell trainedCell = switch (cell) {
            case SIMPLE_RNN -> RecurrentBackprop.Cell.SIMPLE_RNN;
            case LSTM -> RecurrentBackprop.Cell.LSTM;
            case GRU -> resetAfter ? RecurrentBackprop.Cell.GRU_RESET_AFTER : RecurrentBackprop.Cell.GRU_RESET_BEFORE;
        };
        this.backprop = new RecurrentBackprop(trainedCell, units, activation, recurrentActivation, returnSequences,
                goBackwards, kernel, recurrentKernel, bias);
        Integer gate = NATIVE_ACTIVATIONS.get(layer.recurrentActivation());
        Integer act = NATIVE_ACTIVATIONS.get(layer.activation());
        // libnd4j 1.0.0-M2.1's lstmLayer mishandles one unit: with batches of 2 or more its [batch, 1] state is taken
        // for a vector, so it fails ("MmulHelper::mmulMxM: B array has wrong number of rows") or, from 5 samples,
        // writes past its buffers and kills the JVM (the reference.SizeOneSweep test covers it).
        this.nativeLstm = cell != Cell.LSTM || gate == null || act == null || units == 1 ? null
                // data format [batch, time, features], forward direction, gate / cell / output activations;
                // has bias, seqLen, initial h, initial c, peepholes; returns full sequence, last h, last c;
                // no cell clipping
                : new NativeOp("lstmLayer", 1, 0, gate, act, act)
                        .booleans(inputBias != null, false, false, false, false, returnSequences, !returnSequences,
                                false)
                        .floats(0.0)
                        .withoutOneDnn(returnSequences);
    }

    @Override
    public INDArray forward(INDArray input, INDArray mask) {
        if (mask != null && (mask.rank() != 2 || mask.size(0) != input.size(0) || mask.size(1) != input.size(1))) {
            mask = null;
        }
        if (goBackwards) {
            input = reverseTime(input);
            mask = mask == null ? null : reverseTime(mask);
        }
        return nativeLstm != null && mask == null ? nativeLstm(input) : stepLoop(input, mask, null)[0];
    }

    /** With initial states (inputs after x, Keras's initial_state) or return_state: [output, h] or [output, h, c]. */
    @Override
    public List<INDArray> forwardAll(List<INDArray> inputs, List<INDArray> masks) {
        if (inputs.size() == 1 && !returnState) {
            return List.of(forward(inputs.get(0), masks.get(0)));
        }
        INDArray[] initial = inputs.size() > 1 ? inputs.subList(1, inputs.size()).toArray(INDArray[]::new) : null;
        INDArray[] all = forwardWithStates(inputs.get(0), masks.get(0), initial);
        return returnState ? List.of(all) : List.of(all[0]);
    }

    @Override
    public List<INDArray> outputMasks(List<INDArray> inputs, List<INDArray> masks) {
        List<INDArray> out = new java.util.ArrayList<>();
        out.add(outputMask(inputs.get(0), masks.get(0)));
        for (int i = 0; returnState && i < stateCount; i++) {
            out.add(null);
        }
        return out;
    }

    /**
     * The output and the final states {@code [output, h]} or {@code [output, h, c]}, starting from {@code initial}
     * (null: zeros). A masked step keeps the state, so the final state is that of each sample's last real step.
     */
    INDArray[] forwardWithStates(INDArray input, INDArray mask, INDArray[] initial) {
        if (mask != null && (mask.rank() != 2 || mask.size(0) != input.size(0) || mask.size(1) != input.size(1))) {
            mask = null;
        }
        if (goBackwards) {
            input = reverseTime(input);
            mask = mask == null ? null : reverseTime(mask);
        }
        return stepLoop(input, mask, initial);
    }

    @Override
    public INDArray outputMask(INDArray input, INDArray mask) {
        return returnSequences ? mask : null;
    }

    // ---- training ----

    /** Training's step-by-step pass on the live weights (the fields above may hold copies made for inference). */
    private final RecurrentBackprop backprop;

    @Override
    public boolean trains() {
        return true;
    }

    @Override
    public INDArray forwardTraining(INDArray input, INDArray mask, TrainingStep step) {
        if (mask != null && (mask.rank() != 2 || mask.size(0) != input.size(0) || mask.size(1) != input.size(1))) {
            mask = null;
        }
        INDArray stepMask = mask;
        // Step by step, each op is one timestep's small product or gate: as for lstmLayer in predict, a second
        // thread only waits (an LSTM(64) step of batch 32 took 6.6-8.5 s on two threads, 0.26-0.70 s on one, in the
        // same process at load 10 on 2 cores).
        return NativeOp.onOneThread(() -> backprop.forward(input, stepMask));
    }

    @Override
    public INDArray backward(INDArray gradient, INDArray[] weightGradients) {
        return NativeOp.onOneThread(() -> backprop.backward(gradient, weightGradients));
    }

    /** Cross-checks use this to compare the step loop with the native op. */
    boolean usesNativeLstm() {
        return nativeLstm != null;
    }

    INDArray forwardWithStepLoop(INDArray input) {
        return stepLoop(goBackwards ? reverseTime(input) : input, null, null)[0];
    }

    private INDArray nativeLstm(INDArray input) {
        long batch = input.size(0);
        INDArray out = returnSequences ? nativeLstm.output(batch, input.size(1), units) : nativeLstm.output(batch, units);
        // One small product per timestep: a second thread only waits (NativeOp.onOneThread).
        return NativeOp.onOneThread(() -> inputBias == null ? nativeLstm.run(out, input, kernel, recurrentKernel)
                : nativeLstm.run(out, input, kernel, recurrentKernel, inputBias));
    }

    /** Runs the steps; returns {output, h} or {output, h, c}. */
    private INDArray[] stepLoop(INDArray input, INDArray mask, INDArray[] initial) {
        long batch = input.size(0);
        long steps = input.size(1);
        long features = input.size(2);
        long width = kernel.size(1);
        // Time-major, so that every step's slice is one contiguous (batch, ...) block.
        INDArray rows = input.permute(1, 0, 2).dup('c').reshape('c', steps * batch, features);
        INDArray projected = projection.output(steps * batch, width);
        if (inputBias != null) {
            projection.run(projected, rows, kernel, inputBias);
        } else {
            projection.run(projected, rows, kernel);
        }
        projected = projected.reshape('c', steps, batch, width);
        INDArray keep = null;
        INDArray skip = null;
        if (mask != null) {
            keep = mask.transpose().dup('c').reshape('c', steps, batch, 1);
            skip = keep.rsub(1.0);
        }
        INDArray sequence = returnSequences ? NativeOp.empty(steps, batch, units) : null;
        INDArray[] spare = {NativeOp.empty(batch, units), NativeOp.empty(batch, units)};
        INDArray h = initial != null ? initial[0] : Nd4j.zeros(DataType.FLOAT, batch, units);
        Step step = newStep(batch);
        if (initial != null && initial.length > 1) {
            step.startCell(initial[1]);
        }
        // With zero_output_for_mask the sequence shows 0 at masked steps while the state carries on, so the state
        // lives in the spare buffers and each step's output is copied into the sequence.
        boolean zeroMasked = zeroOutputForMask && keep != null && sequence != null;
        for (long t = 0; t < steps; t++) {
            INDArray next = sequence != null && !zeroMasked ? sequence.slice(t) : spare[(int) (t % 2)];
            step.compute(projected.slice(t), h, next);
            if (keep != null) {
                step.keepMaskedState(keep.slice(t), skip.slice(t), h, next);
            }
            if (zeroMasked) {
                sequence.slice(t).assign(next).muliColumnVector(keep.slice(t));
            }
            step.advance();
            h = next;
        }
        INDArray output = sequence != null ? sequence.permute(1, 0, 2).dup('c') : h;
        INDArray cell = step.cell();
        return cell == null ? new INDArray[] {output, h} : new INDArray[] {output, h, cell};
    }

    private Step newStep(long batch) {
        return switch (cell) {
            case SIMPLE_RNN -> new SimpleStep(batch);
            case LSTM -> new LstmStep(batch);
            case GRU -> resetAfter ? new GruResetAfterStep(batch) : new GruResetBeforeStep(batch);
        };
    }

    private INDArray reverseTime(INDArray array) {
        return reverse.run(NativeOp.empty(array.shape()), array);
    }

    private static INDArray columns(INDArray matrix, long from, long to) {
        return matrix.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }

    /** One timestep of a cell, with the buffers it reuses across steps. */
    private abstract class Step {
        final INDArray scratch;

        Step(long batch) {
            scratch = NativeOp.empty(batch, units);
        }

        /** Writes the new output into {@code next} from this step's projected input and the previous output. */
        abstract void compute(INDArray projected, INDArray h, INDArray next);

        /** Where the mask is 0, the output (and any other state) stays as it was: {@code next = next·m + h·(1-m)}. */
        void keepMaskedState(INDArray keep, INDArray skip, INDArray h, INDArray next) {
            blend(next, h, keep, skip);
        }

        final void blend(INDArray next, INDArray previous, INDArray keep, INDArray skip) {
            next.muliColumnVector(keep).addi(scratch.assign(previous).muliColumnVector(skip));
        }

        /**
         * recurrent_activation on each gate's columns: Keras computes every gate on its own, which is the same as
         * one call on the adjacent gates {@code joint} for element-wise activations, but not for softmax.
         */
        final void gateActivation(INDArray joint, INDArray... gates) {
            if (recurrentActivation.elementwise()) {
                recurrentActivation.applyInPlace(joint);
            } else {
                for (INDArray gate : gates) {
                    recurrentActivation.applyInPlace(gate);
                }
            }
        }

        /** Makes the state computed in this step the current one. */
        void advance() {
        }

        /** An LSTM's initial cell state c (other cells have none). */
        void startCell(INDArray c0) {
            throw new IllegalStateException("only an LSTM has a cell state");
        }

        /** The current cell state c, or null. */
        INDArray cell() {
            return null;
        }

        /** {@code next = hh + z·(h - hh)}, which is Keras's {@code z·h + (1 - z)·hh}. */
        final void interpolate(INDArray z, INDArray h, INDArray hh, INDArray next) {
            next.assign(h).subi(hh).muli(z).addi(hh);
        }
    }

    /** {@code h = activation(x·W + b + h·U)}. */
    private final class SimpleStep extends Step {
        SimpleStep(long batch) {
            super(batch);
        }

        @Override
        void compute(INDArray projected, INDArray h, INDArray next) {
            product.run(next, h, recurrentKernel);
            activation.applyInPlace(next.addi(projected));
        }
    }

    /** {@code c = f·c + i·g, h = o·activation(c)} with i, f, o = recurrent_activation(...), g = activation(...). */
    private final class LstmStep extends Step {
        private final INDArray gates;
        private final INDArray inputAndForget;
        private final INDArray input;
        private final INDArray forget;
        private final INDArray candidate;
        private final INDArray output;
        private final INDArray[] cells;
        private INDArray c;
        private INDArray nextC;
        private int turn;

        LstmStep(long batch) {
            super(batch);
            gates = NativeOp.empty(batch, 4L * units);
            inputAndForget = columns(gates, 0, 2L * units);
            input = columns(gates, 0, units);
            forget = columns(gates, units, 2L * units);
            candidate = columns(gates, 2L * units, 3L * units);
            output = columns(gates, 3L * units, 4L * units);
            cells = new INDArray[] {NativeOp.empty(batch, units), NativeOp.empty(batch, units)};
            c = Nd4j.zeros(DataType.FLOAT, batch, units);
        }

        @Override
        void compute(INDArray projected, INDArray h, INDArray next) {
            product.run(gates, h, recurrentKernel);
            gates.addi(projected);
            gateActivation(inputAndForget, input, forget);
            activation.applyInPlace(candidate);
            recurrentActivation.applyInPlace(output);
            nextC = cells[turn];
            nextC.assign(forget).muli(c).addi(scratch.assign(input).muli(candidate));
            next.assign(nextC);
            activation.applyInPlace(next);
            next.muli(output);
        }

        @Override
        void keepMaskedState(INDArray keep, INDArray skip, INDArray h, INDArray next) {
            blend(next, h, keep, skip);
            blend(nextC, c, keep, skip);
        }

        @Override
        void advance() {
            c = nextC;
            turn = 1 - turn;
        }

        @Override
        void startCell(INDArray c0) {
            c = c0;
        }

        @Override
        INDArray cell() {
            return c;
        }
    }

    /** Keras 2/3 default: {@code hh = activation(x_h + r·(h·U_h + b_rh))}, recurrent bias row 1 of the bias. */
    private final class GruResetAfterStep extends Step {
        private final INDArray inner;
        private final INDArray updateAndReset;
        private final INDArray update;
        private final INDArray reset;
        private final INDArray candidate;

        GruResetAfterStep(long batch) {
            super(batch);
            inner = NativeOp.empty(batch, 3L * units);
            updateAndReset = columns(inner, 0, 2L * units);
            update = columns(inner, 0, units);
            reset = columns(inner, units, 2L * units);
            candidate = columns(inner, 2L * units, 3L * units);
        }

        @Override
        void compute(INDArray projected, INDArray h, INDArray next) {
            if (recurrentBias != null) {
                recurrentProduct.run(inner, h, recurrentKernel, recurrentBias);
            } else {
                product.run(inner, h, recurrentKernel);
            }
            updateAndReset.addi(columns(projected, 0, 2L * units));
            gateActivation(updateAndReset, update, reset);
            candidate.muli(reset).addi(columns(projected, 2L * units, 3L * units));
            activation.applyInPlace(candidate);
            interpolate(update, h, candidate, next);
        }
    }

    /** reset_after=false (Keras 1, TensorFlow.js): {@code hh = activation(x_h + (r·h)·U_h)}. */
    private final class GruResetBeforeStep extends Step {
        private final INDArray updateAndReset;
        private final INDArray update;
        private final INDArray reset;
        private final INDArray candidate;

        GruResetBeforeStep(long batch) {
            super(batch);
            updateAndReset = NativeOp.empty(batch, 2L * units);
            update = columns(updateAndReset, 0, units);
            reset = columns(updateAndReset, units, 2L * units);
            candidate = NativeOp.empty(batch, units);
        }

        @Override
        void compute(INDArray projected, INDArray h, INDArray next) {
            product.run(updateAndReset, h, gateRecurrentKernel);
            updateAndReset.addi(columns(projected, 0, 2L * units));
            gateActivation(updateAndReset, update, reset);
            product.run(candidate, scratch.assign(reset).muli(h), candidateRecurrentKernel);
            candidate.addi(columns(projected, 2L * units, 3L * units));
            activation.applyInPlace(candidate);
            interpolate(update, h, candidate, next);
        }
    }
}
