package org.shapelab.compute;

import java.util.Iterator;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.layers.Layer;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * What a batch looked like before and after every layer: the arrays themselves and their concrete shapes,
 * next to the summary shape with None. {@code toString()} prints the table.
 */
public final class Trace implements Iterable<Trace.Step> {

    /**
     * One layer's part of the forward pass.
     *
     * @param layer       the layer
     * @param input       the array it received (batch first, float32)
     * @param output      the array it produced
     * @param inputShape  the input's concrete {@link Shape.Kind#ARRAY} shape, e.g. {@code (3, 5)}
     * @param outputShape the output's concrete array shape, e.g. {@code (3, 4)}
     */
    public record Step(Layer layer, INDArray input, INDArray output, Shape inputShape, Shape outputShape) {

        Step(Layer layer, INDArray input, INDArray output) {
            this(layer, input, output, Shape.array(input.shape()), Shape.array(output.shape()));
        }
    }

    private final String modelName;
    private final INDArray input;
    private final List<Step> steps;

    Trace(String modelName, INDArray input, List<Step> steps) {
        this.modelName = modelName;
        this.input = input;
        this.steps = List.copyOf(steps);
    }

    /** The layers' steps in order. */
    public List<Step> steps() {
        return steps;
    }

    /** The batch as the first layer received it (float32). */
    public INDArray input() {
        return input;
    }

    /** The model's output, the last layer's output (the input for a model without layers). */
    public INDArray output() {
        return steps.isEmpty() ? input : steps.get(steps.size() - 1).output();
    }

    /** The step of the layer with this name. */
    public Step step(String layerName) {
        for (Step step : steps) {
            if (step.layer().name().equals(layerName)) {
                return step;
            }
        }
        throw new ShapeException("This trace has no layer named \"" + layerName + "\". Its layers: "
                + String.join(", ", steps.stream().map(s -> s.layer().name()).toList()) + ".");
    }

    @Override
    public Iterator<Step> iterator() {
        return steps.iterator();
    }

    /**
     * A table: layer (type), the concrete input and output array shapes, and the summary output shape with None.
     */
    @Override
    public String toString() {
        String[] header = {"Layer (type)", "Input (array)", "Output (array)", "Output (summary)"};
        int[] widths = {28, 18, 18, 18};
        for (Step step : steps) {
            widths[0] = Math.max(widths[0], name(step.layer()).length() + 2);
            widths[1] = Math.max(widths[1], step.inputShape().toString().length() + 2);
            widths[2] = Math.max(widths[2], step.outputShape().toString().length() + 2);
            widths[3] = Math.max(widths[3], step.layer().outputShape().toString().length() + 2);
        }
        StringBuilder text = new StringBuilder("Trace of \"").append(modelName).append("\" on an array of shape ")
                .append(Shape.array(input.shape())).append('\n');
        row(text, widths, header);
        for (Step step : steps) {
            row(text, widths, name(step.layer()), step.inputShape().toString(), step.outputShape().toString(),
                    step.layer().outputShape().toString());
        }
        return text.toString();
    }

    private static String name(Layer layer) {
        return layer.name() + " (" + layer.kerasClassName() + ")";
    }

    private static void row(StringBuilder text, int[] widths, String... cells) {
        StringBuilder line = new StringBuilder(" ");
        for (int i = 0; i < cells.length; i++) {
            line.append(i < cells.length - 1 ? pad(cells[i], widths[i]) : cells[i]);
        }
        text.append(line).append('\n');
    }

    private static String pad(String cell, int width) {
        return cell + " ".repeat(Math.max(1, width - cell.length()));
    }
}
