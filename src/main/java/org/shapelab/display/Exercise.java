package org.shapelab.display;

/**
 * The notebooks' exercise check: compares a learner's answer with the value ShapeLab computes and prints "right" or
 * the hint. Shapes may be written in any of Keras's notations: {@code (None, 30, 32)}, {@code [None, 30, 32]}, with
 * or without spaces; one axis as {@code (10,)} or {@code (10)}.
 */
public final class Exercise {

    private Exercise() {
    }

    /** Prints whether {@code yours} is {@code expected}, with {@code hint} when it is not. */
    public static void check(String exercise, Object yours, Object expected, String hint) {
        boolean right = matches(yours, expected);
        System.out.println(exercise + ": " + (right ? "right, " + expected
                : "not yet (you said " + yours + "). Hint: " + hint));
    }

    /** Whether an answer is the expected value, in any of the notations above. */
    public static boolean matches(Object yours, Object expected) {
        return normalized(yours).equals(normalized(expected));
    }

    static String normalized(Object value) {
        String text = String.valueOf(value).replace(" ", "").replace('[', '(').replace(']', ')');
        return text.replace(",)", ")");
    }
}
