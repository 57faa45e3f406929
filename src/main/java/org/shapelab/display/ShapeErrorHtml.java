package org.shapelab.display;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * A shape error explained for the learner who made it: the layer, what went wrong, the expected and the
 * received shape side by side (axis by axis where the expectation is a tuple), and the fix highlighted.
 * The plain text is the complete message, as the kernel prints it.
 */
public final class ShapeErrorHtml {

    private static final String BOX = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;"
            + "border-left:4px solid #d9534f;background:rgba(217,83,79,.08);padding:6px 12px;margin:4px 0";
    private static final String MONO = "font-family:ui-monospace,Menlo,Consolas,monospace";
    private static final String MUTED = "opacity:.7";
    private static final String CELL = "padding:2px 10px;text-align:left;vertical-align:top";
    private static final String MISMATCH = "background:rgba(217,83,79,.25);border-radius:3px";
    private static final String FIX = "background:rgba(60,170,90,.2);border-radius:4px;padding:4px 8px;margin-top:6px";

    private ShapeErrorHtml() {
    }

    /**
     * A mistake explained: for a {@link ShapeException} the side-by-side layout, for any other exception its
     * class and message. Never throws; {@code null} gives the text {@code null}.
     */
    public static MimeBundle explain(Throwable problem) {
        if (problem == null) {
            return MimeBundle.text("null");
        }
        String text = problem.getClass().getSimpleName() + ": " + problem.getMessage();
        return MimeBundle.guarded(text, () -> MimeBundle.text(text).withHtml(problem instanceof ShapeException shape
                ? html(shape) : "<pre style=\"" + BOX + ";" + MONO + ";white-space:pre-wrap\">" + Html.escape(text)
                + "</pre>"));
    }

    private static String html(ShapeException e) {
        List<String> lines = e.unwrappedMessage() == null ? List.of() : e.unwrappedMessage().lines().toList();
        StringBuilder html = new StringBuilder("<div style=\"" + BOX + "\">");
        html.append("<div><b style=\"color:#d9534f\">").append(Html.escape(e.getClass().getSimpleName())).append("</b>");
        e.layer().ifPresent(layer -> html.append(" in layer <b style=\"" + MONO + "\">").append(Html.escape(layer))
                .append("</b>"));
        e.loss().ifPresent(loss -> html.append(" in loss <b style=\"" + MONO + "\">").append(Html.escape(loss))
                .append("</b>"));
        html.append("</div>");
        html.append("<div style=\"margin:4px 0\">").append(Html.escape(e.problem())).append("</div>");
        if (e.expected().isPresent() || e.received().isPresent()) {
            html.append(sideBySide(e.expected().orElse(null), e.received().orElse(null),
                    annotation(lines, "expected:"), annotation(lines, "received:")));
        }
        part(lines, "note:").ifPresent(note -> html.append("<div style=\"margin-top:4px\"><b>note:</b> ")
                .append(Html.escape(note)).append("</div>"));
        e.fix().ifPresent(fix -> html.append("<div style=\"" + FIX + "\"><b>fix:</b> ").append(Html.escape(fix))
                .append("</div>"));
        e.kerasMessage().ifPresent(keras -> html.append("<div style=\"margin-top:6px\"><b>Keras 3 says:</b> <code style=\""
                + MONO + ";white-space:pre-wrap\">").append(Html.escape(keras)).append("</code></div>"));
        for (String line : lines) {
            if (line.startsWith("  (") && line.endsWith(")")) {
                html.append("<div style=\"" + MUTED + ";font-size:12px;margin-top:4px\">")
                        .append(Html.escape(line.substring(3, line.length() - 1))).append("</div>");
            }
        }
        return html.append("</div>").toString();
    }

    /** Expected and received in two columns; axis by axis when the expectation is a tuple such as (None, rows). */
    private static String sideBySide(String expected, Shape received, String expectedKind, String receivedKind) {
        StringBuilder html = new StringBuilder("<table style=\"border-collapse:collapse;margin:4px 0\">");
        List<String> expectedAxes = expected == null ? null : tupleAxes(expected);
        if (expectedAxes != null && received != null) {
            List<String> receivedAxes = new ArrayList<>();
            if (received.kind() == Shape.Kind.SAMPLE && !expectedAxes.isEmpty() && "None".equals(expectedAxes.get(0))) {
                // a declared sample shape has no batch axis: line its axes up with the expected ones after the batch
                receivedAxes.add("");
            }
            for (int size : received.dims()) {
                receivedAxes.add(size == Shape.NONE ? "None" : Integer.toString(size));
            }
            int axes = Math.max(expectedAxes.size(), receivedAxes.size());
            html.append("<tr><th style=\"" + CELL + "\"></th>");
            for (int i = 0; i < axes; i++) {
                html.append("<th style=\"" + CELL + ";" + MUTED + ";font-weight:normal\">axis ").append(i).append("</th>");
            }
            html.append("<th style=\"" + CELL + "\"></th></tr>");
            row(html, "expected", expectedAxes, axes, receivedAxes, expectedKind);
            row(html, "received", receivedAxes, axes, expectedAxes, receivedKind);
        } else {
            html.append("<tr><th style=\"" + CELL + "\">expected</th><th style=\"" + CELL + "\">received</th></tr><tr>");
            html.append("<td style=\"" + CELL + ";" + MONO + "\">").append(expected == null ? "" : Html.shape(expected))
                    .append("</td><td style=\"" + CELL + ";" + MONO + "\">")
                    .append(received == null ? "" : Html.shape(received.toString())).append("</td></tr><tr>");
            html.append("<td style=\"" + CELL + ";" + MUTED + "\">").append(Html.escape(expectedKind))
                    .append("</td><td style=\"" + CELL + ";" + MUTED + "\">").append(Html.escape(receivedKind))
                    .append("</td></tr>");
        }
        return html.append("</table>").toString();
    }

    private static void row(StringBuilder html, String label, List<String> axes, int width, List<String> other,
                            String kind) {
        html.append("<tr><th style=\"" + CELL + "\">").append(label).append("</th>");
        for (int i = 0; i < width; i++) {
            String axis = i < axes.size() ? axes.get(i) : null;
            boolean mismatch = axis == null || differs(axis, other, i);
            html.append("<td style=\"" + CELL + ";" + MONO + (mismatch ? ";" + MISMATCH : "") + "\">")
                    .append(axis == null ? "<span title=\"no such axis\">&mdash;</span>"
                            : axis.isEmpty() ? "<span style=\"" + MUTED + "\" title=\"a declared sample shape leaves"
                            + " the batch axis out\">(no batch)</span>"
                            : i == 0 && "None".equals(axis) ? Html.BATCH_NONE : Html.escape(axis))
                    .append("</td>");
        }
        html.append("<td style=\"" + CELL + ";" + MUTED + "\">").append(Html.escape(kind)).append("</td></tr>");
    }

    /** An axis differs if the other side lacks it or both are numbers that disagree; names like rows fit any size. */
    private static boolean differs(String axis, List<String> other, int index) {
        if (index >= other.size()) {
            return true;
        }
        String theirs = other.get(index);
        return isNumber(axis) && isNumber(theirs) && !axis.equals(theirs);
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
    }

    /** The axes of a notation that is exactly one tuple, e.g. {@code (None, rows, cols, channels)}; else null. */
    private static List<String> tupleAxes(String notation) {
        if (!notation.startsWith("(") || !notation.endsWith(")") || notation.indexOf('(', 1) >= 0) {
            return null;
        }
        List<String> axes = new ArrayList<>();
        for (String axis : notation.substring(1, notation.length() - 1).split(",")) {
            if (!axis.isBlank()) {
                axes.add(axis.strip());
            }
        }
        return axes;
    }

    /** The text after {@code <-} on the message line that starts with the key, e.g. "summary shape". */
    private static String annotation(List<String> lines, String key) {
        return part(lines, key).map(value -> {
            int arrow = value.indexOf("<- ");
            return arrow < 0 ? "" : value.substring(arrow + 3);
        }).orElse("");
    }

    private static Optional<String> part(List<String> lines, String key) {
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.startsWith(key)) {
                return Optional.of(trimmed.substring(key.length()).strip());
            }
        }
        return Optional.empty();
    }
}
