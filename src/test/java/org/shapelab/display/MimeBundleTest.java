package org.shapelab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.shapelab.model.Sequential;
import org.shapelab.shape.ShapeException;

class MimeBundleTest {

    @Test
    void plainTextAlwaysAndRicherFormsAdded() {
        MimeBundle bundle = MimeBundle.text("summary").withHtml("<b>table</b>").withSvg("<svg/>");
        assertEquals(List.of(MimeBundle.TEXT, MimeBundle.HTML, MimeBundle.SVG), List.copyOf(bundle.data().keySet()));
        assertEquals("summary", bundle.text());
        assertEquals("summary", bundle.toString());
        assertEquals("<b>table</b>", bundle.get(MimeBundle.HTML).orElseThrow());
        assertTrue(bundle.get(MimeBundle.PNG).isEmpty());
    }

    @Test
    void bundlesAreImmutable() {
        MimeBundle plain = MimeBundle.text("x");
        MimeBundle rich = plain.withHtml("<i>x</i>");
        assertFalse(plain.get(MimeBundle.HTML).isPresent());
        assertTrue(rich.get(MimeBundle.HTML).isPresent());
        assertSame(plain, plain.withHtml(null));
    }

    @Test
    void pngIsBase64AsJupyterExpects() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G'};
        String stored = MimeBundle.text("image").withPng(png).get(MimeBundle.PNG).orElseThrow();
        assertEquals("iVBORw==", stored);
        assertEquals("PNG", new String(Base64.getDecoder().decode(stored), StandardCharsets.ISO_8859_1).substring(1));
    }

    @Test
    void ofPicksTheRichestRenderer() {
        Sequential model = Sequential.input(10).dense(2);
        assertTrue(MimeBundle.of(model).get(MimeBundle.HTML).orElseThrow().contains("Total params"));
        assertTrue(MimeBundle.of(new ShapeException("bad")).get(MimeBundle.HTML).isPresent());
        MimeBundle own = MimeBundle.text("mine");
        assertSame(own, MimeBundle.of(own));
        assertEquals(MimeBundle.text("42").data(), MimeBundle.of(42).data());
    }

    @Test
    void oddValuesNeverThrow() {
        assertEquals("null", MimeBundle.of(null).text());
        assertEquals("", MimeBundle.text(null).text());
        Object broken = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("no text");
            }
        };
        assertTrue(MimeBundle.of(broken).text().contains("toString() failed"), MimeBundle.of(broken).text());
    }

    @Test
    void aFailingRendererFallsBackToTextWithANote() {
        MimeBundle bundle = MimeBundle.guarded("the value", () -> {
            throw new ArrayIndexOutOfBoundsException(3);
        });
        assertEquals(List.of(MimeBundle.TEXT), List.copyOf(bundle.data().keySet()));
        assertTrue(bundle.text().startsWith("the value\n(ShapeLab could not draw a richer view"), bundle.text());
    }
}
