package org.shapelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.model.Sequential;

/**
 * Weights set (or re-seeded) after compile are the ones that train: before, the training pass made at compile kept
 * the old arrays, so fit trained those while evaluate, predict and getWeights still read the set ones (found by the
 * training benchmark, which compiles first and then sets the same initial weights in every round).
 */
class WeightsAfterCompileTest {

    private static Sequential model() {
        return Sequential.input(6).dense(8, "relu").dense(3);
    }

    private static INDArray[] data() {
        Nd4j.getRandom().setSeed(7);
        return new INDArray[] {Nd4j.rand(DataType.FLOAT, 40, 6), Nd4j.rand(DataType.FLOAT, 40, 3)};
    }

    @Test
    void setWeightsAfterCompileTrainsTheSetWeights() {
        INDArray[] d = data();
        List<INDArray> initial = model().seed(5).getWeights();

        Sequential before = model();
        before.setWeights(initial);
        before.compile("adam", "mse");
        before.fit(d[0], d[1], FitOptions.epochs(2).batchSize(8).verbose(0));

        Sequential after = model();
        after.compile("adam", "mse");
        after.setWeights(initial);
        after.fit(d[0], d[1], FitOptions.epochs(2).batchSize(8).verbose(0));

        List<INDArray> trained = after.getWeights();
        assertNotEquals(initial.get(0), trained.get(0), "fit changed the weights getWeights returns");
        for (int i = 0; i < trained.size(); i++) {
            assertEquals(before.getWeights().get(i), trained.get(i), "weight " + i + ": set after compile trains"
                    + " exactly as set before");
        }
        assertEquals(before.evaluate(d[0], d[1]).get("loss"), after.evaluate(d[0], d[1]).get("loss"), 1e-9);
    }

    @Test
    void seedAfterCompileAndTrainOnBatchTrainTheNewWeights() {
        INDArray[] d = data();
        Sequential model = model();
        model.compile("sgd", "mse");
        model.trainOnBatch(d[0], d[1]);
        model.seed(11);
        List<INDArray> drawn = model.getWeights();
        double first = model.trainOnBatch(d[0], d[1]);
        assertEquals(model().seed(11).compile("sgd", "mse").evaluate(d[0], d[1]).get("loss"), first, 1e-6,
                "the step's loss is that of the re-drawn weights");
        assertNotEquals(drawn.get(0), model.getWeights().get(0), "the step updated the re-drawn weights");
    }
}
