package org.shapelab.model;

import java.util.ArrayList;
import java.util.List;

import org.shapelab.layers.Input;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Node;
import org.shapelab.layers.Tensor;

/**
 * Keras's {@code model.summary()} text, in the tf.keras 2 layout learners see in tutorials: 65
 * characters wide, columns ending at 29, 55 and 65, long cells wrapped the way Keras wraps them,
 * a blank line after each layer, totals with thousands separators. Functional models get tf.keras 2's
 * four-column layout with "Connected to".
 */
final class Summary {

    private static final int LINE_LENGTH = 65;
    private static final int[] POSITIONS = {29, 55, 65};
    /** Functional models: 98 characters, columns at 0.33, 0.55, 0.67 and 1 of it, the fourth "Connected to". */
    private static final int GRAPH_LINE_LENGTH = 98;
    private static final int[] GRAPH_POSITIONS = {32, 53, 65, 98};
    private static final String[] LINE_BREAKS = {"),", "},", "],", "',"};

    private Summary() {
    }

    static String text(Sequential model) {
        List<String> lines = new ArrayList<>();
        lines.add("Model: \"" + model.name() + "\"");
        lines.add("_".repeat(LINE_LENGTH));
        row(lines, POSITIONS, "Layer (type)", "Output Shape", "Param #");
        lines.add("=".repeat(LINE_LENGTH));
        for (Layer layer : model.layers()) {
            row(lines, POSITIONS, layer.name() + " (" + layer.kerasClassName() + ")", layer.outputShape().toString(),
                    Long.toString(layer.countParams()));
            lines.add(" ".repeat(LINE_LENGTH));
        }
        totals(lines, model, LINE_LENGTH);
        return String.join("\n", lines) + "\n";
    }

    /**
     * tf.keras 2's summary of a functional model: InputLayer rows first, a layer's output shapes as a list when it
     * has several (or {@code multiple} when a shared layer's calls differ), and "Connected to" listing the tensors
     * each call of the layer read, as {@code layer[node][tensor]}.
     */
    static String text(Functional model) {
        List<String> lines = new ArrayList<>();
        lines.add("Model: \"" + model.name() + "\"");
        lines.add("_".repeat(GRAPH_LINE_LENGTH));
        row(lines, GRAPH_POSITIONS, "Layer (type)", "Output Shape", "Param #", "Connected to");
        lines.add("=".repeat(GRAPH_LINE_LENGTH));
        for (Input input : model.inputs()) {
            row(lines, GRAPH_POSITIONS, model.inputName(input) + " (InputLayer)", "[" + input.shape() + "]", "0", "[]");
            lines.add(" ".repeat(GRAPH_LINE_LENGTH));
        }
        for (Layer layer : model.layers()) {
            List<String> connections = new ArrayList<>();
            for (Node node : model.nodes()) {
                if (node.layer() == layer) {
                    for (Tensor tensor : node.inputs()) {
                        connections.add("'" + model.reference(tensor) + "'");
                    }
                }
            }
            row(lines, GRAPH_POSITIONS, layer.name() + " (" + layer.kerasClassName() + ")", outputShapeText(model, layer),
                    Long.toString(layer.countParams()), "[" + String.join(", ", connections) + "]");
            lines.add(" ".repeat(GRAPH_LINE_LENGTH));
        }
        totals(lines, model, GRAPH_LINE_LENGTH);
        return String.join("\n", lines) + "\n";
    }

    /** Keras's {@code layer.output_shape}: one shape, a list for several outputs, "multiple" if calls differ. */
    static String outputShapeText(Functional model, Layer layer) {
        String first = null;
        for (Node node : model.nodes()) {
            if (node.layer() != layer) {
                continue;
            }
            List<String> shapes = node.outputs().stream().map(t -> t.shape().toString()).toList();
            String text = shapes.size() == 1 ? shapes.get(0) : "[" + String.join(", ", shapes) + "]";
            if (first == null) {
                first = text;
            } else if (!first.equals(text)) {
                return "multiple";
            }
        }
        return first;
    }

    private static void totals(List<String> lines, Model model, int lineLength) {
        lines.add("=".repeat(lineLength));
        lines.add(String.format("Total params: %,d", model.countParams()));
        lines.add(String.format("Trainable params: %,d", model.trainableParams()));
        lines.add(String.format("Non-trainable params: %,d", model.nonTrainableParams()));
        lines.add("_".repeat(lineLength));
    }

    /** One table row; a cell too long for its column continues on the next line, as Keras's print_row. */
    private static void row(List<String> lines, int[] positions, String... fields) {
        String[] left = fields.clone();
        while (anyLeft(left)) {
            StringBuilder line = new StringBuilder();
            for (int col = 0; col < left.length; col++) {
                int start = col > 0 ? positions[col - 1] : 0;
                int space = col != positions.length - 1 ? 2 : 0;
                int cutoff = Math.min(positions[col] - start - space, left[col].length());
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
                line.append(" ".repeat(Math.max(0, positions[col] - line.length())));
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
