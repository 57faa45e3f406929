package org.shapelab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.shapelab.model.Sequential;
import org.shapelab.shape.ShapeException;

class ShapeErrorHtmlTest {

    private static ShapeException forgottenChannelAxis() {
        return assertThrows(ShapeException.class, () -> Sequential.input(28, 28).conv2d(32, 3));
    }

    @Test
    void plainTextIsTheCompleteMessage() {
        ShapeException e = forgottenChannelAxis();
        assertEquals("ShapeException: " + e.getMessage(), ShapeErrorHtml.explain(e).text());
    }

    @Test
    void expectedAndReceivedSideBySideAxisByAxis() {
        String html = ShapeErrorHtml.explain(forgottenChannelAxis()).get(MimeBundle.HTML).orElseThrow();
        assertTrue(html.contains(" in layer <b"), html);
        assertTrue(html.contains("&quot;conv2d&quot; (Conv2D)"), html);
        assertTrue(html.contains("Conv2D needs 4 axes (batch, rows, cols, channels) but got 3."), html);
        assertTrue(html.contains(">axis 3</th>"), html);
        assertTrue(html.contains(">channels</td>"), html);
        // the received shape lacks axis 3: that cell is marked
        assertTrue(html.contains("background:rgba(217,83,79,.25);border-radius:3px\"><span title=\"no such axis\">"),
                html);
        assertTrue(html.contains("summary shape of the model input, declared as (28, 28)"), html);
        assertFalse(html.contains("<script"), html);
    }

    @Test
    void theFixIsHighlighted() {
        ShapeException e = forgottenChannelAxis();
        String html = ShapeErrorHtml.explain(e).get(MimeBundle.HTML).orElseThrow();
        String fix = Html.escape(e.fix().orElseThrow());
        assertTrue(html.contains("background:rgba(60,170,90,.2);border-radius:4px;padding:4px 8px;margin-top:6px\">"
                + "<b>fix:</b> " + fix + "</div>"), html);
    }

    @Test
    void numbersThatDisagreeAreMarked() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Sequential.input(10).add(new org.shapelab.layers.Dense(3).inputShape(12)));
        String html = ShapeErrorHtml.explain(e).get(MimeBundle.HTML).orElseThrow();
        assertTrue(html.contains("border-radius:3px\">12</td>"), html);
        assertTrue(html.contains("border-radius:3px\">10</td>"), html);
    }

    @Test
    void anErrorWithoutLayerOrShapesStillExplains() {
        MimeBundle bundle = ShapeErrorHtml.explain(new ShapeException("Unknown data_format 'x'."));
        assertEquals("ShapeException: Unknown data_format 'x'.", bundle.text());
        String html = bundle.get(MimeBundle.HTML).orElseThrow();
        assertTrue(html.contains("Unknown data_format &#39;x&#39;."), html);
        assertFalse(html.contains("in layer"), html);
        assertFalse(html.contains("<table"), html);
    }

    @Test
    void otherExceptionsAndNullNeverThrow() {
        MimeBundle other = ShapeErrorHtml.explain(new IllegalStateException("<boom>"));
        assertEquals("IllegalStateException: <boom>", other.text());
        assertTrue(other.get(MimeBundle.HTML).orElseThrow().contains("&lt;boom&gt;"));
        assertEquals("null", ShapeErrorHtml.explain(null).text());
        assertEquals("NullPointerException: null", ShapeErrorHtml.explain(new NullPointerException()).text());
    }
}
