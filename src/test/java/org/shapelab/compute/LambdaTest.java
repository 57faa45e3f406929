package org.shapelab.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.shapelab.model.Sequential;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/** Lambda layers: output shapes given or found by running the function, and what their errors say. */
class LambdaTest {

    static void assertContains(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), "missing \"" + part + "\" in:\n" + text);
        }
    }

    @Test
    void infersTheOutputShapeByRunningTheFunction() {
        Sequential model = Sequential.input(4, 3).add(new Lambda(x -> x.sum(1))).dense(2);
        assertEquals(Shape.summary(Shape.NONE, 3), model.layers().get(0).outputShape());
        assertEquals("lambda", model.layers().get(0).name());
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 4, 3);
        ModelRuntime runtime = ModelRuntime.of(model);
        INDArray y = runtime.trace(x).step("lambda").output();
        assertTrue(y.equalsWithEps(x.sum(1), 1e-6));
        assertArrayEquals(new long[] {5, 2}, runtime.predict(x).shape());
        assertEquals(2, runtime.getWeights().size());
    }

    @Test
    void noneAxesThatFollowTheInputStayNone() {
        Sequential scaled = Sequential.input(Shape.NONE, 3).add(new Lambda(x -> x.mul(2)));
        assertEquals(Shape.summary(Shape.NONE, Shape.NONE, 3), scaled.outputShape());
        Sequential firstStep = Sequential.input(Shape.NONE, 3)
                .add(new Lambda(x -> x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1), NDArrayIndex.all())));
        assertEquals(Shape.summary(Shape.NONE, 1, 3), firstStep.outputShape());
        INDArray y = ModelRuntime.of(scaled).predict(Nd4j.ones(DataType.FLOAT, 2, 7, 3));
        assertEquals(Nd4j.ones(DataType.FLOAT, 2, 7, 3).muli(2), y);
    }

    @Test
    void givenOutputShapeIsNotProbed() {
        AtomicInteger calls = new AtomicInteger();
        Lambda lambda = new Lambda(x -> {
            calls.incrementAndGet();
            return x.reshape(x.size(0), 6);
        }, 6);
        Sequential model = Sequential.input(2, 3).add(lambda);
        assertEquals(0, calls.get());
        assertEquals(Shape.summary(Shape.NONE, 6), model.outputShape());
        assertArrayEquals(new long[] {4, 6}, ModelRuntime.of(model).predict(Nd4j.rand(DataType.FLOAT, 4, 2, 3)).shape());
        assertEquals(1, calls.get());
    }

    @Test
    void exceptionWhileProbingNamesLayerShapeAndCause() {
        ShapeException e = assertThrows(ShapeException.class, () -> Sequential.input(3)
                .add(new Lambda(x -> x.mmul(Nd4j.ones(DataType.FLOAT, 5, 5)))));
        System.out.println(e.getMessage() + "\n");
        String top = e.getMessage().lines().findFirst().orElseThrow();
        assertContains(top, "Layer \"lambda\" (Lambda)", "the function threw", "(2, 3)", "Exception");
        assertContains(e.getMessage(), "received: (2, 3)", "array shape", "new Lambda(fn, dims...)");
    }

    @Test
    void exceptionWhilePredictingNamesLayerShapeAndCause() {
        Sequential model = Sequential.input(3).add(new Lambda(x -> {
            throw new IllegalArgumentException("no negative values, please");
        }, 3));
        ShapeException e = assertThrows(ShapeException.class,
                () -> ModelRuntime.of(model).predict(Nd4j.rand(DataType.FLOAT, 8, 3)));
        System.out.println(e.getMessage() + "\n");
        String top = e.getMessage().lines().findFirst().orElseThrow();
        assertContains(top, "\"lambda\" (Lambda)", "java.lang.IllegalArgumentException: no negative values, please",
                "(8, 3)");
    }

    @Test
    void wrongDeclaredOutputShapeIsTheLearnersError() {
        Sequential model = Sequential.input(3).add(new Lambda(x -> x.mul(2), 4));
        ShapeException e = assertThrows(ShapeException.class,
                () -> ModelRuntime.of(model).predict(Nd4j.rand(DataType.FLOAT, 2, 3)));
        assertContains(e.getMessage(), "(None, 4)", "(2, 3)", "correct the output shape");
    }

    @Test
    void functionMustKeepTheBatchAxis() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Sequential.input(3).add(new Lambda(x -> x.sum(0))));
        assertContains(e.getMessage(), "keep the batch axis", "x.sum(1) instead of x.sum(0)");
    }

    @Test
    void functionGetsACopyAndMayWorkInPlace() {
        Sequential model = Sequential.input(2).add(new Lambda(x -> x.addi(1)));
        INDArray x = Nd4j.create(new float[][] {{1, 2}});
        assertEquals(Nd4j.create(new float[][] {{2, 3}}), ModelRuntime.of(model).predict(x));
        assertEquals(Nd4j.create(new float[][] {{1, 2}}), x);
    }

    @Test
    void doubleResultsBecomeFloat32() {
        Sequential model = Sequential.input(2).add(new Lambda(x -> x.castTo(DataType.DOUBLE).mul(3)));
        INDArray y = ModelRuntime.of(model).predict(new float[] {1, 2});
        assertEquals(DataType.FLOAT, y.dataType());
        assertEquals(Nd4j.create(new float[][] {{3, 6}}), y);
    }

    @Test
    void kerasJsonNamesTheFunction() {
        Sequential model = Sequential.input(3).add(new Lambda(x -> x.mul(2)));
        assertContains(model.toKerasJson(), "\"class_name\":\"Lambda\"", "\"function\":\"<java lambda>\"");
    }
}
