/**
 * Shapes as Keras prints them, and the arithmetic that moves them through layers.
 *
 * <p>Pure Java: nothing here loads ND4J, so a notebook can build and inspect models instantly.
 * {@link org.shapelab.shape.Shape} keeps the three forms learners confuse apart (declared sample
 * shape, summary shape with {@code None}, concrete array shape); {@link org.shapelab.shape.ShapeException}
 * is the one error type for every learner mistake, with a message that stands on its own.
 */
package org.shapelab.shape;
