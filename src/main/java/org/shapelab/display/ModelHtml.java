package org.shapelab.display;

import java.util.List;
import java.util.stream.Collectors;

import org.shapelab.layers.Layer;
import org.shapelab.layers.WeightSpec;
import org.shapelab.model.Sequential;

/**
 * A model's shape table as self-contained HTML: inline styles only, readable in light and dark themes.
 * Under each shape, in small print, what its axes are ({@code batch, rows, cols, channels}).
 */
public final class ModelHtml {

    private static final String CELL = "padding:2px 10px;text-align:left;vertical-align:top;"
            + "border-bottom:1px solid rgba(128,128,128,.3)";
    private static final String NUMBER = "padding:2px 10px;text-align:right;vertical-align:top;"
            + "border-bottom:1px solid rgba(128,128,128,.3)";
    private static final String MUTED = "opacity:.7";
    private static final String AXES = "opacity:.6;font-size:11px";

    private ModelHtml() {
    }

    /**
     * What a notebook shows for a model: the shape table as HTML and Keras's text summary as plain text.
     * Never throws.
     */
    public static MimeBundle bundle(Sequential model) {
        if (model == null) {
            return MimeBundle.text("null");
        }
        String summary = MimeBundle.plainText(model);
        return MimeBundle.guarded(summary, () -> MimeBundle.text(summary).withHtml(shapeTable(model)));
    }

    /** A functional model: its summary as text, and as HTML the table of layer calls above the graph diagram. */
    public static MimeBundle bundle(org.shapelab.model.Functional model) {
        if (model == null) {
            return MimeBundle.text("null");
        }
        String summary = MimeBundle.plainText(model.summary());
        return MimeBundle.guarded(summary, () -> MimeBundle.text(summary).withHtml(graphTable(model)
                + ModelDiagram.svg(model)));
    }

    /** A functional model's calls: what each reads (Connected to), its shapes and parameters. */
    public static String graphTable(org.shapelab.model.Functional model) {
        StringBuilder html = new StringBuilder();
        html.append("<div style=\"font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px\">");
        html.append("<div style=\"margin:4px 0\"><b>Model \"").append(Html.escape(model.name())).append("\"</b> ")
                .append(model.inputShapes().size()).append(" input(s) ")
                .append(Html.escape(model.inputShapes().toString())).append(" &rarr; ")
                .append(model.outputShapes().size()).append(" output(s) ")
                .append(Html.escape(model.outputShapes().toString())).append("</div>");
        html.append("<table style=\"border-collapse:collapse\"><thead><tr>");
        for (String head : new String[] {"Layer (type)", "Connected to", "Input shape", "Output shape", "Params",
                "Param formula"}) {
            html.append("<th style=\"").append(CELL).append("\">").append(head).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        for (org.shapelab.layers.Input input : model.inputs()) {
            html.append("<tr>");
            cell(html, CELL, Html.escape(model.inputName(input)) + " <span style=\"" + MUTED + "\">(InputLayer)</span>");
            cell(html, CELL, "");
            cell(html, CELL, "");
            cell(html, CELL, shape(input.shape().toString()));
            cell(html, NUMBER, "0");
            cell(html, CELL, "");
            html.append("</tr>");
        }
        for (org.shapelab.layers.Node node : model.nodes()) {
            Layer layer = node.layer();
            html.append("<tr>");
            cell(html, CELL, Html.escape(layer.name()) + (layer.nodes().size() > 1 ? " [call " + node.index() + "]" : "")
                    + " <span style=\"" + MUTED + "\">(" + Html.escape(layer.kerasClassName()) + ")</span>");
            cell(html, CELL, Html.escape(String.join(", ", node.inputs().stream().map(model::reference).toList())));
            cell(html, CELL, String.join("<br>", node.inputs().stream().map(t -> shape(t.shape().toString())).toList()));
            cell(html, CELL, String.join("<br>", node.outputs().stream().map(t -> shape(t.shape().toString())).toList()));
            cell(html, NUMBER, node.index() == 0 ? String.format("%,d", layer.countParams()) : "shared");
            cell(html, CELL, node.index() == 0 ? Html.escape(layer.paramFormula()) : "");
            html.append("</tr>");
        }
        html.append("</tbody></table>");
        html.append(String.format("<div style=\"margin:4px 0\">Total params: <b>%,d</b> &middot; trainable %,d &middot;"
                        + " non-trainable %,d</div></div>", model.countParams(), model.trainableParams(),
                model.nonTrainableParams()));
        return html.toString();
    }

    /** The extended shape table of a model, with axis names and totals. */
    public static String shapeTable(Sequential model) {
        StringBuilder html = new StringBuilder();
        html.append("<div style=\"font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px\">");
        if (model.layers().isEmpty()) {
            html.append("<div style=\"margin:4px 0\"><b>Model \"").append(Html.escape(model.name()))
                    .append("\"</b> has no layers yet. Add one, e.g. <code>.dense(10)</code>.</div></div>");
            return html.toString();
        }
        List<List<String>> axes = AxisNames.along(model);
        html.append("<div style=\"margin:4px 0\"><b>Model \"").append(Html.escape(model.name())).append("\"</b> ")
                .append("input ").append(Html.shape(model.inputShape().toString()))
                .append(" <span style=\"" + MUTED + "\">(declared sample shape ")
                .append(Html.escape(model.sampleInputShape().toString())).append(")</span> &rarr; output ")
                .append(Html.shape(model.outputShape().toString())).append("</div>");
        html.append("<table style=\"border-collapse:collapse\"><thead><tr>");
        for (String head : new String[] {"Layer (type)", "Input shape", "Output shape", "Params", "Param formula",
                "Weight shapes", "Multiply-adds", "Output values"}) {
            html.append("<th style=\"").append(CELL).append("\">").append(head).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        for (int i = 0; i < model.layers().size(); i++) {
            Layer layer = model.layers().get(i);
            html.append("<tr>");
            cell(html, CELL, Html.escape(layer.name()) + " <span style=\"" + MUTED + "\">(" + Html.escape(
                    layer.kerasClassName()) + ")</span>");
            cell(html, CELL, shape(layer.inputShape().toString()) + axisLine(axes.get(i)));
            cell(html, CELL, shape(layer.outputShape().toString()) + axisLine(axes.get(i + 1)));
            cell(html, NUMBER, String.format("%,d", layer.countParams()));
            cell(html, CELL, Html.escape(layer.paramFormula()));
            cell(html, CELL, Html.escape(layer.weights().stream().map(WeightSpec::toString)
                    .collect(Collectors.joining(", "))));
            cell(html, NUMBER, known(layer.multiplyAdds()));
            cell(html, NUMBER, known(layer.outputShape().sampleElements()));
            html.append("</tr>");
        }
        html.append("</tbody></table>");
        html.append(String.format("<div style=\"margin:4px 0\">Total params: <b>%,d</b> &middot; trainable %,d &middot;"
                        + " non-trainable %,d</div>", model.countParams(), model.trainableParams(),
                model.nonTrainableParams()));
        html.append("<div style=\"" + MUTED + "\"><span style=\"color:#8a5cd0;font-weight:600\">None</span> is the batch"
                + " axis: any number of samples fits. Multiply-adds and output values are per sample.</div>");
        html.append("</div>");
        return html.toString();
    }

    /** A shape on one line: a tuple broken across lines reads as two shapes. */
    private static String shape(String tupleText) {
        return "<span style=\"white-space:nowrap\">" + Html.shape(tupleText) + "</span>";
    }

    private static String axisLine(List<String> names) {
        return names == null ? "" : "<br><span style=\"" + AXES + "\">" + Html.escape(String.join(", ", names))
                + "</span>";
    }

    private static void cell(StringBuilder html, String style, String content) {
        html.append("<td style=\"").append(style).append("\">").append(content).append("</td>");
    }

    private static String known(long value) {
        return value < 0 ? "<span title=\"depends on an axis of unknown size\">?</span>" : String.format("%,d", value);
    }
}
