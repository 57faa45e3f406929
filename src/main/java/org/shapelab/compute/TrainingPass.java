package org.shapelab.compute;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.Layer;
import org.shapelab.layers.WeightSpec;
import org.shapelab.shape.Shape;

/**
 * A model's layers in training: {@link #forward} computes a batch as Keras's {@code fit} does (Dropout active,
 * BatchNormalization on the batch's statistics), {@link #backward} turns the loss's gradient with respect to the
 * output into the gradient of every trainable weight, layer by layer in reverse (each kernel's {@code backward},
 * next to its forward pass). The weights are the model's own arrays: an optimizer updates them in place, then
 * calls {@link #weightsChanged} so that {@code predict} sees them.
 *
 * <p>The pass is a graph of layer calls over numbered slots: a chain for a Sequential model, the model's nodes for a
 * functional one. Made by {@link ModelRuntime#trainingPass()}; one pass per fit, used from one thread.
 */
public final class TrainingPass {

    /**
     * One layer call: its kernel (a kernel of its own per call, so a shared layer's calls keep their own forward
     * caches), the tensors it reads and writes as slots, and where its layer's weights start in {@link #weights}.
     */
    private record Call(Layer layer, Computation kernel, int[] inputs, int[] outputs, int firstWeight) {
    }

    private final ModelRuntime runtime;
    private final List<Layer> layers;
    private final List<Call> calls;
    private final int slots;
    private final int[] inputSlots;
    private final int[] outputSlots;
    private final List<INDArray> weights = new ArrayList<>();
    private final List<Boolean> trainable = new ArrayList<>();
    /** Whether this is a Sequential model's chain (its input is checked by {@link #forward}). */
    private final boolean chain;
    private INDArray[] values;
    private List<INDArray> outputMasks = List.of();
    /** The forward pass's multiply-adds per sample (the shape engine's count), -1 if a layer cannot say. */
    private final long multiplyAddsPerSample;
    /** Per slot: whether a trainable weight acts on it, i.e. whether the backward pass needs its gradient. */
    private final boolean[] trained;

    /** A chain: layer i reads slot i and writes slot i + 1 (a Sequential model). */
    TrainingPass(ModelRuntime runtime, List<Layer> layers, List<Computation> kernels, List<List<INDArray>> layerWeights) {
        this(runtime, layers, layerWeights, chain(layers, kernels), layers.size() + 1, new int[] {0},
                new int[] {layers.size()}, true);
    }

    /**
     * A graph of calls over numbered slots (a functional model).
     *
     * @param callsByLayer each call as {layer index, kernel, input slots, output slots}
     */
    TrainingPass(ModelRuntime runtime, List<Layer> layers, List<List<INDArray>> layerWeights,
                 List<Object[]> callsByLayer, int slots, int[] inputSlots, int[] outputSlots, boolean chain) {
        this.runtime = runtime;
        this.chain = chain;
        this.layers = layers;
        int[] firstWeight = new int[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            firstWeight[i] = weights.size();
            weights.addAll(layerWeights.get(i));
            for (WeightSpec spec : layers.get(i).weights()) {
                trainable.add(spec.trainable());
            }
        }
        List<Call> made = new ArrayList<>();
        for (Object[] call : callsByLayer) {
            int index = (Integer) call[0];
            made.add(new Call(layers.get(index), (Computation) call[1], (int[]) call[2], (int[]) call[3],
                    firstWeight[index]));
        }
        this.calls = List.copyOf(made);
        long perSample = 0;
        for (Layer layer : layers) {
            long work = layer.multiplyAdds();
            perSample = work < 0 || perSample < 0 ? -1 : perSample + work;
        }
        this.multiplyAddsPerSample = perSample;
        this.trained = new boolean[slots];
        for (Call call : calls) {
            boolean any = call.layer().weights().stream().anyMatch(WeightSpec::trainable);
            for (int slot : call.inputs()) {
                any |= trained[slot];
            }
            for (int slot : call.outputs()) {
                trained[slot] = any;
            }
        }
        this.slots = slots;
        this.inputSlots = inputSlots;
        this.outputSlots = outputSlots;
    }

    private static List<Object[]> chain(List<Layer> layers, List<Computation> kernels) {
        List<Object[]> calls = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            calls.add(new Object[] {i, kernels.get(i), new int[] {i}, new int[] {i + 1}});
        }
        return calls;
    }

    /**
     * The model's output for a batch, computed with training behaviour (one step's seed for Dropout).
     *
     * @param verb how the learner called it ({@code fit}, {@code train_on_batch}), for an input mistake's message
     */
    public INDArray forward(INDArray batch, long stepSeed, String verb) {
        runtime.checkBatch(batch, layers, verb);
        return forwardChecked(List.of(batch), stepSeed).get(0);
    }

    /** Every output for one array per model input, with training behaviour. */
    public List<INDArray> forwardAll(List<INDArray> batches, long stepSeed, String verb) {
        if (!chain) {
            runtime.checkGraphBatch(batches, verb);
        }
        return forwardChecked(batches, stepSeed);
    }

    private List<INDArray> forwardChecked(List<INDArray> batches, long stepSeed) {
        TrainingStep step = new TrainingStep(stepSeed);
        values = new INDArray[slots];
        INDArray[] masks = new INDArray[slots];
        for (int i = 0; i < inputSlots.length; i++) {
            INDArray x = batches.get(i);
            values[inputSlots[i]] = x.dataType() == DataType.FLOAT ? x : x.castTo(DataType.FLOAT);
        }
        for (Call call : calls) {
            List<INDArray> inputs = new ArrayList<>();
            List<INDArray> inputMasks = new ArrayList<>();
            for (int slot : call.inputs()) {
                inputs.add(values[slot]);
                inputMasks.add(masks[slot]);
            }
            try {
                List<INDArray> outputs = call.kernel().forwardTrainingAll(inputs, inputMasks, step);
                List<INDArray> outputMasks = call.kernel().outputMasks(inputs, inputMasks);
                for (int i = 0; i < call.outputs().length; i++) {
                    values[call.outputs()[i]] = outputs.get(i);
                    masks[call.outputs()[i]] = i < outputMasks.size() ? outputMasks.get(i) : null;
                }
            } catch (RuntimeException e) {
                throw ModelRuntime.internalError(call.layer(), inputs.get(0), e);
            }
        }
        List<INDArray> outputs = new ArrayList<>();
        outputMasks = new ArrayList<>();
        for (int slot : outputSlots) {
            outputs.add(values[slot]);
            outputMasks.add(masks[slot]);
        }
        return outputs;
    }

    /** The Keras mask of each output of the last forward pass (null where an output has none). */
    public List<INDArray> outputMasks() {
        return outputMasks;
    }

    /**
     * The gradient of every weight (in {@code get_weights()} order; null for non-trainable ones) from the loss's
     * gradient with respect to the last {@link #forward}'s output. The layers before the first trainable one are
     * skipped, and that layer's input gradient is not computed: nothing reads them.
     */
    public List<INDArray> backward(INDArray outputGradient) {
        return backwardAll(List.of(outputGradient));
    }

    /**
     * {@link #backward} for one gradient per model output (null: that output is not in the loss). Calls run in
     * reverse; a tensor read by several calls gets the sum of their gradients, and a shared layer's weights the sum
     * over its calls.
     */
    public List<INDArray> backwardAll(List<INDArray> outputGradients) {
        INDArray[] gradients = new INDArray[weights.size()];
        INDArray[] slotGradients = new INDArray[slots];
        for (int i = 0; i < outputSlots.length; i++) {
            add(slotGradients, outputSlots[i], outputGradients.get(i));
        }
        for (int c = calls.size() - 1; c >= 0; c--) {
            Call call = calls.get(c);
            List<INDArray> outputGradient = new ArrayList<>();
            boolean any = false;
            for (int slot : call.outputs()) {
                INDArray g = slotGradients[slot];
                any |= g != null && trained[slot];
                outputGradient.add(g != null ? g : Nd4j.zeros(values[slot].dataType(), values[slot].shape()));
            }
            if (!any) {
                continue;
            }
            int count = call.layer().weights().size();
            INDArray[] own = new INDArray[count];
            List<INDArray> inputGradients;
            try {
                boolean inputsTrained = false;
                for (int slot : call.inputs()) {
                    inputsTrained |= trained[slot];
                }
                // Nothing upstream trains (the first Dense of a model): its input's gradient is never read.
                inputGradients = inputsTrained ? call.kernel().backwardAll(outputGradient, own)
                        : call.inputs().length == 1 && call.outputs().length == 1 ? java.util.Collections.singletonList(
                        call.kernel().backwardWeightsOnly(outputGradient.get(0), own))
                        : call.kernel().backwardAll(outputGradient, own);
            } catch (RuntimeException e) {
                throw ModelRuntime.internalError(call.layer(), outputGradient.get(0), e);
            }
            for (int j = 0; j < count; j++) {
                int index = call.firstWeight() + j;
                if (trainable.get(index)) {
                    checkGradient(call.layer(), j, own[j]);
                    gradients[index] = gradients[index] == null ? own[j] : gradients[index].add(own[j]);
                }
            }
            for (int i = 0; i < call.inputs().length; i++) {
                if (trained[call.inputs()[i]]) {
                    add(slotGradients, call.inputs()[i], inputGradients.get(i));
                }
            }
        }
        return java.util.Arrays.asList(gradients);
    }

    private static void add(INDArray[] slotGradients, int slot, INDArray gradient) {
        if (gradient == null) {
            return;
        }
        slotGradients[slot] = slotGradients[slot] == null ? gradient : slotGradients[slot].add(gradient);
    }

    /**
     * Runs one training step's work (forward, loss, backward, update) in a workspace that is reset on every call,
     * as predict does: its many temporary arrays then reuse one block of memory instead of each costing a fresh
     * allocation (a new ND4J array touches every page: for a Dense 784 -> 128 step that was most of its time).
     * Nothing made inside may outlive the call; weights and optimizer state are updated in place.
     *
     * <p>A step whose forward pass is small by predict's rule ({@link ModelRuntime#ONE_THREAD_MAX_MULTIPLY_ADDS}
     * for the batch) runs on one thread ({@link NativeOp#onOneThread}). Its ops are small, and on a shared machine
     * libnd4j's second OpenMP thread mostly waits: Keras's Fashion-MNIST model (batch 32, 3.3 M multiply-adds
     * forward) took 63-211 ms a step on two threads and 6-15 ms on one, in the same process, at load 10 on 2 cores.
     *
     * @param batchSize the step's samples
     */
    public <T> T inWorkspace(long batchSize, java.util.function.Supplier<T> work) {
        java.util.function.Supplier<T> step = () -> {
            org.nd4j.linalg.api.memory.MemoryWorkspace workspace = Nd4j.getWorkspaceManager()
                    .getAndActivateWorkspace(ModelRuntime.WORKSPACE, WORKSPACE_ID);
            try {
                return work.get();
            } finally {
                workspace.close();
            }
        };
        boolean small = multiplyAddsPerSample >= 0
                && multiplyAddsPerSample * batchSize < ModelRuntime.ONE_THREAD_MAX_MULTIPLY_ADDS;
        return small ? NativeOp.onOneThread(step) : step.get();
    }

    private static final String WORKSPACE_ID = "shapelab-train";

    /** Runs {@code work} outside any workspace, for arrays that outlive a step (an optimizer's state). */
    public static <T> T outsideWorkspaces(java.util.function.Supplier<T> work) {
        return ModelRuntime.outsideWorkspaces(work);
    }

    /** The model's weight arrays themselves (not copies), in {@code get_weights()} order. */
    public List<INDArray> weights() {
        return weights;
    }

    /** Whether each of {@link #weights} trains (BatchNormalization's moving statistics do not). */
    public List<Boolean> trainable() {
        return trainable;
    }

    /** After an update of {@link #weights}: predict, trace and getWeights see the new values. */
    public void weightsChanged() {
        runtime.weightsChanged();
    }

    private void checkGradient(Layer layer, int j, INDArray gradient) {
        WeightSpec spec = layer.weights().get(j);
        int[] want = spec.shape();
        boolean fits = gradient != null && gradient.rank() == want.length;
        for (int d = 0; fits && d < want.length; d++) {
            fits = gradient.size(d) == want[d];
        }
        if (!fits) {
            throw new IllegalStateException("Internal error in ShapeLab's training: layer " + layer.describe()
                    + " gave weight \"" + spec.name() + "\" a gradient of shape "
                    + (gradient == null ? "null" : Shape.array(gradient.shape())) + " for a weight of shape "
                    + Shape.tupleText(want) + ". Please report this with the model's summary().");
        }
    }
}
