/**
 * Data sets of Keras's tutorials, as {@code keras.datasets} gives them, read from files that a Debian package
 * installs (notebooks cannot download, and Binder builds its image from {@code binder/apt.txt}):
 * {@link org.shapelab.data.FashionMnist}. Arrays are ND4J's, in Keras's shapes and dtypes; the file formats
 * are read here, once each ({@code Idx} for MNIST-style IDX files).
 */
package org.shapelab.data;
