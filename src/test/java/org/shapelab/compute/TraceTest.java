package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.model.Sequential;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/** trace(): every layer's arrays and concrete shapes, and its table. */
class TraceTest {

    @Test
    void stepsHoldArraysAndConcreteShapes() {
        Sequential model = Sequential.input(28, 28, 1).conv2d(4, 3, "relu").maxPooling2d(2).flatten().dropout(0.2)
                .dense(10, "softmax");
        ModelRuntime runtime = ModelRuntime.of(model);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 28, 28, 1);
        Trace trace = runtime.trace(x);
        assertEquals(5, trace.steps().size());
        assertEquals(Shape.array(3, 28, 28, 1), trace.steps().get(0).inputShape());
        assertEquals(Shape.array(3, 26, 26, 4), trace.step("conv2d").outputShape());
        assertEquals(Shape.array(3, 13, 13, 4), trace.step("max_pooling2d").outputShape());
        assertEquals(Shape.array(3, 676), trace.step("flatten").outputShape());
        assertEquals(Shape.Kind.ARRAY, trace.step("dense").outputShape().kind());
        assertSame(trace.step("flatten").output(), trace.step("dropout").input());
        assertEquals(trace.step("conv2d").output(), trace.step("max_pooling2d").input());
        assertTrue(trace.output().equalsWithEps(runtime.predict(x), 1e-6));
        assertSame(x, trace.input());

        String table = trace.toString();
        System.out.println(table);
        assertTrue(table.startsWith("Trace of \"sequential\" on an array of shape (3, 28, 28, 1)"), table);
        assertTrue(table.contains("Layer (type)") && table.contains("Input (array)") && table.contains("Output (array)")
                && table.contains("Output (summary)"), table);
        assertTrue(table.contains("conv2d (Conv2D)") && table.contains("(3, 26, 26, 4)")
                && table.contains("(None, 26, 26, 4)"), table);
        assertTrue(table.contains("dense (Dense)") && table.contains("(3, 10)") && table.contains("(None, 10)"), table);
    }

    @Test
    void traceChecksTheInputLikePredict() {
        Sequential model = Sequential.input(10).dense(2);
        ShapeException e = assertThrows(ShapeException.class,
                () -> ModelRuntime.of(model).trace(Nd4j.zeros(DataType.FLOAT, 4, 3)));
        assertTrue(e.getMessage().contains("the array given to trace"), e.getMessage());
        ShapeException unknown = assertThrows(ShapeException.class,
                () -> ModelRuntime.of(model).trace(Nd4j.zeros(DataType.FLOAT, 4, 10)).step("conv2d"));
        assertTrue(unknown.getMessage().contains("Its layers: dense"), unknown.getMessage());
    }
}
