/**
 * Model files as Keras and TensorFlow.js write them: Keras 3's {@code .keras} archive, the legacy HDF5
 * {@code .h5}, weights-only {@code .weights.h5}, and TensorFlow.js's {@code model.json} with {@code .bin} shards.
 * {@link org.shapelab.io.ModelFiles} is the entry point ({@code Model.load}, {@code model.loadWeights},
 * {@code model.save} call it); HDF5 is read and written by jHDF, in pure Java.
 */
package org.shapelab.io;
