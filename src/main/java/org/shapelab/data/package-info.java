/**
 * Data sets of Keras's tutorials, as {@code keras.datasets} gives them: {@link org.shapelab.data.FashionMnist}.
 * Keras downloads them at the first call; ShapeLab reads the files a Debian package installed (Binder installs it
 * from {@code binder/apt.txt} while it builds the image), so no lesson waits for a download. Arrays are ND4J's, in
 * Keras's shapes and dtypes; each file format is read in one place ({@code Idx} for MNIST-style IDX files).
 */
package org.shapelab.data;
