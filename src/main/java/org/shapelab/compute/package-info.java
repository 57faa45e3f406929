/**
 * The forward pass of every ShapeLab layer on ND4J, numerically equal to Keras's {@code predict()}.
 *
 * <p>{@link org.shapelab.compute.ModelRuntime} is the entry point: one per model, holding the weights
 * (Keras layouts and {@code get_weights()} order) and a {@link org.shapelab.compute.Computation} per layer
 * ({@code DenseComputation}, {@code ConvComputation}, ...: forward and backward pass side by side). Each reads the
 * layer's options through its getters, so shape rules stay in {@code org.shapelab.layers} and only the
 * arithmetic lives here. {@link org.shapelab.compute.Lambda} is the one layer defined in this package,
 * because it carries a Java function on ND4J arrays. {@link org.shapelab.compute.Nd4jRuntime} loads ND4J
 * (also from notebook class loaders); nothing outside this package needs ND4J.
 */
package org.shapelab.compute;
