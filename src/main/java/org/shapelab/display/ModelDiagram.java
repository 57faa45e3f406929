package org.shapelab.display;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.shapelab.layers.BaseConv;
import org.shapelab.layers.BasePooling;
import org.shapelab.layers.BaseRNN;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Embedding;
import org.shapelab.layers.Flatten;
import org.shapelab.layers.GlobalPooling;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Permute;
import org.shapelab.layers.Reshape;
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
            svg.append("<g><title>").append(Html.escape(box.tooltip())).append("</title>");
            svg.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(widths[i])
                    .append("\" height=\"").append(BOX_HEIGHT).append("\" rx=\"6\" fill=\"").append(box.fill())
                    .append("\" stroke=\"").append(box.stroke()).append("\" stroke-width=\"1.2\"")
                    .append(box.values() < 0 ? " stroke-dasharray=\"4 3\"" : "").append("/>");
            svg.append("<text x=\"").append(canvas / 2).append("\" y=\"").append(y + 16)
                    .append("\" text-anchor=\"middle\" fill=\"#1b1b1b\" font-weight=\"600\" ").append(FONT).append('>')
                    .append(Html.escape(box.title())).append("</text>");
            svg.append("<text x=\"").append(canvas / 2).append("\" y=\"").append(y + 32)
                    .append("\" text-anchor=\"middle\" fill=\"#1b1b1b\" ").append(FONT).append('>')
                    .append(Html.escape(box.shapes())).append("</text></g>");
            y += BOX_HEIGHT + GAP;
        }
        svg.append("<text x=\"").append(canvas / 2).append("\" y=\"").append(height - MARGIN)
                .append("\" text-anchor=\"middle\" fill=\"#888888\" font-family=\"sans-serif\" font-size=\"10\">")
                .append("width ~ log(values per sample); dashed: size depends on a None axis</text>");
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
