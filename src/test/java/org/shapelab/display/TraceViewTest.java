package org.shapelab.display;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.model.Sequential;

/** A trace's previews name their axes as the layers' documentation does. */
class TraceViewTest {

    @Test
    void previewsNameAxesByTheLayerThatWroteThem() {
        var model = Sequential.input(1000, 2).conv1d(8, 3).globalAveragePooling1d().dense(3).seed(1);
        String html = TraceView.bundle(model.trace(Nd4j.rand(DataType.FLOAT, 1, 1000, 2))).get(MimeBundle.HTML).orElseThrow();
        // the input as Conv1D reads it, its output as it writes it: channels, not "features"
        assertTrue(html.contains("(batch 1, length 1000, channels 2)"), html);
        assertTrue(html.contains("(batch 1, length 998, channels 8)"), html);
        assertTrue(html.contains("one line per channel (8)"), html);
        assertTrue(html.contains("(batch 1, channels 8)"), html);
        assertTrue(html.contains("(batch 1, units 3)"), html);
    }
}
