package org.shapelab.training;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Called by {@code fit} as Keras calls its callbacks: after each batch with that batch's logs ({@code loss} and the
 * metrics, running means over the epoch so far, as Keras's progress bar shows them) and after each epoch with the
 * epoch's logs (also {@code val_...} when there is validation data). Epochs and batches count from 0, as in Keras.
 */
public interface Callback {

    default void onTrainBegin() {
    }

    default void onEpochBegin(int epoch) {
    }

    default void onBatchEnd(int batch, Map<String, Double> logs) {
    }

    default void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    default void onTrainEnd() {
    }

    /** Asked after every epoch: true ends training (Keras's {@code model.stop_training = True}). */
    default boolean stopTraining() {
        return false;
    }

    /** A callback for every batch, e.g. {@code Callback.everyBatch((batch, logs) -> ...)}. */
    static Callback everyBatch(BiConsumer<Integer, Map<String, Double>> action) {
        return new Callback() {
            @Override
            public void onBatchEnd(int batch, Map<String, Double> logs) {
                action.accept(batch, logs);
            }
        };
    }

    /** A callback for every epoch, e.g. {@code Callback.everyEpoch((epoch, logs) -> ...)}. */
    static Callback everyEpoch(BiConsumer<Integer, Map<String, Double>> action) {
        return new Callback() {
            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                action.accept(epoch, logs);
            }
        };
    }
}
