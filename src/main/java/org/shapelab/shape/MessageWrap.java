package org.shapelab.shape;

/**
 * Wraps a message's lines between words, each continuation indented under the text of its label
 * ({@code "  fix:      "}), and never inside a shape such as {@code (None, 28, 28)} when a break outside
 * one fits.
 */
final class MessageWrap {

    private MessageWrap() {
    }

    static String wrap(String message, int width) {
        StringBuilder out = new StringBuilder(message.length() + 64);
        String[] lines = message.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            wrapLine(out, lines[i], width);
        }
        return out.toString();
    }

    private static void wrapLine(StringBuilder out, String line, int width) {
        if (line.length() <= width) {
            out.append(line);
            return;
        }
        String indent = " ".repeat(Math.min(hangingIndent(line), width / 2));
        String rest = line;
        boolean first = true;
        while (true) {
            String prefix = first ? "" : indent;
            int room = width - prefix.length();
            if (rest.length() <= room) {
                out.append(prefix).append(rest);
                return;
            }
            int cut = breakAt(rest, room);
            out.append(prefix).append(rest, 0, cut).append('\n');
            rest = rest.substring(cut).stripLeading();
            first = false;
        }
    }

    /** Where continuation lines start: after a label's padding ("  fix:      "), else under the first word. */
    private static int hangingIndent(String line) {
        int lead = 0;
        while (lead < line.length() && line.charAt(lead) == ' ') {
            lead++;
        }
        int colon = line.indexOf(':', lead);
        if (colon > 0 && colon < lead + 12) {
            int text = colon + 1;
            while (text < line.length() && line.charAt(text) == ' ') {
                text++;
            }
            if (text - colon > 2) {   // a padded label such as "expected: " or "fix:      "
                return text;
            }
        }
        return lead + 2;
    }

    /** The last space within {@code room} outside brackets, else any space, else a hard cut. */
    private static int breakAt(String text, int room) {
        int depth = 0;
        int outside = -1;
        int any = -1;
        for (int i = 0; i <= Math.min(room, text.length() - 1); i++) {
            char c = text.charAt(i);
            if (c == '(' || c == '[') {
                depth++;
            } else if ((c == ')' || c == ']') && depth > 0) {
                depth--;
            } else if (c == ' ' && i > 0) {
                any = i;
                if (depth == 0) {
                    outside = i;
                }
            }
        }
        if (outside > room / 3) {
            return outside;
        }
        return any > 0 ? any : room;
    }
}
