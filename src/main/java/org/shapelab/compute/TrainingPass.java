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
 * <p>Made by {@link ModelRuntime#trainingPass()}; one pass per fit, used from one thread.
 */
public final class TrainingPass {

    private final ModelRuntime runtime;
    private final List<Layer> layers;
    private final List<Kernel> kernels;
    private final List<INDArray> weights = new ArrayList<>();
    private final List<Boolean> trainable = new ArrayList<>();
    private int[] firstWeight;
    /** The first layer with a trainable weight: backward stops there, without its input's gradient. */
    private final int firstTrainable;
    /** The forward pass's multiply-adds per sample (the shape engine's count), -1 if a layer cannot say. */
    private final long multiplyAddsPerSample;

    TrainingPass(ModelRuntime runtime, List<Layer> layers, List<Kernel> kernels, List<List<INDArray>> layerWeights) {
        this.runtime = runtime;
        this.layers = layers;
        this.kernels = kernels;
        this.firstWeight = new int[layers.size()];
        long perSample = 0;
        for (Layer layer : layers) {
            long work = layer.multiplyAdds();
            perSample = work < 0 || perSample < 0 ? -1 : perSample + work;
        }
        this.multiplyAddsPerSample = perSample;
        for (int i = 0; i < layers.size(); i++) {
            firstWeight[i] = weights.size();
            weights.addAll(layerWeights.get(i));
            for (WeightSpec spec : layers.get(i).weights()) {
                trainable.add(spec.trainable());
            }
        }
        int first = layers.size();
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i).weights().stream().anyMatch(WeightSpec::trainable)) {
                first = i;
            }
        }
        this.firstTrainable = first;
    }

    /**
     * The model's output for a batch, computed with training behaviour (one step's seed for Dropout).
     *
     * @param verb how the learner called it ({@code fit}, {@code train_on_batch}), for an input mistake's message
     */
    public INDArray forward(INDArray batch, long stepSeed, String verb) {
        runtime.checkBatch(batch, layers, verb);
        TrainingStep step = new TrainingStep(stepSeed);
        INDArray x = batch.dataType() == DataType.FLOAT ? batch : batch.castTo(DataType.FLOAT);
        INDArray mask = null;
        for (int i = 0; i < layers.size(); i++) {
            Kernel kernel = kernels.get(i);
            INDArray out;
            try {
                out = kernel.forwardTraining(x, mask, step);
                mask = kernel.outputMask(x, mask);
            } catch (RuntimeException e) {
                throw ModelRuntime.internalError(layers.get(i), x, e);
            }
            x = out;
        }
        return x;
    }

    /**
     * The gradient of every weight (in {@code get_weights()} order; null for non-trainable ones) from the loss's
     * gradient with respect to the last {@link #forward}'s output. The layers before the first trainable one are
     * skipped, and that layer's input gradient is not computed: nothing reads them.
     */
    public List<INDArray> backward(INDArray outputGradient) {
        INDArray[] gradients = new INDArray[weights.size()];
        INDArray gradient = outputGradient;
        for (int i = layers.size() - 1; i >= firstTrainable; i--) {
            int count = layers.get(i).weights().size();
            INDArray[] own = new INDArray[count];
            try {
                gradient = i == firstTrainable ? kernels.get(i).backwardWeightsOnly(gradient, own)
                        : kernels.get(i).backward(gradient, own);
            } catch (RuntimeException e) {
                throw ModelRuntime.internalError(layers.get(i), gradient, e);
            }
            for (int j = 0; j < count; j++) {
                int index = firstWeight[i] + j;
                if (trainable.get(index)) {
                    checkGradient(layers.get(i), j, own[j]);
                    gradients[index] = own[j];
                }
            }
        }
        return java.util.Arrays.asList(gradients);
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
