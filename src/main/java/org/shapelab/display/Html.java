package org.shapelab.display;

/** The few HTML helpers every renderer needs. */
public final class Html {

    private Html() {
    }

    /** Escapes text for use in HTML content and attribute values. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** The batch axis's {@code None}, marked so learners see it is the batch. */
    public static final String BATCH_NONE =
            "<span style=\"color:#8a5cd0;font-weight:600\" title=\"batch axis: any batch size fits\">None</span>";

    /**
     * A shape's tuple text with the batch axis {@code None} marked, so learners see it is the batch:
     * {@code (None, 28, 28, 1)}.
     */
    public static String shape(String tupleText) {
        String escaped = escape(tupleText);
        if (escaped.startsWith("(None")) {
            return "(" + BATCH_NONE + escaped.substring(5);
        }
        return escaped;
    }
}
