package org.shapelab.display;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.shapelab.shape.Shape;

/**
 * An exercise answer read the way Keras writes it: a shape ({@code (None, 30, 32)}, {@code [None, 30, 32]},
 * {@code (10,)}, {@code TensorShape([None, 10])}, a {@link Shape}, an {@code int[]}/{@code long[]} or a list of
 * sizes), a number ({@code 7200}, {@code "7200"}), or any other text. Never throws.
 */
final class Answer {

    enum Form {
        /** The answer cell's placeholder: null, "", "?" or an empty array. */
        MISSING,
        NUMBER,
        SHAPE,
        /** Looks like a tuple but is not one ShapeLab can read. */
        UNREADABLE,
        TEXT
    }

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final List<String> WRAPPERS = List.of("tensorshape(", "torch.size(", "shape(");

    final Form form;
    /** The sizes of a shape, {@link Shape#NONE} for None; null for other forms. */
    final int[] dims;
    /** The kind when the answer is a {@link Shape}; null when written as text (the text does not say). */
    final Shape.Kind kind;
    final long number;
    /** How the answer prints: the shape in Keras's tuple text, the number, the text as given. */
    final String text;
    /** For {@link Form#UNREADABLE}: the part that is not a size. */
    final String problem;

    private Answer(Form form, int[] dims, Shape.Kind kind, long number, String text, String problem) {
        this.form = form;
        this.dims = dims;
        this.kind = kind;
        this.number = number;
        this.text = text;
        this.problem = problem;
    }

    static Answer of(Object value) {
        try {
            return read(value);
        } catch (RuntimeException unexpected) {
            return text(MimeBundle.plainText(value));
        }
    }

    private static Answer read(Object value) {
        if (value == null) {
            return new Answer(Form.MISSING, null, null, 0, "nothing", null);
        }
        if (value instanceof Shape shape) {
            return shape(shape.dims(), shape.kind());
        }
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return number(((Number) value).longValue());
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < 1e15) {
            return number((long) n.doubleValue());
        }
        if (value instanceof int[] ints) {
            return ints.length == 0 ? missing(value) : shape(ints, null);
        }
        if (value instanceof long[] longs) {
            return longs.length == 0 ? missing(value) : sizes(Arrays.stream(longs).boxed().toList(), value);
        }
        if (value instanceof Integer[] || value instanceof Long[]) {
            Object[] boxed = (Object[]) value;
            return boxed.length == 0 ? missing(value) : sizes(Arrays.asList(boxed), value);
        }
        if (value instanceof List<?> list) {
            return list.isEmpty() ? missing(value) : sizes(list, value);
        }
        return parse(MimeBundle.plainText(value));
    }

    private static Answer missing(Object value) {
        return new Answer(Form.MISSING, null, null, 0, "nothing", null);
    }

    /** A list of sizes (null or a negative number for None), else its text. */
    private static Answer sizes(List<?> items, Object value) {
        int[] dims = new int[items.size()];
        for (int i = 0; i < dims.length; i++) {
            Object item = items.get(i);
            if (item == null) {
                dims[i] = Shape.NONE;
            } else if (item instanceof Number n && n.longValue() <= Integer.MAX_VALUE) {
                dims[i] = n.longValue() < 0 ? Shape.NONE : (int) n.longValue();
            } else {
                return parse(MimeBundle.plainText(value));
            }
        }
        return shape(dims, null);
    }

    static Answer shape(int[] dims, Shape.Kind kind) {
        return new Answer(Form.SHAPE, dims.clone(), kind, 0, Shape.tupleText(dims), null);
    }

    static Answer number(long n) {
        return new Answer(Form.NUMBER, null, null, n, Long.toString(n), null);
    }

    private static Answer text(String text) {
        return new Answer(Form.TEXT, null, null, 0, text, null);
    }

    /** Reads a shape or a number from text, in any of Keras's notations; anything else stays text. */
    static Answer parse(String raw) {
        String trimmed = raw.strip();
        if (trimmed.isEmpty() || trimmed.equals("?")) {
            return new Answer(Form.MISSING, null, null, 0, trimmed.isEmpty() ? "nothing" : "?", null);
        }
        if (INTEGER.matcher(trimmed).matches()) {
            try {
                return number(Long.parseLong(trimmed));
            } catch (NumberFormatException tooLong) {
                return text(raw);
            }
        }
        String body = unwrap(trimmed);
        boolean bracketed = body != null;
        if (!bracketed) {
            if (!trimmed.contains(",")) {
                return text(raw);
            }
            body = trimmed;     // "None, 30, 32": a tuple without its brackets
        }
        // [(None, 10)]: Keras 2's output_shape of a one-output model as a list
        String inner = unwrap(body.strip());
        if (inner != null && !inner.contains("(") && !inner.contains("[")) {
            body = inner;
        }
        String[] parts = body.split(",", -1);
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.isEmpty() && i == parts.length - 1 && i > 0) {
                break;          // (10,): Python's one-element tuple
            }
            if (part.isEmpty() && parts.length == 1) {
                break;          // (): no axes
            }
            Integer size = size(part);
            if (size == null) {
                if (!bracketed) {
                    return text(raw);
                }
                return new Answer(Form.UNREADABLE, null, null, 0, raw.strip(),
                        part.isEmpty() ? "an empty place between two commas" : "\"" + part + "\"");
            }
            dims.add(size);
        }
        return shape(dims.stream().mapToInt(Integer::intValue).toArray(), null);
    }

    /** The text between a tuple's or a list's brackets (after a TensorShape( wrapper), or null. */
    private static String unwrap(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String wrapper : WRAPPERS) {
            if (lower.startsWith(wrapper) && text.endsWith(")")) {
                String inside = text.substring(wrapper.length(), text.length() - 1).strip();
                String list = unwrap(inside);
                return list != null ? list : inside;
            }
        }
        if (text.length() >= 2 && (text.charAt(0) == '(' || text.charAt(0) == '[')) {
            char close = text.charAt(text.length() - 1);
            if (close == ')' || close == ']') {
                return text.substring(1, text.length() - 1);
            }
        }
        return null;
    }

    private static Integer size(String part) {
        String lower = part.toLowerCase(Locale.ROOT);
        if (lower.equals("none") || lower.equals("null") || lower.equals("?") || lower.equals("-1")) {
            return Shape.NONE;
        }
        if (part.matches("\\d{1,9}")) {
            return Integer.parseInt(part);
        }
        return null;
    }

    boolean isShape() {
        return form == Form.SHAPE;
    }

    boolean isNumber() {
        return form == Form.NUMBER;
    }

    int rank() {
        return dims.length;
    }

    /** Whether two answers are the same: the same sizes, the same number, or the same text ignoring spaces. */
    boolean sameAs(Answer other) {
        if (form == Form.SHAPE && other.form == Form.SHAPE) {
            return Arrays.equals(dims, other.dims);
        }
        if (form == Form.NUMBER && other.form == Form.NUMBER) {
            return number == other.number;
        }
        if (form == Form.MISSING || other.form == Form.MISSING) {
            return form == other.form;
        }
        return normalized(text).equals(normalized(other.text));
    }

    /** The text comparison the check always made: spaces ignored, {@code [ ]} read as {@code ( )}. */
    static String normalized(String value) {
        String text = value.replace(" ", "").replace('[', '(').replace(']', ')');
        return text.replace(",)", ")");
    }

    @Override
    public String toString() {
        return text;
    }
}
