package org.shapelab.compute;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One libnd4j op, called by name, with its argument context built once and reused on every call.
 *
 * <p>Building a {@code DynamicCustomOp} and its native context per call costs more than a small matrix product
 * itself, and {@code INDArray.mmul} / {@code Nd4j.gemm} add copies into Fortran order; reusing the context makes
 * a (16, 32)·(32, 64) product several times cheaper. The arguments stay in the context; the arrays are purged
 * after every call. A kernel creates its ops outside any workspace and calls them from one thread at a time
 * (the runtime synchronizes), writing into outputs it sized itself.
 */
final class NativeOp {

    private final DynamicCustomOp op;
    private final OpContext context;

    NativeOp(String name, long... intArgs) {
        this.op = DynamicCustomOp.builder(name).build();
        this.context = Nd4j.getExecutioner().buildContext();
        context.setIArguments(intArgs);
    }

    NativeOp booleans(boolean... args) {
        context.setBArguments(args);
        return this;
    }

    NativeOp floats(double... args) {
        context.setTArguments(args);
        return this;
    }

    /** Runs the op on {@code inputs}, writing {@code output}, which it returns. */
    INDArray run(INDArray output, INDArray... inputs) {
        for (int i = 0; i < inputs.length; i++) {
            context.setInputArray(i, inputs[i]);
        }
        context.setOutputArray(0, output);
        try {
            Nd4j.getExecutioner().exec(op, context);
        } finally {
            // A reused context keeps every array it was given (natively too) until purged: without this,
            // each call leaks the arrays' native handles and pins their buffers.
            context.purge();
        }
        return output;
    }

    /** A float32 array to be overwritten completely by an op. */
    static INDArray empty(long... shape) {
        return Nd4j.createUninitialized(DataType.FLOAT, shape);
    }
}
