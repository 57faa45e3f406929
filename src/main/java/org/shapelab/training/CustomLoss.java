package org.shapelab.training;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.compute.TrainingPass;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * {@link Loss#custom}: the learner's function as a SameDiff graph, one per shape of batch (so the shapes it sees
 * are the real ones), differentiated by SameDiff with respect to the prediction.
 */
final class CustomLoss extends Loss {

    private final BiFunction<SDVariable, SDVariable, SDVariable> function;
    private final Map<List<Long>, Graph> graphs = new HashMap<>();

    private record Graph(SameDiff sameDiff, SDVariable prediction, String loss) {
    }

    CustomLoss(String name, BiFunction<SDVariable, SDVariable, SDVariable> function) {
        super(name, false);
        this.function = function;
    }

    @Override
    Value compute(INDArray yTrue, INDArray yPred) {
        Graph graph = graph(yTrue, yPred);
        // SameDiff keeps arrays across calls: they must not live in a training step's workspace.
        return TrainingPass.outsideWorkspaces(() -> {
            graph.prediction().setArray(yPred.dup());
            Map<String, INDArray> placeholders = Map.of("y_true", yTrue.dup());
            double loss;
            try {
                loss = graph.sameDiff().output(placeholders, graph.loss()).get(graph.loss()).getDouble(0);
            } catch (NullPointerException e) {
                // SameDiff 1.0.0-M2.1 fails (an NPE in BaseReduceOp.noOp) on a reduction over an axis of size 1.
                throw new ShapeException("Loss " + name() + ": ND4J's SameDiff (1.0.0-M2.1) cannot run your function"
                        + " on y_true " + Shape.array(yTrue.shape()) + " and y_pred " + Shape.array(yPred.shape())
                        + ": it fails on a mean or sum over an axis of size 1, such as mean(-1) of an output with one"
                        + " value per sample. Fix: return the values without that reduction (each sample has one"
                        + " value already), e.g. yPred.sub(yTrue).mul(yPred.sub(yTrue)).mean() for the batch's mean.");
            }
            PrintStream out = System.out;
            try {
                // SameDiff 1.0.0-M2.1 prints a line per differentiated op the first time; not the learner's output.
                System.setOut(new PrintStream(OutputStream.nullOutputStream()));
                INDArray gradient = graph.sameDiff().calculateGradients(placeholders, "y_pred").get("y_pred");
                return new Value(loss, gradient.dup());
            } finally {
                System.setOut(out);
            }
        });
    }

    private Graph graph(INDArray yTrue, INDArray yPred) {
        List<Long> key = new java.util.ArrayList<>();
        for (long d : yTrue.shape()) {
            key.add(d);
        }
        key.add(-1L);
        for (long d : yPred.shape()) {
            key.add(d);
        }
        return graphs.computeIfAbsent(key, k -> build(yTrue.shape(), yPred.shape()));
    }

    private Graph build(long[] trueShape, long[] predShape) {
        SameDiff sd = SameDiff.create();
        SDVariable yTrue = sd.placeHolder("y_true", DataType.FLOAT, trueShape);
        SDVariable yPred = sd.var("y_pred", DataType.FLOAT, predShape);
        SDVariable values;
        try {
            values = function.apply(yTrue, yPred);
        } catch (RuntimeException e) {
            throw new ShapeException("Loss " + name() + ": your function failed on y_true " + Shape.array(trueShape)
                    + " and y_pred " + Shape.array(predShape) + " (both batch first): " + e.getMessage() + ". Fix: it"
                    + " gets SameDiff variables; combine them with their methods (sub, mul, mean(-1), ...) and return a"
                    + " value per sample or one number.");
        }
        if (values == null) {
            throw new ShapeException("Loss " + name() + ": your function returned null; return a value per sample"
                    + " (e.g. ....mean(-1)) or one number.");
        }
        SDVariable loss = values.getShape() != null && values.getShape().length == 0 ? values : values.mean();
        loss.markAsLoss();
        return new Graph(sd, yPred, loss.name());
    }

    @Override
    public String toString() {
        return name() + " (custom)";
    }

}
