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
    double[] sumAndCount(INDArray yTrue, INDArray yPred) {
        return sumAndCount(yTrue, yPred, null);
    }

    /**
     * As {@link #sumAndCount(INDArray, INDArray)} under the output's mask, as Keras 3 weighs metrics with it: only the
     * real steps count. A mask that does not fit yPred's steps is ignored.
     */
    double[] sumAndCount(INDArray yTrue, INDArray yPred, INDArray mask) {
        INDArray values = perPosition(yTrue, yPred);
        if (mask != null && java.util.Arrays.equals(mask.shape(), values.shape())) {
            INDArray weights = mask.castTo(DataType.FLOAT);
            return new double[] {values.mul(weights).sumNumber().doubleValue(), weights.sumNumber().doubleValue()};
        }
        return new double[] {values.sumNumber().doubleValue(), values.length()};
    }

    /** The metric at each prediction: yPred's shape without its last axis. */
    abstract INDArray perPosition(INDArray yTrue, INDArray yPred);

    static Metric of(String name, Loss loss) {
        String key = name == null ? "" : name.trim();
        switch (key.toLowerCase(Locale.ROOT)) {
            case "accuracy", "acc":
                return accuracy(key, loss);
            case "mae", "mean_absolute_error":
                return new Metric(key) {
                    @Override
                    INDArray perPosition(INDArray yTrue, INDArray yPred) {
                        return lastAxisMean(Transforms.abs(yPred.sub(yTrue), false));
                    }
                };
            case "mse", "mean_squared_error":
                return new Metric(key) {
                    @Override
                    INDArray perPosition(INDArray yTrue, INDArray yPred) {
                        INDArray diff = yPred.sub(yTrue);
                        return lastAxisMean(diff.muli(diff));
                    }
                };
            default:
                String closest = Names.closest(key, List.of("accuracy", "mae", "mse"));
                throw new ShapeException("Unknown metric '" + name + "'." + (closest != null ? " Did you mean '"
                        + closest + "'?" : "") + " Metrics: accuracy, mae, mse.");
        }
    }

    /** Mean over the last axis of each prediction: Keras's per-sample value for mae, mse and binary accuracy. */
    private static INDArray lastAxisMean(INDArray values) {
        return values.mean(values.rank() - 1);
    }

    private static Metric accuracy(String key, Loss loss) {
        return new Metric(key) {
            @Override
            INDArray perPosition(INDArray yTrue, INDArray yPred) {
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
                    return lastAxisMean(correct);
                }
                INDArray predictedClass = yPred.argMax(last);
                INDArray trueClass = kind.equals("sparse") ? yTrue.reshape('c', predictedClass.shape())
                        : yTrue.argMax(last);
                correct = predictedClass.castTo(DataType.FLOAT).eq(trueClass.castTo(DataType.FLOAT))
                        .castTo(DataType.FLOAT);
                return correct;
            }
        };
    }
}
