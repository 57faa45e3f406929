package org.shapelab.training;

import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.shape.ShapeException;

/**
 * Keras's {@code EarlyStopping}: stops training when the monitored value ({@code val_loss} by default) has not
 * improved by more than {@code minDelta} for {@code patience} epochs; lower is better for losses and errors, higher
 * for accuracy (Keras's {@code mode="auto"}). With {@code restoreBestWeights} the model gets back the weights of its
 * best epoch when training ends, as Keras 3 does (tf.keras 2 restored them only when it stopped early).
 */
public final class EarlyStopping implements Callback {

    private final String monitor;
    private int patience;
    private double minDelta;
    private boolean restoreBestWeights;
    private boolean higherIsBetter;

    private double best;
    private int wait;
    private boolean stop;
    private int stoppedEpoch = -1;
    private List<INDArray> bestWeights;
    private WeightAccess weights;

    /** What EarlyStopping needs of the model to restore weights: copies out, copies back in. */
    interface WeightAccess {
        List<INDArray> copy();

        void restore(List<INDArray> weights);
    }

    public EarlyStopping() {
        this("val_loss");
    }

    public EarlyStopping(String monitor) {
        this.monitor = monitor;
        this.higherIsBetter = monitor.endsWith("accuracy") || monitor.endsWith("acc");
    }

    public EarlyStopping patience(int epochs) {
        if (epochs < 0) {
            throw new ShapeException("EarlyStopping patience=" + epochs + " is not valid: it counts epochs, 0 or more.");
        }
        this.patience = epochs;
        return this;
    }

    public EarlyStopping minDelta(double value) {
        this.minDelta = Math.abs(value);
        return this;
    }

    public EarlyStopping restoreBestWeights(boolean value) {
        this.restoreBestWeights = value;
        return this;
    }

    /** {@code "min"}, {@code "max"} or {@code "auto"} (the default: max for accuracy, else min). */
    public EarlyStopping mode(String mode) {
        switch (mode) {
            case "min" -> higherIsBetter = false;
            case "max" -> higherIsBetter = true;
            case "auto" -> higherIsBetter = monitor.endsWith("accuracy") || monitor.endsWith("acc");
            default -> throw new ShapeException("EarlyStopping mode '" + mode + "' is not valid: min, max or auto.");
        }
        return this;
    }

    /** The epoch training stopped after (from 0), or -1 if it ran every epoch. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    void attach(WeightAccess access) {
        this.weights = access;
    }

    @Override
    public void onTrainBegin() {
        best = higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        wait = 0;
        stop = false;
        stoppedEpoch = -1;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        Double value = logs.get(monitor);
        if (value == null) {
            throw new ShapeException("EarlyStopping monitors '" + monitor + "', which this fit does not log; it logs "
                    + String.join(", ", logs.keySet()) + ". Fix: monitor one of those"
                    + (monitor.startsWith("val_") ? ", or give fit validation data (validationSplit or"
                    + " validationData)" : "") + ".");
        }
        boolean improved = higherIsBetter ? value - minDelta > best : value + minDelta < best;
        if (improved) {
            best = value;
            wait = 0;
            if (restoreBestWeights && weights != null) {
                bestWeights = weights.copy();
            }
            return;
        }
        wait++;
        if (wait >= patience && epoch > 0) {
            stop = true;
            stoppedEpoch = epoch;
        }
    }

    @Override
    public void onTrainEnd() {
        if (restoreBestWeights && bestWeights != null && weights != null) {
            weights.restore(bestWeights);
        }
    }

    @Override
    public boolean stopTraining() {
        return stop;
    }
}
