package org.shapelab.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.shapelab.model.Sequential;

/** Notebook front ends break long traceback lines inside words; wrapped messages break between them. */
class MessageWrapTest {

    @AfterEach
    void noWrapping() {
        ShapeException.wrapMessagesAt(0);
    }

    private static String error(Runnable mistake) {
        try {
            mistake.run();
        } catch (ShapeException e) {
            return e.getMessage();
        }
        throw new AssertionError("no ShapeException");
    }

    @Test
    void longLinesBreakBetweenWordsAndContinueUnderTheirLabel() {
        String whole = error(() -> Sequential.input(28, 28).conv2d(32, 3));
        ShapeException.wrapMessagesAt(72);
        String wrapped = error(() -> Sequential.input(28, 28).conv2d(32, 3));
        assertTrue(whole.lines().anyMatch(line -> line.length() > 72), "the test needs a long line: " + whole);
        for (String line : wrapped.split("\n")) {
            assertTrue(line.length() <= 72, "too long: [" + line + "]");
        }
        // nothing lost or changed but the line breaks
        assertEquals(whole.replaceAll("\\s+", " "), wrapped.replaceAll("\\s+", " "));
        // the fix continues under its text, 12 columns in ("  fix:      ")
        String[] lines = wrapped.split("\n");
        int fix = 0;
        while (!lines[fix].startsWith("  fix:")) {
            fix++;
        }
        assertTrue(lines[fix + 1].startsWith(" ".repeat(12)) && lines[fix + 1].charAt(12) != ' ', lines[fix + 1]);
        // every break falls between words: each piece ends and starts with a whole word of the original
        for (String piece : wrapped.split("\n")) {
            String trimmed = piece.trim();
            assertTrue(whole.contains(trimmed), "[" + trimmed + "] is not a run of whole words of the message");
        }
    }

    @Test
    void shapesStayOnOneLineWhenABreakOutsideThemFits() {
        String wrapped = MessageWrap.wrap("  received: (None, 28, 28)  <- summary shape of the model input, declared as"
                + " (28, 28) and more words here", 60);
        assertTrue(wrapped.contains("(None, 28, 28)"), wrapped);
        assertTrue(wrapped.contains("(28, 28)"), wrapped);
        for (String line : wrapped.split("\n")) {
            assertTrue(line.length() <= 60, line);
        }
    }

    @Test
    void aWordLongerThanTheLineIsCutRatherThanLost() {
        String word = "x".repeat(50);
        String wrapped = MessageWrap.wrap("fix: " + word + " end", 20);
        assertEquals(("fix: " + word + " end").replaceAll("\\s+", ""), wrapped.replaceAll("\\s+", ""));
        assertFalse(wrapped.lines().anyMatch(line -> line.length() > 20), wrapped);
    }

    @Test
    void wrappingIsOffUnlessAKernelAsksForIt() {
        String whole = error(() -> Sequential.input(28, 28).conv2d(32, 3));
        assertTrue(whole.lines().anyMatch(line -> line.length() > 100), whole);
    }
}
