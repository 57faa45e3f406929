package org.shapelab.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.shapelab.layers.Input;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Node;
import org.shapelab.layers.Tensor;
import org.shapelab.shape.Shape;

/**
 * Keras's {@code model.summary()} text in either {@link SummaryStyle}.
 *
 * <p>Keras 3 ({@link SummaryStyle#KERAS_3}, the default): the table that Keras 3 draws with the {@code rich} library,
 * reproduced character for character: 76 columns (Keras's {@code min(88, terminal - 4)} without a terminal, whose
 * width Python takes as 80), rich's column widths, word wrapping and "…" cut-offs, the heavy header box and a rule
 * between rows, totals with their size in bytes (float32: 4 bytes a parameter, in B/KB/MB/GB of 1024). A functional
 * model lists its {@code InputLayer}s among the layers, ordered by depth as Keras 3's {@code map_graph} orders them,
 * and gets the "Connected to" column unless it is a plain chain.
 *
 * <p>tf.keras 2 ({@link SummaryStyle#TF_KERAS_2}): 65 characters wide, columns ending at 29, 55 and 65, long cells
 * wrapped the way Keras wraps them, a blank line after each layer, totals with thousands separators. Functional
 * models get tf.keras 2's four-column layout with "Connected to".
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

    /** The summary of any model in the given style. */
    static String text(Model model, SummaryStyle style) {
        java.util.Objects.requireNonNull(style, "style");
        if (model instanceof Sequential sequential) {
            return style == SummaryStyle.KERAS_3 ? Keras3.text(sequential) : tfKeras2(sequential);
        }
        if (model instanceof Functional functional) {
            return style == SummaryStyle.KERAS_3 ? Keras3.text(functional) : tfKeras2(functional);
        }
        throw new IllegalArgumentException("no summary for " + model.getClass().getName());
    }

    /** Keras 3's summary, the default. */
    static String text(Sequential model) {
        return Keras3.text(model);
    }

    /** Keras 3's summary, the default. */
    static String text(Functional model) {
        return Keras3.text(model);
    }

    static String tfKeras2(Sequential model) {
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
    static String tfKeras2(Functional model) {
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
            String text = Shape.listText(node.outputs().stream().map(Tensor::shape).toList());
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
        lines.add(String.format(java.util.Locale.ROOT, "Total params: %,d", model.countParams()));
        lines.add(String.format(java.util.Locale.ROOT, "Trainable params: %,d", model.trainableParams()));
        lines.add(String.format(java.util.Locale.ROOT, "Non-trainable params: %,d", model.nonTrainableParams()));
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

    /** Keras 3's {@code print_summary} as rich draws it without a terminal (no colours, no ANSI codes). */
    static final class Keras3 {

        /** Keras's default: {@code min(88, columns - 4)} (108 for "Connected to"), columns being 80 without a terminal. */
        static final int LINE_LENGTH = 76;
        private static final int SEQUENTIAL_LENGTH = 88;
        private static final int GRAPH_LENGTH = 108;
        private static final double[] POSITIONS = {0.45, 0.80, 1.0};
        private static final double[] GRAPH_POSITIONS = {0.3, 0.56, 0.74, 1.0};
        private static final String[] HEADER = {"Layer (type)", "Output Shape", "Param #"};
        private static final String[] GRAPH_HEADER = {"Layer (type)", "Output Shape", "Param #", "Connected to"};
        private static final java.util.regex.Pattern WORD = java.util.regex.Pattern.compile("\\s*\\S+\\s*");
        private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB", "PB"};
        /** float32: Keras's {@code weight_memory_size} counts 32 bits a parameter. */
        private static final int BYTES_PER_PARAM = 4;

        private Keras3() {
        }

        static String text(Sequential model) {
            List<String[]> rows = new ArrayList<>();
            for (Layer layer : model.layers()) {
                rows.add(new String[] {nameAndType(layer.name(), layer.kerasClassName()), shapesText(outputShapes(layer)),
                        count(layer.countParams())});
            }
            return text(model, false, rows);
        }

        static String text(Functional model) {
            Graph graph = Graph.of(model);
            boolean sequentialLike = graph.sequentialLike(model);
            List<String[]> rows = new ArrayList<>();
            for (Object operation : graph.operations) {
                String[] row = new String[sequentialLike ? 3 : 4];
                if (operation instanceof Input input) {
                    row[0] = nameAndType(model.inputName(input), "InputLayer");
                    row[1] = shapeText(input.shape());
                    row[2] = "0";
                    if (!sequentialLike) {
                        row[3] = "-";
                    }
                } else {
                    Layer layer = (Layer) operation;
                    row[0] = nameAndType(layer.name(), layer.kerasClassName());
                    row[1] = shapesText(outputShapes(layer));
                    row[2] = count(layer.countParams());
                    if (!sequentialLike) {
                        List<String> connections = new ArrayList<>();
                        for (Node node : layer.nodes()) {
                            if (graph.nodeDepths.containsKey(node)) {
                                for (Tensor tensor : node.inputs()) {
                                    connections.add(model.reference(tensor));
                                }
                            }
                        }
                        row[3] = connections.isEmpty() ? "-" : String.join(", ", connections);
                    }
                }
                rows.add(row);
            }
            return text(model, !sequentialLike, rows);
        }

        private static String text(Model model, boolean connected, List<String[]> rows) {
            int lineLength = Math.min(connected ? GRAPH_LENGTH : SEQUENTIAL_LENGTH, LINE_LENGTH);
            double[] positions = connected ? GRAPH_POSITIONS : POSITIONS;
            String[] header = connected ? GRAPH_HEADER : HEADER;
            boolean[] right = new boolean[header.length];
            right[2] = true;
            StringBuilder out = new StringBuilder();
            out.append("Model: \"").append(model.name()).append("\"\n");
            table(out, columnWidths(lineLength, positions), header, right, rows);
            long trainable = model.trainableParams();
            long nonTrainable = model.nonTrainableParams();
            total(out, "Total params: ", trainable + nonTrainable);
            total(out, "Trainable params: ", trainable);
            total(out, "Non-trainable params: ", nonTrainable);
            return out.toString();
        }

        private static void total(StringBuilder out, String label, long params) {
            out.append(' ').append(label).append(count(params)).append(" (")
                    .append(readableSize((double) params * BYTES_PER_PARAM)).append(")\n");
        }

        /** {@code f"{n:,}"}. */
        static String count(long n) {
            return String.format(java.util.Locale.ROOT, "%,d", n);
        }

        /** Keras's {@code readable_memory_size}: 1024 a step, two decimals as Python's {@code "{:.2f}"} rounds them. */
        static String readableSize(double bytes) {
            double size = bytes;
            for (String unit : UNITS) {
                if (size / 1024 < 1) {
                    return twoDecimals(size) + " " + unit;
                }
                size /= 1024;
            }
            return twoDecimals(size) + " " + UNITS[UNITS.length - 1];
        }

        /** Python's {@code "{:.2f}"}: the exact binary value, ties to even. */
        private static String twoDecimals(double value) {
            return new java.math.BigDecimal(value).setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString();
        }

        private static String nameAndType(String name, String className) {
            return name + " (" + className + ")";
        }

        /** The shapes of the layer's last call (Keras reads every inbound node and keeps the last one). */
        private static List<Shape> outputShapes(Layer layer) {
            List<Node> nodes = layer.nodes();
            if (nodes.isEmpty()) {
                return layer.outputShapes();
            }
            return nodes.get(nodes.size() - 1).outputs().stream().map(Tensor::shape).toList();
        }

        private static String shapesText(List<Shape> shapes) {
            if (shapes.size() == 1) {
                return shapeText(shapes.get(0));
            }
            return "[" + String.join(", ", shapes.stream().map(Keras3::shapeText).toList()) + "]";
        }

        /** Keras 3's {@code format_shape}: {@code (None, 10)}, and {@code (None)} for one axis (no tuple comma). */
        static String shapeText(Shape shape) {
            List<String> sizes = new ArrayList<>();
            for (int size : shape.dims()) {
                sizes.add(size == Shape.NONE ? "None" : Integer.toString(size));
            }
            return "(" + String.join(", ", sizes) + ")";
        }

        // ---- rich's Table(width=line_length, show_lines=True), box.HEAVY_HEAD, padding (0, 1) ----

        /** Keras's column widths, then rich's: padding added, and reduced evenly (or spread) to fit the table width. */
        static int[] columnWidths(int lineLength, double[] positions) {
            int n = positions.length;
            int[] widths = new int[n];
            int current = 0;
            for (int i = 0; i < n; i++) {
                int width = (int) (positions[i] * lineLength) - current;
                if (width < 4) {
                    throw new IllegalArgumentException("Insufficient console width to print summary.");
                }
                current += width;
                widths[i] = width + 2;
            }
            int maxWidth = lineLength - (n + 1);
            int total = java.util.Arrays.stream(widths).sum();
            if (total > maxWidth) {
                int[] ones = new int[n];
                java.util.Arrays.fill(ones, 1);
                widths = ratioReduce(total - maxWidth, ones, widths, widths);
            } else if (total < maxWidth) {
                int[] pad = ratioDistribute(maxWidth - total, widths);
                for (int i = 0; i < n; i++) {
                    widths[i] += pad[i];
                }
            }
            return widths;
        }

        /** rich's {@code ratio_reduce}, with Python's round (half to even). */
        private static int[] ratioReduce(int total, int[] ratios, int[] maximums, int[] values) {
            int totalRatio = 0;
            int[] r = new int[ratios.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = maximums[i] != 0 ? ratios[i] : 0;
                totalRatio += r[i];
            }
            if (totalRatio == 0) {
                return values.clone();
            }
            int remaining = total;
            int[] result = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                if (r[i] != 0 && totalRatio > 0) {
                    int distributed = (int) Math.min(maximums[i], Math.rint((double) r[i] * remaining / totalRatio));
                    result[i] = values[i] - distributed;
                    remaining -= distributed;
                    totalRatio -= r[i];
                } else {
                    result[i] = values[i];
                }
            }
            return result;
        }

        /** rich's {@code ratio_distribute} without minimums. */
        private static int[] ratioDistribute(int total, int[] ratios) {
            int totalRatio = java.util.Arrays.stream(ratios).sum();
            int remaining = total;
            int[] result = new int[ratios.length];
            for (int i = 0; i < ratios.length; i++) {
                int distributed = totalRatio > 0 ? (int) Math.ceil((double) ratios[i] * remaining / totalRatio) : remaining;
                result[i] = distributed;
                totalRatio -= ratios[i];
                remaining -= distributed;
            }
            return result;
        }

        private static void table(StringBuilder out, int[] widths, String[] header, boolean[] right, List<String[]> rows) {
            out.append(rule("┏", "━", "┳", "┓", widths));
            cells(out, widths, header, right, "┃", true);
            out.append(rule("┡", "━", "╇", "┩", widths)); // also without rows, as rich draws it
            for (int r = 0; r < rows.size(); r++) {
                if (r > 0) {
                    out.append(rule("├", "─", "┼", "┤", widths));
                }
                cells(out, widths, rows.get(r), right, "│", false);
            }
            out.append(rule("└", "─", "┴", "┘", widths));
        }

        private static String rule(String left, String fill, String cross, String end, int[] widths) {
            StringBuilder line = new StringBuilder(left);
            for (int i = 0; i < widths.length; i++) {
                if (i > 0) {
                    line.append(cross);
                }
                line.append(fill.repeat(widths[i]));
            }
            return line.append(end).append('\n').toString();
        }

        /** One row: each cell wrapped in its column (padding 1 each side); the header aligned to the bottom. */
        private static void cells(StringBuilder out, int[] widths, String[] row, boolean[] right, String bar,
                                  boolean header) {
            List<List<String>> columns = new ArrayList<>();
            int height = 1;
            for (int i = 0; i < row.length; i++) {
                List<String> lines = wrap(row[i], widths[i] - 2, right[i]);
                columns.add(lines);
                height = Math.max(height, lines.size());
            }
            for (int line = 0; line < height; line++) {
                out.append(bar);
                for (int i = 0; i < row.length; i++) {
                    if (i > 0) {
                        out.append(bar);
                    }
                    List<String> lines = columns.get(i);
                    int index = header ? line - (height - lines.size()) : line;
                    String content = index >= 0 && index < lines.size() ? lines.get(index) : " ".repeat(widths[i] - 2);
                    out.append(' ').append(content).append(' ');
                }
                out.append(bar).append('\n');
            }
        }

        /**
         * rich's {@code Text.wrap} for a table cell (overflow "ellipsis", so words are not folded): breaks before a word
         * that does not fit, cuts a line still too long to {@code width - 1} characters and "…", justifies.
         */
        static List<String> wrap(String text, int width, boolean rightJustify) {
            List<Integer> breaks = new ArrayList<>();
            int offset = 0;
            java.util.regex.Matcher words = WORD.matcher(text);
            int position = 0;
            while (position < text.length()) {
                words.region(position, text.length());
                if (!words.lookingAt()) {
                    break;
                }
                int start = words.start();
                String word = words.group();
                int wordLength = word.stripTrailing().length();
                if (width - offset >= wordLength) {
                    offset += word.length();
                } else if (wordLength > width) {
                    if (start != 0) {
                        breaks.add(start);
                    }
                    offset = word.length();
                } else if (offset != 0 && start != 0) {
                    breaks.add(start);
                    offset = word.length();
                }
                position = words.end();
            }
            List<String> lines = new ArrayList<>();
            int from = 0;
            for (int at : breaks) {
                lines.add(text.substring(from, at));
                from = at;
            }
            lines.add(text.substring(from));
            List<String> justified = new ArrayList<>();
            for (String line : lines) {
                if (line.length() > width) {
                    int trailing = line.length() - line.stripTrailing().length();
                    line = line.substring(0, line.length() - Math.min(trailing, line.length() - width));
                }
                if (rightJustify) {
                    line = line.stripTrailing();
                    line = truncate(line, width);
                    line = " ".repeat(width - line.length()) + line;
                } else {
                    line = line.length() > width ? truncate(line, width) : line + " ".repeat(width - line.length());
                }
                justified.add(line);
            }
            return justified;
        }

        private static String truncate(String line, int width) {
            return line.length() > width ? line.substring(0, Math.max(0, width - 1)) + "…" : line;
        }

        /**
         * Keras 3's {@code map_graph} with the InputLayers as operations of their own: nodes by depth, and the
         * operations (inputs and layers) by decreasing depth, ties in the order the search from the outputs met them.
         */
        private static final class Graph {
            final List<Object> nodes = new ArrayList<>();
            final Map<Object, Integer> operationIndices = new java.util.LinkedHashMap<>();
            final Map<Object, Integer> nodeDepths = new java.util.LinkedHashMap<>();
            final Map<Object, Integer> operationDepths = new java.util.LinkedHashMap<>();
            final List<Object> operations = new ArrayList<>();
            private final java.util.Set<Object> finished = new java.util.HashSet<>();

            static Graph of(Functional model) {
                Graph graph = new Graph();
                for (Tensor output : model.outputs()) {
                    graph.visit(output);
                }
                for (int i = graph.nodes.size() - 1; i >= 0; i--) {
                    Object node = graph.nodes.get(i);
                    Object operation = operationOf(node);
                    int depth = graph.nodeDepths.computeIfAbsent(node, n -> 0);
                    depth = Math.max(depth, graph.operationDepths.getOrDefault(operation, 0));
                    graph.operationDepths.put(operation, depth);
                    graph.nodeDepths.put(node, depth);
                    for (Object parent : parents(node)) {
                        if (graph.finished.contains(parent)) {
                            graph.nodeDepths.put(parent, Math.max(depth + 1, graph.nodeDepths.getOrDefault(parent, 0)));
                        }
                    }
                }
                for (Input input : model.inputs()) {
                    if (!graph.operationDepths.containsKey(input)) {
                        graph.operationDepths.put(input, 0);
                        graph.operationIndices.put(input, -1);
                        graph.nodeDepths.put(input, 0);
                    }
                }
                Map<Integer, List<Object>> byDepth = new java.util.TreeMap<>(java.util.Collections.reverseOrder());
                graph.operationDepths.forEach((operation, depth) ->
                        byDepth.computeIfAbsent(depth, d -> new ArrayList<>()).add(operation));
                for (List<Object> atDepth : byDepth.values()) {
                    atDepth.sort(java.util.Comparator.comparingInt(graph.operationIndices::get));
                    graph.operations.addAll(atDepth);
                }
                return graph;
            }

            private void visit(Tensor tensor) {
                Object node = tensor instanceof Input ? tensor : tensor.node();
                if (finished.contains(node)) {
                    return;
                }
                operationIndices.putIfAbsent(operationOf(node), operationIndices.size());
                if (node instanceof Node call) {
                    for (Tensor input : call.inputs()) {
                        visit(input);
                    }
                }
                finished.add(node);
                nodes.add(node);
            }

            private static Object operationOf(Object node) {
                return node instanceof Node call ? call.layer() : node;
            }

            private static List<Object> parents(Object node) {
                List<Object> parents = new ArrayList<>();
                if (node instanceof Node call) {
                    for (Tensor input : call.inputs()) {
                        parents.add(input instanceof Input ? input : input.node());
                    }
                }
                return parents;
            }

            /**
             * Keras 3 prints a functional model without "Connected to" when it is a chain: one call at every depth,
             * each reading one tensor, and no layer called twice.
             */
            boolean sequentialLike(Functional model) {
                Map<Integer, List<Object>> byDepth = new java.util.LinkedHashMap<>();
                nodeDepths.forEach((node, depth) -> byDepth.computeIfAbsent(depth, d -> new ArrayList<>()).add(node));
                for (List<Object> atDepth : byDepth.values()) {
                    if (atDepth.size() > 1 || atDepth.get(0) instanceof Node call && call.inputs().size() > 1) {
                        return false;
                    }
                }
                for (Layer layer : model.layers()) {
                    if (layer.nodes().stream().filter(nodeDepths::containsKey).count() > 1) {
                        return false;
                    }
                }
                return true;
            }
        }
    }
}
