package org.shapelab.display;

import java.util.ArrayList;
import java.util.List;

/**
 * What an exercise check found: right, or not yet with the mistakes recognised (the one to fix first leading)
 * and the exercise's own hint. Its text is what JShell prints; its bundle adds HTML for notebooks, the hint folded
 * so that a learner reads the diagnosis first. A verdict never shows the expected answer unless the answer is
 * right.
 */
final class Verdict {

    /** One mistake recognised, in a sentence or two for the learner. */
    record Finding(Mistake mistake, String message) {
    }

    private static final String FONT = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;";
    private static final String RIGHT_BOX = FONT + "border-left:4px solid #3caa5a;background:rgba(60,170,90,.08);"
            + "padding:4px 12px;margin:4px 0";
    private static final String WRONG_BOX = FONT + "border-left:4px solid #e0902f;background:rgba(224,144,47,.08);"
            + "padding:4px 12px;margin:4px 0";
    private static final String MONO = "font-family:ui-monospace,Menlo,Consolas,monospace";

    private final String exercise;
    private final boolean right;
    private final String yours;
    private final String expected;
    private final List<Finding> findings;
    private final String hint;

    private Verdict(String exercise, boolean right, String yours, String expected, List<Finding> findings,
            String hint) {
        this.exercise = exercise == null || exercise.isBlank() ? "Your answer" : exercise;
        this.right = right;
        this.yours = yours;
        this.expected = expected;
        this.findings = List.copyOf(findings);
        this.hint = hint == null ? "" : hint.strip();
    }

    static Verdict right(String exercise, String expected) {
        return new Verdict(exercise, true, expected, expected, List.of(), "");
    }

    static Verdict notYet(String exercise, String yours, List<Finding> findings, String hint) {
        return new Verdict(exercise, false, yours, null, findings, hint);
    }

    boolean isRight() {
        return right;
    }

    List<Finding> findings() {
        return findings;
    }

    /** The mistake to fix first, or null if right or none was recognised. */
    Mistake mistake() {
        return findings.isEmpty() ? null : findings.get(0).mistake();
    }

    List<Mistake> mistakes() {
        List<Mistake> all = new ArrayList<>();
        findings.forEach(f -> all.add(f.mistake()));
        return all;
    }

    String hint() {
        return hint;
    }

    /**
     * {@code Exercise 1: right, (None, 60, 60, 16)}, or {@code Exercise 1: not yet (you said ...).} followed by one
     * indented line per mistake recognised and the hint. Without a recognised mistake, one line as the check
     * always printed: {@code Exercise 1: not yet (you said ...). Hint: ...}.
     */
    String text() {
        if (right) {
            return exercise + ": right, " + expected;
        }
        StringBuilder text = new StringBuilder(exercise).append(": not yet (you said ").append(yours).append(").");
        if (findings.isEmpty()) {
            return hint.isEmpty() ? text.toString() : text.append(" Hint: ").append(hint).toString();
        }
        for (Finding finding : findings) {
            text.append("\n  ").append(finding.message());
        }
        if (!hint.isEmpty()) {
            text.append("\n  Hint: ").append(hint);
        }
        return text.toString();
    }

    MimeBundle bundle() {
        String plain = text();
        return MimeBundle.guarded(plain, () -> MimeBundle.text(plain).withHtml(html()));
    }

    private String html() {
        StringBuilder html = new StringBuilder();
        if (right) {
            return html.append("<div style=\"").append(RIGHT_BOX).append("\"><b style=\"color:#2e8b4e\">&#10003; ")
                    .append(Html.escape(exercise)).append(": right</b>, <span style=\"").append(MONO).append("\">")
                    .append(Html.shape(expected)).append("</span></div>").toString();
        }
        html.append("<div style=\"").append(WRONG_BOX).append("\"><b style=\"color:#b86a12\">")
                .append(Html.escape(exercise)).append(": not yet</b> &mdash; you said <span style=\"").append(MONO)
                .append("\">").append(Html.shape(yours)).append("</span>");
        if (!findings.isEmpty()) {
            html.append("<ul style=\"margin:4px 0;padding-left:20px\">");
            for (Finding finding : findings) {
                html.append("<li>").append(Html.escape(finding.message())).append("</li>");
            }
            html.append("</ul>");
        }
        if (!hint.isEmpty()) {
            html.append("<details style=\"margin-top:4px\"><summary style=\"cursor:pointer\">Hint</summary>")
                    .append("<div style=\"margin:2px 0 2px 16px\">").append(Html.escape(hint)).append("</div></details>");
        }
        return html.append("</div>").toString();
    }

    @Override
    public String toString() {
        return text();
    }
}
