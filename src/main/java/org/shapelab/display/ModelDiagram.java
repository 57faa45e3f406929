package org.shapelab.display;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.shapelab.layers.BaseConv;
import org.shapelab.layers.BasePooling;
import org.shapelab.layers.BaseRNN;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Embedding;
import org.shapelab.layers.Flatten;
import org.shapelab.layers.Input;
import org.shapelab.layers.Node;
import org.shapelab.layers.Tensor;
import org.shapelab.layers.GlobalPooling;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Permute;
import org.shapelab.layers.Reshape;
import org.shapelab.model.Functional;
import org.shapelab.model.Model;
import org.shapelab.model.Sequential;
import org.shapelab.shape.Shape;

/**
 * A model's layer stack as an SVG picture, Keras's {@code plot_model} without Graphviz: one box per layer
 * with its input and output shape, each box as wide as the log of the values one sample has at its output,
 * so a learner sees where the data grows and where it is squeezed.
 *
 * <p>All text sits on light boxes in dark ink, so the picture reads the same on light and dark themes.
 */
public final class ModelDiagram {

    private static final int MARGIN = 8;
    private static final int BOX_HEIGHT = 40;
    private static final int GAP = 18;
    private static final int MIN_WIDTH = 220;
    private static final int MAX_WIDTH = 560;
    private static final double CHAR_WIDTH = 7.3;
    private static final String FONT = "font-family=\"ui-monospace,Menlo,Consolas,DejaVu Sans Mono,monospace\""
            + " font-size=\"12\"";

    private record Box(String title, String shapes, long values, String fill, String stroke, String tooltip) {
    }

    private ModelDiagram() {
    }

    /**
     * Keras's {@code plot_model(model, show_shapes=True)}: the diagram as SVG, the layer list as plain text.
     * Never throws.
     */
    public static MimeBundle plotModel(Sequential model) {
        if (model == null) {
            return MimeBundle.text("null");
        }
        return MimeBundle.guarded(model, () -> {
            List<Box> boxes = boxes(model);
            StringBuilder text = new StringBuilder();
            for (Box box : boxes) {
                text.append(box.title()).append(": ").append(box.shapes()).append('\n');
            }
            return MimeBundle.text(text.toString()).withSvg(svg(boxes));
        });
    }

    /** The diagram alone, as an SVG document. */
    public static String svg(Sequential model) {
        return svg(boxes(model));
    }

    /** Either kind of model: a stack of boxes, or the graph of a functional model. Never throws. */
    public static MimeBundle plotModel(Model model) {
        if (model instanceof Functional functional) {
            return plotModel(functional);
        }
        return plotModel((Sequential) model);
    }

    /**
     * A functional model as a graph: a row per depth (inputs on top), a box per layer call with the shapes it reads
     * and gives, an arrow per tensor from the call that makes it to each call that reads it. Never throws.
     */
    public static MimeBundle plotModel(Functional model) {
        if (model == null) {
            return MimeBundle.text("null");
        }
        return MimeBundle.guarded(model, () -> MimeBundle.text(model.summary()).withSvg(svg(model)));
    }

    /** The graph diagram alone, as an SVG document. */
    public static String svg(Functional model) {
        Map<Object, Integer> level = new IdentityHashMap<>();
        List<List<Object>> rows = new ArrayList<>();
        for (Input input : model.inputs()) {
            place(input, 0, level, rows);
        }
        for (Node node : model.nodes()) {
            int depth = 0;
            for (Tensor tensor : node.inputs()) {
                depth = Math.max(depth, level.get(tensor instanceof Input ? tensor : tensor.node()) + 1);
            }
            place(node, depth, level, rows);
        }
        Map<Object, Box> boxes = new IdentityHashMap<>();
        for (Input input : model.inputs()) {
            boxes.put(input, new Box(model.inputName(input) + " (InputLayer)", input.shape().toString(),
                    input.shape().sampleElements(), "#ffffff", "#666666", "declared sample shape " + input.sampleShape()));
        }
        for (Node node : model.nodes()) {
            Layer layer = node.layer();
            String[] colors = colors(layer);
            String title = layer.name() + (layer.nodes().size() > 1 ? " [call " + node.index() + "]" : "") + " ("
                    + layer.kerasClassName() + ")";
            String shapes = tensorShapes(node.inputs()) + " \u2192 " + tensorShapes(node.outputs());
            boxes.put(node, new Box(title, shapes, node.outputs().get(0).shape().sampleElements(), colors[0], colors[1],
                    "reads " + String.join(", ", node.inputs().stream().map(model::reference).toList()) + "; "
                            + String.format(Locale.ROOT, "%,d", layer.countParams()) + " params"));
        }
        Map<Object, int[]> at = new IdentityHashMap<>();
        int canvas = 0;
        List<Integer> rowWidths = new ArrayList<>();
        for (List<Object> row : rows) {
            int width = 0;
            for (Object item : row) {
                width += boxWidth(boxes.get(item)) + GAP;
            }
            rowWidths.add(width - GAP);
            canvas = Math.max(canvas, width - GAP);
        }
        canvas += 2 * MARGIN;
        int rowHeight = BOX_HEIGHT + 2 * GAP;
        int height = 2 * MARGIN + rows.size() * rowHeight - 2 * GAP + 18;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(canvas).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(canvas).append(' ').append(height).append("\">");
        svg.append("<title>Model graph: a box per layer call, an arrow per tensor</title>");
        for (int r = 0; r < rows.size(); r++) {
            int x = (canvas - rowWidths.get(r)) / 2;
            int y = MARGIN + r * rowHeight;
            for (Object item : rows.get(r)) {
                int width = boxWidth(boxes.get(item));
                at.put(item, new int[] {x, y, width});
                x += width + GAP;
            }
        }
        for (Node node : model.nodes()) {
            int[] to = at.get(node);
            List<Tensor> inputs = node.inputs();
            for (int i = 0; i < inputs.size(); i++) {
                Tensor tensor = inputs.get(i);
                int[] from = at.get(tensor instanceof Input ? tensor : tensor.node());
                int x1 = from[0] + from[2] / 2;
                int y1 = from[1] + BOX_HEIGHT;
                int x2 = to[0] + to[2] * (i + 1) / (inputs.size() + 1);
                int y2 = to[1] - 2;
                svg.append("<path d=\"M").append(x1).append(' ').append(y1).append(" L").append(x2).append(' ')
                        .append(y2).append("\" stroke=\"#888888\" stroke-width=\"1.5\" fill=\"none\"/>");
                svg.append("<circle cx=\"").append(x2).append("\" cy=\"").append(y2).append("\" r=\"3\""
                        + " fill=\"#888888\"/>");
            }
        }
        for (List<Object> row : rows) {
            for (Object item : row) {
                int[] place = at.get(item);
                drawBox(svg, boxes.get(item), place[0], place[1], place[2]);
            }
        }
        svg.append("<text x=\"").append(canvas / 2).append("\" y=\"").append(height - MARGIN)
                .append("\" text-anchor=\"middle\" fill=\"#888888\" font-family=\"sans-serif\" font-size=\"10\">")
                .append("rows: depth from the inputs; an arrow per tensor, ending at the input it fills</text>");
        svg.append("</svg>");
        return svg.toString();
    }

    private static void place(Object item, int depth, Map<Object, Integer> level, List<List<Object>> rows) {
        level.put(item, depth);
        while (rows.size() <= depth) {
            rows.add(new ArrayList<>());
        }
        rows.get(depth).add(item);
    }

    private static String tensorShapes(List<Tensor> tensors) {
        return Shape.listText(tensors.stream().map(Tensor::shape).toList());
    }

    private static int boxWidth(Box box) {
        return Math.max(MIN_WIDTH - 60, (int) Math.ceil(Math.max(box.title().length(), box.shapes().length())
                * CHAR_WIDTH) + 20);
    }

    private static void drawBox(StringBuilder svg, Box box, int x, int y, int width) {
        int center = x + width / 2;
        svg.append("<g><title>").append(Html.escape(box.tooltip())).append("</title>");
        svg.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(width)
                .append("\" height=\"").append(BOX_HEIGHT).append("\" rx=\"6\" fill=\"").append(box.fill())
                .append("\" stroke=\"").append(box.stroke()).append("\" stroke-width=\"1.2\"")
                .append(box.values() < 0 ? " stroke-dasharray=\"4 3\"" : "").append("/>");
        svg.append("<text x=\"").append(center).append("\" y=\"").append(y + 16)
                .append("\" text-anchor=\"middle\" fill=\"#1b1b1b\" font-weight=\"600\" ").append(FONT).append('>')
                .append(Html.escape(box.title())).append("</text>");
        svg.append("<text x=\"").append(center).append("\" y=\"").append(y + 32)
                .append("\" text-anchor=\"middle\" fill=\"#1b1b1b\" ").append(FONT).append('>')
                .append(Html.escape(box.shapes())).append("</text></g>");
    }

    private static List<Box> boxes(Sequential model) {
        List<Box> boxes = new ArrayList<>();
        if (model.layers().isEmpty() && !hasInput(model)) {
            boxes.add(new Box("Model \"" + model.name() + "\"", "no input and no layers yet", -1, "#ffffff", "#777777",
                    "start with Sequential.input(...)"));
            return boxes;
        }
        Shape input = model.inputShape();
        boxes.add(new Box("input", input + "  (declared " + model.sampleInputShape() + ")", input.sampleElements(),
                "#ffffff", "#666666", valuesText(input.sampleElements()) + " values per sample"));
        for (Layer layer : model.layers()) {
            String[] colors = colors(layer);
            long values = layer.outputShape().sampleElements();
            boxes.add(new Box(layer.name() + " (" + layer.kerasClassName() + ")",
                    layer.inputShape() + " \u2192 " + layer.outputShape(), values, colors[0], colors[1],
                    valuesText(values) + " output values per sample, " + String.format(Locale.ROOT, "%,d",
                            layer.countParams()) + " params"));
        }
        return boxes;
    }

    private static boolean hasInput(Sequential model) {
        try {
            model.inputShape();
            return true;
        } catch (RuntimeException noInput) {
            return false;
        }
    }

    private static String svg(List<Box> boxes) {
        double smallest = Double.MAX_VALUE;
        double largest = 0;
        for (Box box : boxes) {
            if (box.values() > 0) {
                smallest = Math.min(smallest, Math.log(box.values()));
                largest = Math.max(largest, Math.log(box.values()));
            }
        }
        int[] widths = new int[boxes.size()];
        int canvas = 0;
        for (int i = 0; i < boxes.size(); i++) {
            Box box = boxes.get(i);
            double share = box.values() <= 0 || largest <= smallest ? 0.5
                    : (Math.log(box.values()) - smallest) / (largest - smallest);
            int text = (int) Math.ceil(Math.max(box.title().length(), box.shapes().length()) * CHAR_WIDTH) + 20;
            widths[i] = Math.max(text, (int) Math.round(MIN_WIDTH + share * (MAX_WIDTH - MIN_WIDTH)));
            canvas = Math.max(canvas, widths[i]);
        }
        canvas += 2 * MARGIN;
        int height = 2 * MARGIN + boxes.size() * BOX_HEIGHT + (boxes.size() - 1) * GAP + 18;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(canvas).append("\" height=\"")
                .append(height).append("\" viewBox=\"0 0 ").append(canvas).append(' ').append(height).append("\">");
        svg.append("<title>Layer stack: box width grows with the log of the values per sample</title>");
        int y = MARGIN;
        for (int i = 0; i < boxes.size(); i++) {
            Box box = boxes.get(i);
            int x = (canvas - widths[i]) / 2;
            if (i > 0) {
                int mid = canvas / 2;
                svg.append("<path d=\"M").append(mid).append(' ').append(y - GAP + 2).append(" V").append(y - 5)
                        .append("\" stroke=\"#888888\" stroke-width=\"1.5\" fill=\"none\"/>");
                svg.append("<path d=\"M").append(mid - 4).append(' ').append(y - 7).append(" L").append(mid)
                        .append(' ').append(y - 1).append(" L").append(mid + 4).append(' ').append(y - 7)
                        .append(" Z\" fill=\"#888888\"/>");
            }
            drawBox(svg, box, x, y, widths[i]);
            y += BOX_HEIGHT + GAP;
        }
        svg.append("<text x=\"").append(canvas / 2).append("\" y=\"").append(height - MARGIN)
                .append("\" text-anchor=\"middle\" fill=\"#888888\" font-family=\"sans-serif\" font-size=\"10\">")
                .append("width ~ log(values per sample)")
                .append(boxes.stream().anyMatch(b -> b.values() < 0) ? "; dashed: size depends on a None axis" : "")
                .append("</text>");
        svg.append("</svg>");
        return svg.toString();
    }

    /** Fill and stroke by layer family; light fills keep the dark text readable on any theme. */
    private static String[] colors(Layer layer) {
        if (layer instanceof BaseConv<?>) {
            return new String[] {"#d6e6ff", "#3d6fb6"};
        }
        if (layer instanceof BasePooling<?> || layer instanceof GlobalPooling<?>) {
            return new String[] {"#d8f2df", "#3c8c55"};
        }
        if (layer instanceof BaseRNN<?>) {
            return new String[] {"#ebe0ff", "#7a52c7"};
        }
        if (layer instanceof Dense) {
            return new String[] {"#ffe6cc", "#c0742b"};
        }
        if (layer instanceof Embedding) {
            return new String[] {"#fff4b8", "#a8900f"};
        }
        if (layer instanceof Flatten || layer instanceof Reshape || layer instanceof Permute) {
            return new String[] {"#ececec", "#777777"};
        }
        return new String[] {"#f6e3ec", "#a04a78"};
    }

    private static String valuesText(long values) {
        return values < 0 ? "a None-dependent number of" : String.format(Locale.ROOT, "%,d", values);
    }
}
