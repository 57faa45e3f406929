package org.shapelab.bench;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One prepared libnd4j custom-op call: op name, input and (preallocated) output arrays and arguments fixed
 * once, so that the hot path is a single native call. {@code viaContext} keeps a persistent {@link OpContext};
 * otherwise the op object is executed as it is ({@code Nd4j.exec(op)}), which builds a context per call.
 */
final class Nd4jOps {

    private final CustomOp op;
    private final OpContext context;

    private Nd4jOps(CustomOp op, OpContext context) {
        this.op = op;
        this.context = context;
    }

    static Builder call(String name) {
        return new Builder(name);
    }

    /** Runs the op; the results are in the output arrays given at build time. */
    void run() {
        if (context != null) {
            Nd4j.getExecutioner().exec(op, context);
        } else {
            Nd4j.getExecutioner().exec(op);
        }
    }

    /** Replaces input {@code index} (e.g. a new batch) without rebuilding the call. */
    void setInput(int index, INDArray array) {
        if (context != null) {
            context.setInputArray(index, array);
        } else {
            ((DynamicCustomOp) op).setInputArgument(index, array);
        }
    }

    static final class Builder {
        private final String name;
        private INDArray[] inputs = new INDArray[0];
        private INDArray[] outputs = new INDArray[0];
        private long[] iArgs = new long[0];
        private double[] tArgs = new double[0];
        private boolean[] bArgs = new boolean[0];
        private boolean helpers = true;

        private Builder(String name) {
            this.name = name;
        }

        Builder in(INDArray... arrays) {
            inputs = arrays;
            return this;
        }

        Builder out(INDArray... arrays) {
            outputs = arrays;
            return this;
        }

        Builder i(long... values) {
            iArgs = values;
            return this;
        }

        Builder t(double... values) {
            tArgs = values;
            return this;
        }

        Builder b(boolean... values) {
            bArgs = values;
            return this;
        }

        /** {@code false}: this call skips platform helpers (oneDNN) and runs libnd4j's own kernel. */
        Builder helpers(boolean allowed) {
            helpers = allowed;
            return this;
        }

        Nd4jOps build(boolean viaContext) {
            if (viaContext) {
                DynamicCustomOp op = DynamicCustomOp.builder(name).build();
                OpContext context = Nd4j.getExecutioner().buildContext();
                context.setInputArrays(inputs);
                context.setOutputArrays(outputs);
                context.setIArguments(iArgs);
                if (tArgs.length > 0) {
                    context.setTArguments(tArgs);
                }
                if (bArgs.length > 0) {
                    context.setBArguments(bArgs);
                }
                context.allowHelpers(helpers);
                return new Nd4jOps(op, context);
            }
            DynamicCustomOp.DynamicCustomOpsBuilder builder = DynamicCustomOp.builder(name)
                    .addInputs(inputs).addOutputs(outputs);
            if (iArgs.length > 0) {
                int[] ints = new int[iArgs.length];
                for (int k = 0; k < iArgs.length; k++) {
                    ints[k] = Math.toIntExact(iArgs[k]);
                }
                builder.addIntegerArguments(ints);
            }
            Double[] boxed = new Double[tArgs.length];
            for (int k = 0; k < tArgs.length; k++) {
                boxed[k] = tArgs[k];
            }
            if (boxed.length > 0) {
                builder.addFloatingPointArguments(boxed);
            }
            if (bArgs.length > 0) {
                builder.addBooleanArguments(bArgs);
            }
            return new Nd4jOps(builder.build(), null);
        }
    }
}
