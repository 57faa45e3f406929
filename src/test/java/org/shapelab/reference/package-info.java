/**
 * Differential checks against Keras references made by code (TensorFlow.js 4.22, tools/keras-reference/fuzz.mjs):
 * a corpus of random and edge-case models, each case run in a child JVM so that a native crash fails that case
 * and not the run.
 */
package org.shapelab.reference;
