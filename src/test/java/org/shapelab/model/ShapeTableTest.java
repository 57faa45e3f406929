package org.shapelab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.shapelab.layers.Conv2D;
import org.shapelab.shape.Shape;

import tech.tablesaw.api.Table;

class ShapeTableTest {

    private final Sequential cnn = Sequential.input(28, 28, 1)
            .conv2d(32, 3, "relu").maxPooling2d(2).flatten().dense(10, "softmax");

    @Test
    void oneRowPerLayerWithShapesAndCounts() {
        Table table = cnn.shapeTable();
        assertEquals(4, table.rowCount());
        assertEquals("conv2d", table.stringColumn(ShapeTable.LAYER).get(0));
        assertEquals("Conv2D", table.stringColumn(ShapeTable.TYPE).get(0));
        assertEquals("(None, 28, 28, 1)", table.stringColumn(ShapeTable.INPUT_SHAPE).get(0));
        assertEquals("(None, 26, 26, 32)", table.stringColumn(ShapeTable.OUTPUT_SHAPE).get(0));
        assertEquals(320L, table.longColumn(ShapeTable.PARAMS).get(0));
        assertEquals("(None, 5408)", table.stringColumn(ShapeTable.OUTPUT_SHAPE).get(2));
        assertEquals(54090L, table.longColumn(ShapeTable.PARAMS).get(3));
    }

    @Test
    void formulaWeightsMultiplyAddsAndActivationSize() {
        Table table = cnn.shapeTable();
        assertEquals("3·3·1·32 + 32 = 320", table.stringColumn(ShapeTable.PARAM_FORMULA).get(0));
        assertEquals("kernel (3, 3, 1, 32), bias (32,)", table.stringColumn(ShapeTable.WEIGHTS).get(0));
        // 26·26 output positions × 32 filters × (3·3·1) taps
        assertEquals(26L * 26 * 32 * 9, table.longColumn(ShapeTable.MULTIPLY_ADDS).get(0));
        assertEquals(26L * 26 * 32, table.longColumn(ShapeTable.OUTPUT_VALUES).get(0));
        assertEquals("5408·10 + 10 = 54090", table.stringColumn(ShapeTable.PARAM_FORMULA).get(3));
        assertEquals(5408L * 10, table.longColumn(ShapeTable.MULTIPLY_ADDS).get(3));
    }

    @Test
    void recurrentFormulasShowTheGates() {
        Sequential model = Sequential.input(Shape.NONE, 16).lstm(64, true).gru(8, true).simpleRnn(4);
        Table table = model.shapeTable();
        assertEquals("4·(16·64 + 64·64 + 64) = 20736", table.stringColumn(ShapeTable.PARAM_FORMULA).get(0));
        assertEquals("3·(64·8 + 8·8 + 2·8) = 1776", table.stringColumn(ShapeTable.PARAM_FORMULA).get(1));
        assertEquals("8·4 + 4·4 + 4 = 52", table.stringColumn(ShapeTable.PARAM_FORMULA).get(2));
        // timesteps are None, so the work per sample is unknown: a missing value, not a made-up number
        assertTrue(table.longColumn(ShapeTable.MULTIPLY_ADDS).isMissing(0));
        assertEquals(4L * (16 * 64 + 64 * 64) * 10,
                Sequential.input(10, 16).lstm(64).shapeTable().longColumn(ShapeTable.MULTIPLY_ADDS).get(0));
    }

    @Test
    void tableIsSortableLikeAnyTablesawTable() {
        Table sorted = cnn.shapeTable().sortDescendingOn(ShapeTable.PARAMS);
        assertEquals("dense", sorted.stringColumn(ShapeTable.LAYER).get(0));
    }

    @Test
    void htmlIsSelfContainedAndMarksTheBatchAxis() {
        String html = cnn.toHtml();
        assertTrue(html.startsWith("<div"), html);
        assertFalse(html.contains("<script"), html);
        assertFalse(html.contains("<link"), html);
        assertTrue(html.contains("title=\"batch axis: any batch size fits\">None</span>, 26, 26, 32)"), html);
        assertTrue(html.contains("3·3·1·32 + 32 = 320"), html);
        assertTrue(html.contains("Total params: <b>54,410</b>"), html);
    }

    @Test
    void htmlEscapesNames() {
        Sequential model = Sequential.input(4, 4, 1).add(new Conv2D(2, 3).name("a-b.c"));
        assertTrue(model.toHtml().contains("a-b.c <span"));
    }
}
