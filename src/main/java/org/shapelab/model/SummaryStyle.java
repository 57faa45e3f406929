package org.shapelab.model;

/**
 * Which Keras's {@code model.summary()} layout to print: what a learner meets in today's Keras, or the older one that
 * tutorials written for TensorFlow 2.0 to 2.15 show. {@code model.summary()} is {@link #KERAS_3};
 * {@code model.summary(SummaryStyle.TF_KERAS_2)} gives the other.
 */
public enum SummaryStyle {

    /**
     * Keras 3 (keras.io today; {@code import keras} with TensorFlow 2.16 or later, JAX or PyTorch): a boxed table 76
     * characters wide, a line between layers, long cells wrapped or cut with "…", an {@code InputLayer} row and
     * "Connected to" for functional models, and the parameter totals with their size in bytes
     * ({@code Total params: 1,234 (4.82 KB)}).
     */
    KERAS_3,

    /**
     * tf.keras 2 (TensorFlow 2.0 to 2.15, {@code from tensorflow import keras}): 65 characters of {@code _} and
     * {@code =} rules, a blank line after each layer, totals without sizes; functional models 98 characters wide with
     * "Connected to" as a list.
     */
    TF_KERAS_2
}
