/**
 * What notebooks show: {@link org.shapelab.display.MimeBundle}s (plain text plus HTML, SVG or PNG) for
 * models, layer diagrams and shape errors, produced as plain data so that any kernel (IJava or ShapeLab's
 * own) can display them. Renderers never throw: on a failure they fall back to plain text with a note.
 */
package org.shapelab.display;
