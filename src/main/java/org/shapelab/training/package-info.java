/**
 * Training with Keras's names, formulas and defaults: losses, optimizers, metrics, {@code fit}'s loop with its
 * batches, callbacks and {@link org.shapelab.training.History}, and the label checks that explain a loss's shape
 * mistakes before the first step. Each layer's backward pass lives beside its forward pass in
 * {@code org.shapelab.compute}.
 */
package org.shapelab.training;
