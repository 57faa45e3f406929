package org.shapelab.display;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
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
                "Summary shape", "Output preview"}) {
            html.append("<th style=\"").append(CELL).append("\">").append(head).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        html.append("<tr><td style=\"").append(CELL).append("\">input</td><td style=\"").append(CELL)
                .append("\"></td><td style=\"").append(CELL).append("\">")
                .append(Html.escape(org.shapelab.shape.Shape.array(trace.input().shape()).toString()))
                .append("</td><td style=\"").append(CELL).append("\"></td><td style=\"").append(CELL).append("\">")
                .append(preview(trace.input(), names(trace.input(), trace.steps().isEmpty() ? null
                        : AxisNames.ofInput(trace.steps().get(0).layer(), trace.input().rank())))).append("</td></tr>");
        // Axis names follow the layers when each step reads what the step before wrote (a Sequential model);
        // in a branching model each layer names its own output from what it is.
        List<String> current = trace.steps().isEmpty() ? null
                : AxisNames.ofInput(trace.steps().get(0).layer(), trace.input().rank());
        INDArray previous = trace.input();
        for (Trace.Step step : trace.steps()) {
            Layer layer = step.layer();
            current = AxisNames.ofOutput(layer, step.input() == previous ? current : null);
            previous = step.output();
            html.append("<tr><td style=\"").append(CELL).append("\">").append(Html.escape(layer.name()))
                    .append(" <span style=\"opacity:.7\">(").append(Html.escape(layer.kerasClassName()))
                    .append(")</span></td>");
            html.append("<td style=\"").append(CELL).append("\">").append(Html.escape(step.inputShape().toString()))
                    .append("</td><td style=\"").append(CELL).append("\"><b>")
                    .append(Html.escape(step.outputShape().toString())).append("</b></td><td style=\"").append(CELL)
                    .append("\">").append(Html.shape(layer.outputShape().toString())).append("</td><td style=\"")
                    .append(CELL).append("\">").append(preview(step.output(), names(step.output(), current)))
                    .append("</td></tr>");
        }
        html.append("</tbody></table><div style=\"opacity:.7\">The first number of an array shape is the batch"
                + " size: the summary shows it as <b>None</b> because the model accepts any.</div></div>");
        return html.toString();
    }

    private static String preview(INDArray array, List<String> names) {
        TensorPreview preview = TensorPreview.of(array).compact();
        if (names != null) {
            preview.axes(names.toArray(String[]::new));
        }
        return preview.bundle().get(MimeBundle.HTML).orElse(Html.escape(TensorPreview.of(array).toString()));
    }

    /** The names, if there is one for every axis of the array. */
    private static List<String> names(INDArray array, List<String> names) {
        return array != null && names != null && names.size() == array.rank() ? names : null;
    }
}
