package org.shapelab.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * A layer joining several tensors into one (Keras's {@code _Merge}): {@link Add}, {@link Subtract},
 * {@link Multiply}, {@link Average}, {@link Maximum}, {@link Minimum}, {@link Concatenate} and {@link Dot}. Merges
 * have no weights; each subclass says how the shapes must agree.
 */
public abstract class Merge extends Layer {

    /** Most merges take two or more tensors; Subtract and Dot exactly two. */
    protected int minInputs() {
        return 2;
    }

    protected int maxInputs() {
        return Integer.MAX_VALUE;
    }

    @Override
    protected final Shape computeOutputShape(Shape input) {
        throw inputError(input).expected("a list of at least 2 tensors", Shape.Kind.SUMMARY)
                .problem("a merge layer joins tensors, so it must be called on a list of them (Keras: \"A merge"
                        + " layer should be called on a list of inputs\").")
                .fix("pass every branch: new " + kerasClassName() + "().apply(a, b)").build();
    }

    @Override
    protected final List<Shape> computeOutputShapes(List<Shape> inputs) {
        if (inputs.size() < minInputs() || inputs.size() > maxInputs()) {
            String count = minInputs() == maxInputs() ? "exactly " + minInputs() : "at least " + minInputs();
            throw new ShapeException("Layer " + describe() + " must be called on " + count + " tensors, but got "
                    + inputs.size() + ": " + shapesText(inputs) + " (Keras: \"A `" + kerasClassName() + "` layer should"
                    + " be called on " + count + " inputs. Received: input_shape=" + shapesText(inputs) + "\"). Fix: " + (inputs.size() < minInputs()
                    ? "pass every branch to apply(...)" : "merge two tensors at a time") + ".");
        }
        int batch = Shape.NONE;
        for (Shape input : inputs) {
            if (input.batchSize() != Shape.NONE) {
                if (batch != Shape.NONE && batch != input.batchSize()) {
                    throw mismatch(inputs, "their fixed batch sizes differ (Keras: \"Cannot merge tensors with"
                            + " different batch sizes\")", "give every Input the same batch_size");
                }
                batch = input.batchSize();
            }
        }
        return List.of(mergedShape(inputs));
    }

    /** The output's summary shape for inputs already counted. */
    protected abstract Shape mergedShape(List<Shape> inputs);

    /** A complete message about inputs whose shapes cannot be joined. */
    protected final ShapeException mismatch(List<Shape> inputs, String problem, String fix) {
        return ShapeException.at(describe()).expected(expectedText(inputs), Shape.Kind.SUMMARY)
                .received(inputs.get(0)).receivedFrom("inputs " + shapesText(inputs))
                .problem(problem + ".").fix(fix).build();
    }

    /** What the layer expects of its inputs, in words with shapes, for messages. */
    protected abstract String expectedText(List<Shape> inputs);

    static String shapesText(List<Shape> shapes) {
        List<String> texts = new ArrayList<>();
        shapes.forEach(s -> texts.add(s.toString()));
        return "[" + String.join(", ", texts) + "]";
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
    }
}
