package org.shapelab.training;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.shape.ShapeException;

/**
 * {@code fit}'s keyword arguments, with Keras's defaults: {@code FitOptions.epochs(5).batchSize(32)
 * .validationSplit(0.2).callbacks(new EarlyStopping().patience(2))}.
 */
public final class FitOptions {

    int epochs = 1;
    int batchSize = 32;
    double validationSplit;
    INDArray validationX;
    INDArray validationY;
    boolean shuffle = true;
    int verbose = 1;
    final List<Callback> callbacks = new ArrayList<>();

    private FitOptions() {
    }

    /** Options for this many epochs (Keras's default is 1). */
    public static FitOptions epochs(int epochs) {
        return new FitOptions().withEpochs(epochs);
    }

    private FitOptions withEpochs(int value) {
        if (value < 1) {
            throw new ShapeException("fit: epochs=" + value + " is not valid: an epoch is one pass over the data, so"
                    + " at least 1.");
        }
        this.epochs = value;
        return this;
    }

    /** Samples per step (Keras's default 32); the last batch of an epoch holds what is left. */
    public FitOptions batchSize(int value) {
        if (value < 1) {
            throw new ShapeException("fit: batch_size=" + value + " is not valid: a batch holds at least one sample"
                    + " (Keras's default is 32).");
        }
        this.batchSize = value;
        return this;
    }

    /** The last fraction of the samples (taken before shuffling, as Keras) is held out to validate each epoch. */
    public FitOptions validationSplit(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new ShapeException("fit: validation_split=" + fraction + " is not valid: a fraction in [0, 1), e.g."
                    + " 0.2 for the last 20% of the samples.");
        }
        this.validationSplit = fraction;
        return this;
    }

    /** Data to validate each epoch on (takes precedence over validationSplit, as in Keras). */
    public FitOptions validationData(INDArray x, INDArray y) {
        this.validationX = x;
        this.validationY = y;
        return this;
    }

    /** Whether each epoch sees the samples in a new order (default true; reproducible from the model's seed). */
    public FitOptions shuffle(boolean value) {
        this.shuffle = value;
        return this;
    }

    /** 0 silent, 1 a progress bar (default), 2 one line per epoch. */
    public FitOptions verbose(int value) {
        if (value < 0 || value > 2) {
            throw new ShapeException("fit: verbose=" + value + " is not valid: 0 (silent), 1 (progress bar) or 2 (one"
                    + " line per epoch).");
        }
        this.verbose = value;
        return this;
    }

    public FitOptions callbacks(Callback... values) {
        callbacks.addAll(List.of(values));
        return this;
    }
}
