package org.shapelab.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * What {@code fit} returns, as Keras's {@code History}: per epoch the loss and every metric ({@code loss},
 * {@code accuracy}, {@code val_loss}, ...), in {@link #history()}; as a tablesaw {@link #table()}; and drawn as
 * curves (ShapeLab's display renders it in a notebook).
 */
public final class History {

    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private final List<Integer> epochs = new ArrayList<>();
    /** Training's batches per epoch and samples, for the summary line. */
    private final int stepsPerEpoch;
    private final long samples;

    History(int stepsPerEpoch, long samples) {
        this.stepsPerEpoch = stepsPerEpoch;
        this.samples = samples;
    }

    void add(int epoch, Map<String, Double> logs) {
        epochs.add(epoch);
        logs.forEach((key, value) -> values.computeIfAbsent(key, k -> new ArrayList<>()).add(value));
    }

    /** Keras's {@code history.history}: key to one value per epoch. */
    public Map<String, List<Double>> history() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        values.forEach((key, list) -> copy.put(key, Collections.unmodifiableList(new ArrayList<>(list))));
        return Collections.unmodifiableMap(copy);
    }

    /** Keras's {@code history.epoch}: the epochs that ran, from 0. */
    public List<Integer> epoch() {
        return List.copyOf(epochs);
    }

    /** The batches of one epoch. */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** How many training samples each epoch saw. */
    public long samples() {
        return samples;
    }

    /** One row per epoch (counted from 1, as the progress shows them), one column per key. */
    public Table table() {
        Table table = Table.create("history").addColumns(IntColumn.create("epoch",
                epochs.stream().mapToInt(e -> e + 1).toArray()));
        values.forEach((key, list) -> table.addColumns(DoubleColumn.create(key, list)));
        return table;
    }

    @Override
    public String toString() {
        return "History(" + epochs.size() + (epochs.size() == 1 ? " epoch of " : " epochs of ") + stepsPerEpoch + " steps, " + samples + " samples): "
                + values.keySet();
    }
}
