package org.shapelab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * ShapeLab's summary() against real Keras 3's model.summary() (fixtures written by
 * tools/keras-reference/keras3-summaries.py), byte for byte.
 */
class Keras3SummaryTest {

    @Test
    void everyFixtureHasAShapeLabModel() throws IOException {
        assertEquals(Keras3Fixtures.indexIds(), List.copyOf(Keras3Fixtures.models().keySet()));
    }

    @TestFactory
    Stream<DynamicTest> summaryEqualsKeras3ByteForByte() {
        return Keras3Fixtures.models().entrySet().stream().map(entry -> DynamicTest.dynamicTest(entry.getKey(), () -> {
            String expected = Keras3Fixtures.resource(entry.getKey() + ".txt");
            Model model = entry.getValue().get();
            assertEquals(expected, model.summary(), entry.getKey());
            assertEquals(expected, model.summary(SummaryStyle.KERAS_3), entry.getKey());
        }));
    }
}
