package org.shapelab.compute;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.Embedding;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/**
 * Looks rows of the table up with libnd4j's {@code gather}. Ids arrive as floats and are cast to integers the
 * way Keras casts them (towards zero); an id outside {@code 0 .. input_dim-1} is the learner's mistake and gets
 * a message with the id, where it is, and input_dim (Keras on CPU fails too, TensorFlow.js silently returns 0s).
 */
final class EmbeddingComputation implements Computation {

    private final Embedding layer;
    private final INDArray table;
    private final NativeOp gather = new NativeOp("gather", 0);

    EmbeddingComputation(Embedding layer, INDArray table) {
        this.layer = layer;
        this.table = table;
    }

    @Override
    public INDArray forward(INDArray input, INDArray mask) {
        INDArray ids = input.castTo(DataType.INT32);
        if (ids.minNumber().intValue() < 0 || ids.maxNumber().intValue() >= layer.inputDim()) {
            throw outOfRange(input);
        }
        long[] shape = Arrays.copyOf(input.shape(), input.rank() + 1);
        shape[input.rank()] = table.size(1);
        return gather.run(gather.output(shape), table, ids);
    }

    // ---- training ----

    private INDArray trainedIds;
    private final NativeOp scatterAdd = new NativeOp("scatter_add");

    @Override
    public boolean trains() {
        return true;
    }

    @Override
    public INDArray forwardTraining(INDArray input, INDArray mask, TrainingStep step) {
        trainedIds = input.castTo(DataType.INT32).dup('c');
        return forward(input, mask).dup('c');
    }

    /** Each looked-up row gets the gradients of every place it was looked up at, summed (a dense gradient). */
    @Override
    public INDArray backward(INDArray gradient, INDArray[] weightGradients) {
        long width = table.size(1);
        INDArray rows = gradient.dup('c').reshape('c', gradient.length() / width, width);
        INDArray dTable = Nd4j.zeros(DataType.FLOAT, table.shape());
        scatterAdd.runAll(new INDArray[] {dTable}, dTable, trainedIds.reshape(trainedIds.length()), rows);
        weightGradients[0] = dTable;
        // Token ids have no gradient: nothing before an Embedding trains through it.
        return Nd4j.zeros(DataType.FLOAT, trainedIds.shape());
    }

    @Override
    public INDArray outputMask(INDArray input, INDArray mask) {
        return layer.maskZero() ? input.castTo(DataType.INT32).neq(0).castTo(DataType.FLOAT) : null;
    }

    private ShapeException outOfRange(INDArray input) {
        float[] values = input.dup('c').data().asFloat();
        int vocabulary = layer.inputDim();
        int first = -1;
        float largest = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            boolean valid = values[i] > -1 && values[i] < vocabulary;
            if (!valid && first < 0) {
                first = i;
            }
            largest = Math.max(largest, values[i]);
        }
        float id = values[first];
        String idText = id == Math.rint(id) ? Long.toString((long) id) : Float.toString(id);
        String fix = Float.isNaN(id) || Float.isInfinite(id) || id < 0
                ? "token ids are whole numbers from 0; check how the text was turned into ids"
                : "make input_dim at least " + ((long) largest + 1) + " (the largest id + 1), or map rare tokens to"
                + " an id below " + vocabulary + " (e.g. one id for 'unknown')";
        return ShapeException.at(layer.describe())
                .expected("token ids 0 .. " + (vocabulary - 1), null)
                .received(Shape.array(input.shape()))
                .problem("token id " + idText + " at position " + position(first, input.shape())
                        + " is outside the vocabulary: input_dim is " + vocabulary + ", so ids go from 0 to "
                        + (vocabulary - 1) + ".")
                .fix(fix).build();
    }

    /** The index tuple of the {@code flat}-th element in row-major order, e.g. {@code (0, 3)}. */
    private static String position(int flat, long[] shape) {
        int[] index = new int[shape.length];
        long rest = flat;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            index[axis] = (int) (rest % shape[axis]);
            rest /= shape[axis];
        }
        return Shape.tupleText(index);
    }
}
