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
        // the legend explains dashes only where there are some
        assertTrue(ModelDiagram.svg(Sequential.input(Shape.NONE, 8).lstm(4, true).dense(2)).contains("dashed: size depends"));
        assertFalse(ModelDiagram.svg(cnn).contains("dashed"), ModelDiagram.svg(cnn));
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

    /** A functional model: a box per input and per layer call, rows by depth, an edge per tensor read. */
    @Test
    void functionalModelIsDrawnAsAGraph() throws Exception {
        org.shapelab.layers.Input left = org.shapelab.layers.Input.shape(6);
        org.shapelab.layers.Input right = org.shapelab.layers.Input.shape(6);
        org.shapelab.layers.Dense shared = new org.shapelab.layers.Dense(4);
        org.shapelab.layers.Tensor joined = new org.shapelab.layers.Concatenate().apply(shared.apply(left),
                shared.apply(right));
        org.shapelab.model.Functional model = org.shapelab.model.Model.of(java.util.List.of(left, right),
                java.util.List.of(new org.shapelab.layers.Dense(1).apply(joined)));
        MimeBundle bundle = ModelDiagram.plotModel(model);
        String svg = bundle.get(MimeBundle.SVG).orElseThrow();
        Document doc = parse(svg);
        // two inputs, two calls of the shared Dense, the Concatenate, the last Dense
        assertEquals(6, boxes(doc).size());
        // an edge per tensor read: input -> call 0, input_1 -> call 1, both calls -> concatenate -> dense_1
        assertEquals(5, doc.getElementsByTagName("path").getLength(), svg);
        assertTrue(svg.contains("dense [call 1] (Dense)"), svg);
        assertTrue(svg.contains("[(None, 4), (None, 4)] \u2192 (None, 8)"), svg);
        assertTrue(bundle.text().contains("Connected to"), bundle.text());
        // rows by depth, drawn top to bottom: the inputs, the shared calls, the Concatenate, the last Dense
        List<Integer> rows = boxes(doc).stream().map(r -> Integer.parseInt(r.getAttribute("y"))).toList();
        assertEquals(List.of(8, 8, 84, 84, 160, 236), rows);
        String html = MimeBundle.of(model).get(MimeBundle.HTML).orElseThrow();
        assertTrue(html.contains("Connected to") && html.contains("dense[0][0], dense[1][0]") && html.contains("<svg"),
                html);
    }
}
