package org.shapelab.display;

import org.shapelab.compute.Trace;
import org.shapelab.layers.Layer;

/**
 * A trace as a table: for every layer the concrete array shapes a real batch had going in and out, next to
 * the summary shape with None that the model table shows, and a small preview of what came out. This is
 * where {@code (None, 26, 26, 32)} becomes {@code (300, 26, 26, 32)}.
 */
public final class TraceView {

    private static final String CELL = "padding:3px 10px;text-align:left;vertical-align:top;"
            + "border-bottom:1px solid rgba(128,128,128,.3)";

    private TraceView() {
    }

    /** Text (the trace's own table) and HTML with previews; never throws. */
    public static MimeBundle bundle(Trace trace) {
        return MimeBundle.guarded(trace, () -> MimeBundle.text(trace.toString()).withHtml(html(trace)));
    }

    private static String html(Trace trace) {
        StringBuilder html = new StringBuilder("<div style=\"font-family:ui-monospace,Menlo,Consolas,monospace;"
                + "font-size:13px\"><table style=\"border-collapse:collapse\"><thead><tr>");
        for (String head : new String[] {"Layer (type)", "Input (array shape)", "Output (array shape)",
                "Summary shape", "Output preview (sample 0)"}) {
            html.append("<th style=\"").append(CELL).append("\">").append(head).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        html.append("<tr><td style=\"").append(CELL).append("\">input</td><td style=\"").append(CELL)
                .append("\"></td><td style=\"").append(CELL).append("\">")
                .append(Html.escape(org.shapelab.shape.Shape.array(trace.input().shape()).toString()))
                .append("</td><td style=\"").append(CELL).append("\"></td><td style=\"").append(CELL).append("\">")
                .append(preview(trace.input())).append("</td></tr>");
        for (Trace.Step step : trace.steps()) {
            Layer layer = step.layer();
            html.append("<tr><td style=\"").append(CELL).append("\">").append(Html.escape(layer.name()))
                    .append(" <span style=\"opacity:.7\">(").append(Html.escape(layer.kerasClassName()))
                    .append(")</span></td>");
            html.append("<td style=\"").append(CELL).append("\">").append(Html.escape(step.inputShape().toString()))
                    .append("</td><td style=\"").append(CELL).append("\"><b>")
                    .append(Html.escape(step.outputShape().toString())).append("</b></td><td style=\"").append(CELL)
                    .append("\">").append(Html.shape(layer.outputShape().toString())).append("</td><td style=\"")
                    .append(CELL).append("\">").append(preview(step.output())).append("</td></tr>");
        }
        html.append("</tbody></table><div style=\"opacity:.7\">The first number of an array shape is the batch"
                + " size: the summary shows it as <b>None</b> because the model accepts any.</div></div>");
        return html.toString();
    }

    private static String preview(org.nd4j.linalg.api.ndarray.INDArray array) {
        return TensorPreview.of(array).compact().bundle().get(MimeBundle.HTML)
                .orElse(Html.escape(TensorPreview.of(array).toString()));
    }
}
