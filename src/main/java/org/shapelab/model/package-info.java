/**
 * Models: the fluent {@link org.shapelab.model.Sequential}, its Keras-style text summary, the extended
 * shape table (tablesaw) and Keras JSON in both directions. Pure Java, like the layers.
 */
package org.shapelab.model;
