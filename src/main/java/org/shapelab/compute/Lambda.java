package org.shapelab.compute;

import java.util.Map;
import java.util.function.UnaryOperator;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.Layer;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * Your own function as a layer, like Keras's {@code Lambda}: {@code new Lambda(x -> x.mul(2))}.
 *
 * <p>The function receives the whole batch, shaped {@code (BatchSize, ...)} as Keras passes it, as a float32
 * ND4J array of its own (a copy, so in-place ops are safe), and returns the batch's output with the batch
 * axis first. Do not keep the arrays: during {@code predict} they live in a reused memory workspace.
 *
 * <p>Output shape: give the sample shape, {@code new Lambda(fn, 4)} for {@code (None, 4)}, or leave it out and
 * ShapeLab finds it when the layer is added by running the function on a probe batch of 2 samples of ones.
 * If the input has None axes they are 1 in that probe; a second probe with 2 there marks as None every output
 * axis that changed length with them. Exceptions thrown by the function become a {@link ShapeException} naming
 * the layer, the array shape it received and the original exception's class and message.
 *
 * <p>In Keras JSON the function is written as {@code "<java lambda>"}; it cannot be read back.
 */
public final class Lambda extends Layer {

    private static final int PROBE_BATCH = 2;

    private final UnaryOperator<INDArray> function;
    private final int[] outputSampleDims;

    /**
     * @param function         maps a batch {@code (BatchSize, ...)} to a batch
     * @param outputSampleDims one output sample's shape (no batch axis; {@link Shape#NONE} for unknown axes),
     *                         or nothing to infer it
     */
    public Lambda(UnaryOperator<INDArray> function, int... outputSampleDims) {
        if (function == null) {
            throw new ShapeException("Lambda needs a function on the batch, e.g. new Lambda(x -> x.mul(2)).");
        }
        this.function = function;
        this.outputSampleDims = outputSampleDims.length == 0 ? null : Shape.sample(outputSampleDims).dims();
    }

    @Override
    protected Shape computeOutputShape(Shape input) {
        if (outputSampleDims != null) {
            return Shape.sample(outputSampleDims).withBatch();
        }
        Nd4jRuntime.ensureLoaded();
        int[] sample = input.sampleShape().dims();
        long[] first = probe(sample, 1);
        if (input.isSampleFullyKnown()) {
            return summaryOf(first);
        }
        long[] second = probe(sample, 2);
        if (second.length != first.length) {
            throw inputError(input).expected("the same number of output axes for every input length", null)
                    .problem("the function returned " + first.length + " axes when the None axes were 1 long but "
                            + second.length + " when they were 2 long.")
                    .fix("give the output shape explicitly: new Lambda(fn, dims...)").build();
        }
        long[] merged = first.clone();
        for (int i = 1; i < merged.length; i++) {
            if (first[i] != second[i]) {
                merged[i] = Shape.NONE;
            }
        }
        return summaryOf(merged);
    }

    private long[] probe(int[] sample, int noneLength) {
        long[] shape = new long[sample.length + 1];
        shape[0] = PROBE_BATCH;
        for (int i = 0; i < sample.length; i++) {
            shape[i + 1] = sample[i] == Shape.NONE ? noneLength : sample[i];
        }
        INDArray out = apply(Nd4j.ones(DataType.FLOAT, shape), true);
        if (out.rank() == 0 || out.size(0) != PROBE_BATCH) {
            throw inputError(Shape.array(shape)).expected("(BatchSize, ...) out for (BatchSize, ...) in", null)
                    .problem("the function returned an array of shape " + Shape.array(out.shape()) + " for a batch of "
                            + PROBE_BATCH + " samples; a layer must keep the batch axis first, one result per sample.")
                    .fix("compute per sample along axis 1 and beyond (e.g. x.sum(1) instead of x.sum(0)), keeping"
                            + " axis 0 for the batch").build();
        }
        return out.shape().clone();
    }

    private static Shape summaryOf(long[] shape) {
        int[] dims = new int[shape.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = (int) shape[i];
        }
        return Shape.summary(dims);
    }

    /** The forward pass: the function on a copy of the batch, checked against the layer's output shape. */
    INDArray call(INDArray batch) {
        INDArray out = apply(batch.dup(), false);
        Shape declared = outputShape();
        boolean fits = out.rank() == declared.rank() && out.size(0) == batch.size(0);
        for (int i = 1; fits && i < declared.rank(); i++) {
            fits = declared.get(i) == Shape.NONE || declared.get(i) == out.size(i);
        }
        if (!fits) {
            throw ShapeException.at(describe()).expected(declared.toString(), Shape.Kind.SUMMARY)
                    .received(Shape.array(out.shape()))
                    .receivedFrom("the function's result for an input of " + Shape.array(batch.shape()))
                    .problem("the function returned an array of shape " + Shape.array(out.shape())
                            + ", which is not the layer's output shape " + declared + ".")
                    .fix(outputSampleDims != null ? "correct the output shape given to new Lambda(fn, ...), or leave it"
                            + " out so that ShapeLab infers it" : "make the function's output shape depend only on"
                            + " the input's shape, the same for every batch").build();
        }
        return out.dataType() == DataType.FLOAT ? out : out.castTo(DataType.FLOAT);
    }

    private INDArray apply(INDArray batch, boolean probing) {
        INDArray out;
        try {
            out = function.apply(batch);
        } catch (RuntimeException e) {
            Shape received = Shape.array(batch.shape());
            throw ShapeException.at(describe()).received(received)
                    .receivedFrom(probing ? "a probe batch of ones that finds the output shape" : "the batch")
                    .problem("the function threw " + e.getClass().getName() + ": " + e.getMessage()
                            + " (on an array of shape " + received + ").")
                    .fix("make the function work on a whole batch " + received + ", batch axis first"
                            + (probing ? "; or give the output shape, new Lambda(fn, dims...), so that ShapeLab does"
                            + " not need to run it while building" : ""))
                    .build();
        }
        if (out == null) {
            throw ShapeException.at(describe()).received(Shape.array(batch.shape()))
                    .problem("the function returned null instead of an array.")
                    .fix("return the result array, e.g. x -> x.mul(2)").build();
        }
        return out;
    }

    @Override
    protected void writeConfig(Map<String, Object> config) {
        config.put("function", "<java lambda>");
        config.put("output_shape", outputSampleDims == null ? null : sizesForJson(outputSampleDims));
    }
}
