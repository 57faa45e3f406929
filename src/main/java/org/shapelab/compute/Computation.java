package org.shapelab.compute;

import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer's forward pass at inference (named a computation, not a kernel: in Keras a kernel is a weight, in
 * Jupyter the program that runs cells). A computation never writes into its input (it may be the caller's
 * array or another layer's output) and may return a view of it. Beware that ND4J's {@code INDArray.shape()}
 * returns the array's own shape field, not a copy: clone it before changing it.
 *
 * <p>Masks follow Keras: {@code Embedding(mask_zero=True)} makes a {@code (batch, timesteps)} mask of 1s and
 * 0s; recurrent layers skip masked steps, GlobalAveragePooling1D averages over unmasked steps only; layers
 * that keep the time axis and support masking in Keras (Dense, Activation, Dropout, BatchNormalization,
 * TimeDistributed, recurrent layers with {@code return_sequences}) pass it on; every other layer drops it.
 */
interface Computation {

    /**
     * @param input batch-first float32 array of the layer's input shape
     * @param mask  {@code (batch, timesteps)} mask or null
     */
    INDArray forward(INDArray input, INDArray mask);

    /** The mask for the next layer (Keras's {@code compute_mask}); by default masks stop here. */
    default INDArray outputMask(INDArray input, INDArray mask) {
        return null;
    }

    /**
     * A call on several tensors or with several results (Keras's layer call on a list): merges, recurrent layers
     * with initial states or {@code return_state}, Bidirectional. By default the one-tensor {@link #forward}.
     *
     * @param inputs the call's arrays, in the order of the layer's inputs
     * @param masks  one mask (or null) per input
     */
    default List<INDArray> forwardAll(List<INDArray> inputs, List<INDArray> masks) {
        return List.of(forward(inputs.get(0), masks.get(0)));
    }

    /** One mask (or null) per result of {@link #forwardAll}. */
    default List<INDArray> outputMasks(List<INDArray> inputs, List<INDArray> masks) {
        return Collections.singletonList(outputMask(inputs.get(0), masks.get(0)));
    }

    /** Whether this kernel can train: it has {@link #forwardTraining} and {@link #backward}. */
    default boolean trains() {
        return false;
    }

    /**
     * The forward pass of a training step (Keras's {@code training=True}: Dropout drops, BatchNormalization uses
     * the batch's statistics and moves its moving ones), keeping what {@link #backward} needs. Returns arrays of
     * its own, never reused ones.
     */
    default INDArray forwardTraining(INDArray input, INDArray mask, TrainingStep step) {
        throw new IllegalStateException(getClass().getSimpleName() + " cannot train");
    }

    /**
     * The loss's gradient with respect to the input of the last {@link #forwardTraining}, from its gradient with
     * respect to that call's output. Puts the gradient of each trainable weight into {@code weightGradients}, in
     * the layer's {@code get_weights()} order (non-trainable weights stay null).
     */
    default INDArray backward(INDArray gradient, INDArray[] weightGradients) {
        throw new IllegalStateException(getClass().getSimpleName() + " cannot train");
    }

    /** {@link #forwardTraining} for a call on several tensors or with several results; by default the one-tensor form. */
    default List<INDArray> forwardTrainingAll(List<INDArray> inputs, List<INDArray> masks, TrainingStep step) {
        return List.of(forwardTraining(inputs.get(0), masks.get(0), step));
    }

    /**
     * {@link #backward} for one gradient per result of {@link #forwardTrainingAll}; returns one gradient per input
     * (null for an input that gets none).
     */
    default List<INDArray> backwardAll(List<INDArray> outputGradients, INDArray[] weightGradients) {
        return List.of(backward(outputGradients.get(0), weightGradients));
    }

    /**
     * {@link #backward} for the first layer that trains: nothing reads the gradient with respect to its input, so a
     * kernel may skip computing it and return null (Dense does: for Keras's Fashion-MNIST model that product,
     * 32×128·128×784, is half of the backward pass's multiply-adds).
     */
    default INDArray backwardWeightsOnly(INDArray gradient, INDArray[] weightGradients) {
        return backwardAll(List.of(gradient), weightGradients).get(0);
    }

    /** A kernel that ignores masks and passes them on unchanged. */
    static Computation passingMask(UnaryOperator<INDArray> forward) {
        return new Computation() {
            @Override
            public INDArray forward(INDArray input, INDArray mask) {
                return forward.apply(input);
            }

            @Override
            public INDArray outputMask(INDArray input, INDArray mask) {
                return mask;
            }
        };
    }
}
