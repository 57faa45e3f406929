package org.shapelab.display;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExerciseTest {

    @Test
    void kerasNotationsOfOneShapeAreTheSameAnswer() {
        assertTrue(Exercise.matches("[None, 30, 32]", "(None, 30, 32)"));
        assertTrue(Exercise.matches("(None,10)", "(None, 10)"));
        assertTrue(Exercise.matches("(10)", "(10,)"));
        assertTrue(Exercise.matches(1875L, 1875));
        assertFalse(Exercise.matches("(None, 30, 32)", "(None, 32, 30)"));
        assertFalse(Exercise.matches(1874, 1875));
    }
}
