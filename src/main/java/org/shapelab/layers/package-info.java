/**
 * The Keras layers, one file each: constructor arguments and Keras-named options, the shape rule
 * ({@code computeOutputShape}), the weights it creates (names, Keras shapes, initializers) and its
 * Keras JSON config. Pure Java: the forward passes live in {@code org.shapelab.compute}.
 *
 * <p>Shared anatomy lives in {@link org.shapelab.layers.Layer}; families share a base class
 * ({@link org.shapelab.layers.BaseConv}, {@link org.shapelab.layers.BasePooling},
 * {@link org.shapelab.layers.GlobalPooling}, {@link org.shapelab.layers.BaseRNN}) so that the
 * concrete classes only say what differs.
 */
package org.shapelab.layers;
