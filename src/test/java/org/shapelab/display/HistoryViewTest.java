package org.shapelab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.model.Sequential;
import org.shapelab.training.FitOptions;
import org.shapelab.training.History;

/** A History renders as one chart per quantity (validation dashed), a table per epoch, and text. */
class HistoryViewTest {

    @Test
    void historyShowsCurvesATableAndText() {
        Sequential model = Sequential.input(3).dense(4, "relu").dense(1, "sigmoid").compile("adam",
                "binary_crossentropy", "accuracy");
        History history = model.fit(Nd4j.rand(DataType.FLOAT, 40, 3), Nd4j.rand(DataType.FLOAT, 40, 1).gt(0.5)
                .castTo(DataType.FLOAT), FitOptions.epochs(3).batchSize(8).validationSplit(0.25).verbose(0));
        assertEquals(3, history.table().rowCount());
        assertEquals(java.util.List.of("epoch", "loss", "accuracy", "val_loss", "val_accuracy"),
                history.table().columnNames());
        MimeBundle bundle = MimeBundle.of(history);
        String html = bundle.get(MimeBundle.HTML).orElseThrow();
        assertEquals(2, html.split("<svg", -1).length - 1, "a chart for loss and one for accuracy");
        assertTrue(html.contains("stroke-dasharray"), "validation curves are dashed");
        assertEquals(12, html.split("<circle", -1).length - 1, "a dot per epoch on four curves");
        assertTrue(bundle.text().contains("val_loss: ["), bundle.text());
        assertTrue(bundle.text().startsWith("History(3 epochs of 4 steps, 30 samples)"), bundle.text());
    }
}
