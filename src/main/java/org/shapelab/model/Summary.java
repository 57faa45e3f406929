package org.shapelab.model;

import java.util.ArrayList;
import java.util.List;

import org.shapelab.layers.Layer;

/**
 * Keras's {@code model.summary()} text, in the tf.keras 2 layout learners see in tutorials: 65
 * characters wide, columns ending at 29, 55 and 65, long cells wrapped the way Keras wraps them,
 * a blank line after each layer, totals with thousands separators.
 */
final class Summary {

    private static final int LINE_LENGTH = 65;
    private static final int[] POSITIONS = {29, 55, 65};
    private static final String[] LINE_BREAKS = {"),", "},", "],", "',"};

    private Summary() {
    }

    static String text(Sequential model) {
        List<String> lines = new ArrayList<>();
        lines.add("Model: \"" + model.name() + "\"");
        lines.add("_".repeat(LINE_LENGTH));
        row(lines, "Layer (type)", "Output Shape", "Param #");
        lines.add("=".repeat(LINE_LENGTH));
        for (Layer layer : model.layers()) {
            row(lines, layer.name() + " (" + layer.kerasClassName() + ")", layer.outputShape().toString(),
                    Long.toString(layer.countParams()));
            lines.add(" ".repeat(LINE_LENGTH));
        }
        lines.add("=".repeat(LINE_LENGTH));
        lines.add(String.format("Total params: %,d", model.countParams()));
        lines.add(String.format("Trainable params: %,d", model.trainableParams()));
        lines.add(String.format("Non-trainable params: %,d", model.nonTrainableParams()));
        lines.add("_".repeat(LINE_LENGTH));
        return String.join("\n", lines) + "\n";
    }

    /** One table row; a cell too long for its column continues on the next line, as Keras's print_row. */
    private static void row(List<String> lines, String... fields) {
        String[] left = fields.clone();
        while (anyLeft(left)) {
            StringBuilder line = new StringBuilder();
            for (int col = 0; col < left.length; col++) {
                int start = col > 0 ? POSITIONS[col - 1] : 0;
                int space = col != POSITIONS.length - 1 ? 2 : 0;
                int cutoff = Math.min(POSITIONS[col] - start - space, left[col].length());
                String fit = left[col].substring(0, cutoff);
                int breakAt = Integer.MAX_VALUE;
                for (String mark : LINE_BREAKS) {
                    int at = fit.indexOf(mark);
                    if (at >= 0) {
                        breakAt = Math.min(breakAt, at + mark.length());
                    }
                }
                if (breakAt != Integer.MAX_VALUE) {
                    cutoff = breakAt;
                    fit = fit.substring(0, cutoff);
                }
                if (col == 0) {
                    line.append(' ');
                }
                line.append(fit).append(" ".repeat(space));
                left[col] = left[col].substring(cutoff);
                line.append(" ".repeat(Math.max(0, POSITIONS[col] - line.length())));
            }
            lines.add(line.toString());
        }
    }

    private static boolean anyLeft(String[] cells) {
        for (String cell : cells) {
            if (!cell.isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
