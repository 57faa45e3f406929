package org.shapelab.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The three forms of a shape print exactly as Keras and NumPy print them. */
class ShapeTest {

    @Test
    void threeFormsOfTheSameSample() {
        Shape declared = Shape.sample(10);
        assertEquals("(10,)", declared.toString());
        assertEquals("(None, 10)", declared.withBatch().toString());
        assertEquals("(300, 10)", declared.withBatch(300).toString());
        assertEquals(Shape.Kind.SAMPLE, declared.kind());
        assertEquals(Shape.Kind.SUMMARY, declared.withBatch().kind());
        assertEquals(Shape.Kind.ARRAY, declared.withBatch(300).kind());
        assertTrue(declared.sameSampleAs(declared.withBatch(300)));
    }

    @Test
    void tupleTextMatchesPython() {
        assertEquals("(None, 96, 8)", Shape.summary(Shape.NONE, 96, 8).toString());
        assertEquals("(None, None, 8)", Shape.sample(Shape.NONE, 8).withBatch().toString());
        assertEquals("()", Shape.sample().toString());
        assertEquals("(None,)", Shape.sample().withBatch().toString());
        assertEquals("(2, 3)", Shape.array(2L, 3L).toString());
    }

    @Test
    void batchAxisOfASummaryIsAlwaysNone() {
        assertEquals("(None, 10)", Shape.summary(32, 10).toString());
    }

    @Test
    void kindIsPartOfEquality() {
        assertNotEquals(Shape.summary(Shape.NONE, 10), Shape.sample(Shape.NONE, 10));
        assertEquals(Shape.sample(28, 28, 1), Shape.summary(Shape.NONE, 28, 28, 1).sampleShape());
    }

    @Test
    void negativeAxesCountFromTheEnd() {
        Shape s = Shape.summary(Shape.NONE, 28, 28, 3);
        assertEquals(3, s.get(-1));
        assertEquals(28, s.get(1));
        assertFalse(s.isKnown(0));
        assertEquals(2352, s.sampleElements());
        assertEquals(-1, Shape.sample(Shape.NONE, 8).sampleElements());
    }

    @Test
    void describeNamesTheKind() {
        assertEquals("declared sample shape (10,)", Shape.sample(10).describe());
        assertEquals("summary shape (None, 10)", Shape.sample(10).withBatch().describe());
        assertEquals("array shape (300, 10)", Shape.array(300, 10).describe());
    }

    @Test
    void anArrayNeedsEverySize() {
        ShapeException e = assertThrows(ShapeException.class, () -> Shape.sample(Shape.NONE, 8).withBatch(4));
        assertTrue(e.getMessage().contains("unknown (None) axis"), e.getMessage());
    }
}
