package org.shapelab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.shapelab.layers.Conv2D;
import org.shapelab.layers.Dense;
import org.shapelab.layers.MaxPooling2D;
import org.shapelab.layers.TimeDistributed;
import org.shapelab.model.Sequential;
import org.shapelab.shape.Shape;

class ModelHtmlTest {

    private final Sequential cnn = Sequential.input(28, 28, 1)
            .conv2d(32, 3, "relu").maxPooling2d(2).flatten().dense(10, "softmax");

    private static String html(Sequential model) {
        return ModelHtml.bundle(model).get(MimeBundle.HTML).orElseThrow();
    }

    /** The axis names printed under the n-th shape cell with axis names, in table order. */
    private static String axes(String html, int n) {
        String marker = "font-size:11px\">";
        int at = -1;
        for (int i = 0; i <= n; i++) {
            at = html.indexOf(marker, at + 1);
        }
        return html.substring(at + marker.length(), html.indexOf("</span>", at));
    }

    @Test
    void plainTextIsTheKerasSummaryAndHtmlTheShapeTable() {
        MimeBundle bundle = ModelHtml.bundle(cnn);
        assertEquals(cnn.summary(), bundle.text());
        String html = html(cnn);
        assertTrue(html.startsWith("<div"), html);
        assertTrue(html.contains("title=\"batch axis: any batch size fits\">None</span>, 26, 26, 32)"), html);
        assertTrue(html.contains("3·3·1·32 + 32 = 320"), html);
        assertTrue(html.contains("Total params: <b>54,410</b> &middot; trainable 54,410 &middot; non-trainable 0"),
                html);
    }

    @Test
    void selfContained() {
        String html = html(cnn);
        for (String outside : new String[] {"<script", "<link", "<style", "class=\"", "http://", "https://"}) {
            assertFalse(html.contains(outside), outside);
        }
    }

    @Test
    void imageAxesAreNamedByDataFormat() {
        String html = html(cnn);
        assertEquals("batch, rows, cols, channels", axes(html, 0));   // conv2d input
        assertEquals("batch, rows, cols, channels", axes(html, 1));   // conv2d output
        assertEquals("batch, features", axes(html, 5));               // flatten output
        assertEquals("batch, units", axes(html, 7));                  // dense output

        Sequential first = Sequential.input(3, 32, 32)
                .add(new Conv2D(8, 3).dataFormat("channels_first"))
                .add(new MaxPooling2D(2).dataFormat("channels_first"));
        assertEquals("batch, channels, rows, cols", axes(html(first), 0));
        assertEquals("batch, channels, rows, cols", axes(html(first), 3));
    }

    @Test
    void sequenceAndOneDimensionalAxes() {
        Sequential text = Sequential.input(100).embedding(1000, 16).lstm(32, true).conv1d(8, 3).globalMaxPooling1d();
        String html = html(text);
        assertEquals("batch, timesteps", axes(html, 0));
        assertEquals("batch, timesteps, features", axes(html, 1));    // embedding output
        assertEquals("batch, timesteps, units", axes(html, 3));       // lstm output (return_sequences)
        assertEquals("batch, length, channels", axes(html, 5));       // conv1d output
        assertEquals("batch, channels", axes(html, 7));               // global pooling output
    }

    @Test
    void permuteAndTimeDistributedCarryTheNames() {
        Sequential model = Sequential.input(10, 64).lstm(8, true).permute(2, 1).add(new TimeDistributed(new Dense(4)));
        String html = html(model);
        assertEquals("batch, units, timesteps", axes(html, 3));       // permute output
        assertEquals("batch, timesteps, units", axes(html, 5));       // time-distributed dense output
    }

    @Test
    void reshapeToARankNoLayerExplainsShowsNoNames() {
        Sequential model = Sequential.input(12).dense(12).reshape(3, 4).flatten();
        String html = html(model);
        // dense in, dense out = reshape in, flatten out; the (None, 3, 4) in between has no names
        assertEquals(4, html.split("font-size:11px", -1).length - 1, html);
        assertEquals("batch, features", axes(html, 3));              // flatten output
    }

    @Test
    void noneAxesShowUnknownWorkAsQuestionMarks() {
        Sequential model = Sequential.input(Shape.NONE, 8).lstm(16);
        String html = html(model);
        assertTrue(html.contains("None</span>, None, 8)"), html);
        assertTrue(html.contains("title=\"depends on an axis of unknown size\">?</span>"), html);
        assertEquals("batch, timesteps, features", axes(html, 0));
    }

    @Test
    void emptyModelsNeverThrow() {
        MimeBundle noInput = ModelHtml.bundle(new Sequential());
        assertTrue(noInput.text().contains("Total params: 0"), noInput.text());
        assertTrue(noInput.get(MimeBundle.HTML).orElseThrow().contains("has no layers yet"));

        MimeBundle noLayers = ModelHtml.bundle(Sequential.input(4));
        assertTrue(noLayers.get(MimeBundle.HTML).orElseThrow().contains("has no layers yet"));

        assertEquals("null", ModelHtml.bundle((Sequential) null).text());
    }

    @Test
    void namesAreEscaped() {
        Sequential model = Sequential.input(4).add(new Dense(2).name("a-b.c"));
        assertTrue(html(model).contains("a-b.c <span"));
        assertFalse(html(new Sequential("<b>x</b>")).contains("<b>x</b>"));
    }
}
