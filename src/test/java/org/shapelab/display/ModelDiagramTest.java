package org.shapelab.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.shapelab.model.Sequential;
import org.shapelab.shape.Shape;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ModelDiagramTest {

    private final Sequential cnn = Sequential.input(28, 28, 1)
            .conv2d(32, 3, "relu").maxPooling2d(2).flatten().dense(10, "softmax");

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> boxes(Document svg) {
        NodeList rects = svg.getElementsByTagName("rect");
        List<Element> boxes = new ArrayList<>();
        for (int i = 0; i < rects.getLength(); i++) {
            boxes.add((Element) rects.item(i));
        }
        return boxes;
    }

    private static int width(Element box) {
        return Integer.parseInt(box.getAttribute("width"));
    }

    @Test
    void oneBoxForTheInputAndOnePerLayerWithShapes() throws Exception {
        MimeBundle bundle = ModelDiagram.plotModel(cnn);
        String svg = bundle.get(MimeBundle.SVG).orElseThrow();
        Document doc = parse(svg);
        assertEquals("svg", doc.getDocumentElement().getTagName());
        assertEquals(5, boxes(doc).size());
        assertTrue(svg.contains("conv2d (Conv2D)"), svg);
        assertTrue(svg.contains("(None, 28, 28, 1) \u2192 (None, 26, 26, 32)"), svg);
        assertTrue(bundle.text().contains("dense (Dense): (None, 5408) \u2192 (None, 10)"), bundle.text());
        assertFalse(svg.contains("<script"), svg);
    }

    @Test
    void widthsFollowTheLogOfTheValuesPerSample() throws Exception {
        List<Element> boxes = boxes(parse(ModelDiagram.svg(cnn)));
        int conv = width(boxes.get(1));     // 21,632 values
        int pooled = width(boxes.get(2));   // 5,408
        int dense = width(boxes.get(4));    // 10
        assertTrue(conv > pooled && pooled > dense, conv + " > " + pooled + " > " + dense);
        for (Element box : boxes) {
            // never narrower than its text: the shapes must stay readable
            assertTrue(width(box) >= 220, box.toString());
        }
    }

    @Test
    void noneDependentSizesAreDashed() throws Exception {
        List<Element> boxes = boxes(parse(ModelDiagram.svg(Sequential.input(Shape.NONE, 8).lstm(4, true).dense(2))));
        assertEquals("4 3", boxes.get(1).getAttribute("stroke-dasharray"));
        assertTrue(ModelDiagram.svg(Sequential.input(Shape.NONE, 8).lstm(4)).contains("(None, None, 8)"));
    }

    @Test
    void oddModelsNeverThrow() throws Exception {
        assertEquals(1, boxes(parse(ModelDiagram.plotModel(new Sequential()).get(MimeBundle.SVG).orElseThrow())).size());
        assertEquals(1, boxes(parse(ModelDiagram.plotModel(Sequential.input(3)).get(MimeBundle.SVG).orElseThrow()))
                .size());
        assertEquals("null", ModelDiagram.plotModel((Sequential) null).text());
        Sequential odd = new Sequential("<&>\"'");
        parse(ModelDiagram.plotModel(odd.add(new org.shapelab.layers.Dense(1).inputShape(2)))
                .get(MimeBundle.SVG).orElseThrow());
    }
}
