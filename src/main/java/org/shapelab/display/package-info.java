/**
 * What notebooks show: HTML, SVG and text renderings of models, tensors and shape errors, produced
 * as plain data so that any kernel (IJava or ShapeLab's own) can display them. Renderers never throw.
 */
package org.shapelab.display;
