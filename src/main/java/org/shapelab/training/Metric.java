package org.shapelab.training;

import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.shapelab.layers.Names;
import org.shapelab.shape.ShapeException;

/**
 * A Keras metric: a value per prediction, averaged over every prediction of an epoch (Keras's stateful mean).
 * {@code "accuracy"} becomes the accuracy that fits the loss, as Keras's {@code compile} decides: binary for
 * binary_crossentropy, categorical for categorical_crossentropy, sparse categorical for the sparse loss; for other
 * losses binary if the output has one value per sample, else sparse or categorical by the labels' shape.
 */
abstract class Metric {

    /** The key in the history and the logs: the name the learner gave ({@code "accuracy"}, {@code "mae"}). */
    final String key;

    Metric(String key) {
        this.key = key;
    }

    /** Sum of the per-prediction values of a batch, and how many there are. */
    abstract double[] sumAndCount(INDArray yTrue, INDArray yPred);

    static Metric of(String name, Loss loss) {
        String key = name == null ? "" : name.trim();
        switch (key.toLowerCase(Locale.ROOT)) {
            case "accuracy", "acc":
                return accuracy(key, loss);
            case "mae", "mean_absolute_error":
                return new Metric(key) {
                    @Override
                    double[] sumAndCount(INDArray yTrue, INDArray yPred) {
                        return perSample(Transforms.abs(yPred.sub(yTrue), false), yPred);
                    }
                };
            case "mse", "mean_squared_error":
                return new Metric(key) {
                    @Override
                    double[] sumAndCount(INDArray yTrue, INDArray yPred) {
                        INDArray diff = yPred.sub(yTrue);
                        return perSample(diff.muli(diff), yPred);
                    }
                };
            default:
                String closest = Names.closest(key, List.of("accuracy", "mae", "mse"));
                throw new ShapeException("Unknown metric '" + name + "'." + (closest != null ? " Did you mean '"
                        + closest + "'?" : "") + " Metrics: accuracy, mae, mse.");
        }
    }

    /** Mean over the last axis of each prediction: Keras's per-sample value for mae and mse. */
    private static double[] perSample(INDArray values, INDArray yPred) {
        long last = yPred.size(yPred.rank() - 1);
        return new double[] {values.sumNumber().doubleValue() / last, (double) values.length() / last};
    }

    private static Metric accuracy(String key, Loss loss) {
        return new Metric(key) {
            @Override
            double[] sumAndCount(INDArray yTrue, INDArray yPred) {
                int last = yPred.rank() - 1;
                long classes = yPred.size(last);
                String kind = switch (loss.name()) {
                    case "binary_crossentropy" -> "binary";
                    case "categorical_crossentropy" -> "categorical";
                    case "sparse_categorical_crossentropy" -> "sparse";
                    default -> classes == 1 ? "binary" : yTrue.rank() < yPred.rank()
                            || yTrue.size(yTrue.rank() - 1) == 1 ? "sparse" : "categorical";
                };
                INDArray correct;
                if (kind.equals("binary")) {
                    // Keras's binary_accuracy: prediction > 0.5 (threshold), compared with the label.
                    INDArray predicted = yPred.gt(0.5).castTo(DataType.FLOAT);
                    correct = predicted.eq(yTrue.reshape('c', yPred.shape())).castTo(DataType.FLOAT);
                    return new double[] {correct.sumNumber().doubleValue() / classes, (double) correct.length() / classes};
                }
                INDArray predictedClass = yPred.argMax(last);
                INDArray trueClass = kind.equals("sparse") ? yTrue.reshape('c', predictedClass.shape())
                        : yTrue.argMax(last);
                correct = predictedClass.castTo(DataType.FLOAT).eq(trueClass.castTo(DataType.FLOAT))
                        .castTo(DataType.FLOAT);
                return new double[] {correct.sumNumber().doubleValue(), correct.length()};
            }
        };
    }
}
