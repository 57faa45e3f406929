package org.shapelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.model.Sequential;

/**
 * A custom loss is differentiated automatically: written as Keras's mean squared error, it trains exactly as the
 * built-in one (which training.json checks against Keras); and it sees the real batch shapes, batch first.
 */
class CustomLossTest {

    @Test
    void aCustomMeanSquaredErrorTrainsAsTheBuiltInOne() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 12, 4);
        INDArray y = Nd4j.rand(DataType.FLOAT, 12, 3);
        Sequential builtIn = Sequential.input(4).dense(5, "tanh").dense(3).seed(1);
        Sequential custom = Sequential.input(4).dense(5, "tanh").dense(3).seed(1);
        builtIn.compile(new Optimizer.Adam(0.01), Loss.meanSquaredError());
        custom.compile(new Optimizer.Adam(0.01), Loss.custom("my_mse",
                (yTrue, yPred) -> yPred.sub(yTrue).mul(yPred.sub(yTrue)).mean(-1)));
        for (int step = 0; step < 3; step++) {
            double a = builtIn.trainOnBatch(x, y);
            double b = custom.trainOnBatch(x, y);
            assertEquals(a, b, 1e-6 * Math.max(1, Math.abs(a)), "loss of step " + step);
        }
        List<INDArray> wa = builtIn.getWeights();
        List<INDArray> wb = custom.getWeights();
        for (int i = 0; i < wa.size(); i++) {
            double diff = wa.get(i).sub(wb.get(i)).amaxNumber().doubleValue();
            assertTrue(diff < 1e-5, "weight " + i + " differs by " + diff);
        }
    }

    @Test
    void theFunctionSeesEachBatchShapeBatchFirst() {
        List<String> seen = new ArrayList<>();
        Sequential model = Sequential.input(4).dense(10, "softmax");
        model.compile("sgd", "mse");
        model.compile(Optimizer.of("sgd"), Loss.custom("shapes", (yTrue, yPred) -> {
            seen.add(Arrays.toString(yTrue.getShape()) + " " + Arrays.toString(yPred.getShape()));
            return yPred.sub(yTrue).mul(yPred.sub(yTrue)).mean(-1);
        }));
        // 300 samples in batches of 32: nine of 32, then the last 12; one graph per shape, as Keras traces.
        model.fit(Nd4j.rand(DataType.FLOAT, 300, 4), Nd4j.rand(DataType.FLOAT, 300, 10),
                FitOptions.epochs(2).batchSize(32).verbose(0));
        assertEquals(List.of("[32, 10] [32, 10]", "[12, 10] [12, 10]"), seen);
    }
}
