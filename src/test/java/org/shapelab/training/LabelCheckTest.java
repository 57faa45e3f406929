package org.shapelab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.model.Sequential;
import org.shapelab.shape.ShapeException;

/**
 * The label mistakes learners make most, each refused before the first step with the loss, the expected shape
 * (with None), the received one, the fix, and Keras's own wording.
 */
class LabelCheckTest {

    private static Sequential classifier(int classes, String loss) {
        return Sequential.input(4).dense(8, "relu").dense(classes, "softmax").compile("adam", loss, "accuracy");
    }

    private static String message(Runnable call) {
        return assertThrows(ShapeException.class, call::run).getMessage();
    }

    private static void assertHas(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "missing \"" + part + "\" in:\n" + message);
        }
    }

    @Test
    void classNumbersGivenToCategoricalCrossentropy() {
        Sequential model = classifier(5, "categorical_crossentropy");
        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 4);
        INDArray y = Nd4j.createFromArray(new int[32]).addi(3).castTo(DataType.FLOAT).reshape(32, 1);
        String m = message(() -> model.fit(x, y, FitOptions.epochs(1).verbose(0)));
        assertHas(m, "Loss categorical_crossentropy:", "look like class numbers", "expected: (None, 5)",
                "received: (32, 1)", "sparse_categorical_crossentropy", "Shapes (None, 1) and (None, 5) are incompatible",
                "fix:");
    }

    @Test
    void oneHotLabelsGivenToTheSparseLoss() {
        Sequential model = classifier(3, "sparse_categorical_crossentropy");
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 4);
        INDArray y = Nd4j.createFromArray(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 0}});
        String m = message(() -> model.trainOnBatch(x, y));
        assertHas(m, "Loss sparse_categorical_crossentropy:", "look one-hot", "expected: (None,)", "received: (4, 3)",
                "categorical_crossentropy", "argMax(1)");
    }

    @Test
    void labelOutsideTheClasses() {
        Sequential model = classifier(11, "sparse_categorical_crossentropy");
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 4);
        INDArray y = Nd4j.createFromArray(2f, 32f, 0f);
        String m = message(() -> model.trainOnBatch(x, y));
        assertHas(m, "label 32", "outside the valid range [0, 11)",
                "Received a label value of 32 which is outside the valid range of [0, 11)", "Dense(33");
    }

    @Test
    void unitsThatDoNotMatchTheClasses() {
        Sequential model = classifier(5, "categorical_crossentropy");
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 4);
        INDArray y = Nd4j.eye(6).castTo(DataType.FLOAT).get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 6));
        String m = message(() -> model.evaluate(x, y));
        assertHas(m, "6 values per sample", "output has 5", "Dense(6", "expected: (None, 5)", "received: (6, 6)");
    }

    @Test
    void samplesAndLabelsOfDifferentCounts() {
        Sequential model = Sequential.input(3).dense(1).compile("sgd", "mse");
        String m = message(() -> model.fit(Nd4j.rand(DataType.FLOAT, 300, 3), Nd4j.rand(DataType.FLOAT, 299, 1),
                FitOptions.epochs(1).verbose(0)));
        assertHas(m, "x has 300 samples", "have 299", "Data cardinality is ambiguous: x sizes: 300, y sizes: 299");
    }

    @Test
    void labelsOfShapeNAgainstAnOutputOfNBy1AreExpandedAsKerasDoes() {
        Sequential model = Sequential.input(3).dense(1).compile("sgd", "mse");
        INDArray y = LabelCheck.prepare(Loss.of("mse"), Nd4j.rand(DataType.FLOAT, 7), model.outputShape(), 7, "fit");
        assertArrayEquals(new long[] {7, 1}, y.shape());
    }

    @Test
    void uncompiledModelSaysToCompile() {
        String m = message(() -> Sequential.input(3).dense(1).fit(Nd4j.rand(DataType.FLOAT, 4, 3),
                Nd4j.rand(DataType.FLOAT, 4, 1), 1, 32));
        assertHas(m, "is not compiled", "compile(");
    }

    @Test
    void unknownNamesSuggestTheClosest() {
        assertHas(message(() -> Loss.of("categorical_crossentropi")), "Did you mean 'categorical_crossentropy'?");
        assertHas(message(() -> Optimizer.of("adm")), "Did you mean 'adam'?");
    }
}
