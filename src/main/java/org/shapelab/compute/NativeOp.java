package org.shapelab.compute;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * One libnd4j op, called by name, with its argument context built once and reused on every call.
 *
 * <p>Building a {@code DynamicCustomOp} and its native context per call costs more than a small matrix product
 * itself, and {@code INDArray.mmul} / {@code Nd4j.gemm} add copies into Fortran order; reusing the context makes
 * a (16, 32)·(32, 64) product several times cheaper. The arguments stay in the context, and so do the arrays of
 * the last call (see {@link #run}). A kernel creates its ops outside any workspace and calls them from one thread
 * at a time (the runtime synchronizes), writing into outputs it sized itself.
 *
 * <p><b>Reused outputs.</b> A fresh off-heap array costs far more than most ops that fill it: ND4J touches every
 * new page (3.4 ms for the 5.5 MB output of a small Conv2D batch on this project's benchmark machine, where the
 * op itself takes 0.7 ms; tools/bench/probe allocation), and the memory is only freed when the Java heap is
 * collected. So an op keeps one output array, {@link #output}, and writes into it again on the next call with the
 * same shape, while {@link #reusingOutputs} is on: the runtime turns it on for {@code predict}, which hands the
 * caller a copy of the last layer's output. Outside it ({@code trace}, which keeps every layer's arrays) every
 * call gets a new array.
 */
final class NativeOp {

    private static final ThreadLocal<Boolean> REUSE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final String name;
    /** The op as ND4J describes it, for asking libnd4j's shape function about arguments before a call. */
    private final DynamicCustomOp descriptor;
    /** libnd4j's id of the op, found once by name. */
    private final long hash;
    private final OpContext context;
    private INDArray reused;
    private boolean oneDnnRefused;
    private boolean helpersAllowed = true;
    /** The arrays bound to the context by the last call: its output, then its inputs. */
    private INDArray[] bound;

    NativeOp(String name, long... intArgs) {
        this.name = name;
        this.descriptor = DynamicCustomOp.builder(name).build();
        this.hash = descriptor.opHash();
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

    /**
     * Runs libnd4j's own implementation instead of the oneDNN one (a no-op on builds without oneDNN). In
     * 1.0.0-M2.1 oneDNN refuses dilated convolutions ("could not create a descriptor for a dilated convolution")
     * and fails lstmLayer when it returns the whole sequence ("object is not initialized").
     */
    NativeOp withoutOneDnn(boolean when) {
        oneDnnRefused = when;
        context.allowHelpers(!when);
        return this;
    }

    /**
     * Whether the next calls may use oneDNN, decided per call from the size of the work: oneDNN sets up its
     * kernels on every call, which costs more than small products and pools take in libnd4j's own code (a
     * one-sample Dense 120->84 took 26-31 µs with oneDNN, 11-17 µs without; a 64-image pooling took 0.68 ms with
     * oneDNN, 1.4 ms without).
     */
    NativeOp oneDnnIf(boolean worthIt) {
        boolean allow = worthIt && !oneDnnRefused;
        if (allow != helpersAllowed) {
            context.allowHelpers(allow);
            helpersAllowed = allow;
        }
        return this;
    }

    /**
     * Runs the op on {@code inputs}, writing {@code output}, which it returns. The arrays stay bound to the
     * context: a call with the very same array objects (reused buffers, as in every layer after the first) only
     * runs the op, which saves re-describing each array to libnd4j (a few µs per array, most of a small op's
     * time). Other arrays replace them; the context then drops the previous ones first, since it keeps (and
     * pins) every array it was ever given until purged.
     */
    INDArray run(INDArray output, INDArray... inputs) {
        if (!isBound(output, inputs)) {
            context.purge();
            bound = null;
            for (int i = 0; i < inputs.length; i++) {
                context.setInputArray(i, inputs[i]);
            }
            context.setOutputArray(0, output);
            checkArguments(new INDArray[] {output}, inputs);
            bound = new INDArray[inputs.length + 1];
            bound[0] = output;
            System.arraycopy(inputs, 0, bound, 1, inputs.length);
        }
        execute(inputs, output);
        return output;
    }

    /**
     * Runs an op with several outputs (the backward ops: {@code conv2d_bp} gives the input's, the kernel's and the
     * bias's gradients), binding its arrays anew on each call (they are a training step's own) and checking every
     * output's shape first.
     */
    void runAll(INDArray[] outputs, INDArray... inputs) {
        context.purge();
        bound = null;
        for (int i = 0; i < inputs.length; i++) {
            context.setInputArray(i, inputs[i]);
        }
        for (int i = 0; i < outputs.length; i++) {
            context.setOutputArray(i, outputs[i]);
        }
        checkArguments(outputs, inputs);
        execute(inputs, outputs);
        context.purge();
    }

    /** Calls libnd4j on the bound context; a failure names the op and its arrays. */
    private void execute(INDArray[] inputs, INDArray... outputs) {
        // Straight to libnd4j: ND4J's executioner adds profiling hooks and output lists, 0.4-1.6 µs per call
        // (tools/bench/probe call), up to a tenth of a small layer's time.
        NativeOps nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int status = nativeOps.execCustomOp2(null, hash, context.contextPointer());
        if ((status != 0 || nativeOps.lastErrorCode() != 0) && helpersAllowed && !oneDnnRefused
                && Nd4jRuntime.hasOneDnn()) {
            // oneDNN refuses some shapes libnd4j's own code computes (in 1.0.0-M2.1 a Conv1D whose strides are
            // longer than its "same"-padded input: "could not create a descriptor for a dilated convolution"). Its
            // refusal comes before it writes anything, so the op runs again without it, and stays without it.
            withoutOneDnn(true);
            helpersAllowed = false;
            // Reading the error clears it; otherwise the retry would seem to fail too.
            nativeOps.lastErrorMessage();
            status = nativeOps.execCustomOp2(null, hash, context.contextPointer());
        }
        if (status != 0 || nativeOps.lastErrorCode() != 0) {
            String message = nativeOps.lastErrorMessage();
            context.purge();
            bound = null;
            throw new IllegalStateException("libnd4j op " + name + " failed" + (message == null || message.isBlank()
                    ? " with status " + status : ": " + message) + "; inputs " + shapes(inputs) + ", output "
                    + shapes(outputs));
        }
    }

    /**
     * Refuses, before libnd4j runs, arguments it would mishandle: an empty array (most ops index past it), or an
     * output that is not the shape the op's own shape function computes from these inputs and arguments (the op
     * would write past the array's end and corrupt the native heap, which ends the JVM later and elsewhere). The
     * shape function checks ranks, sizes and axes as the op itself does, and fails with a message instead of a
     * crash. It runs only when new arrays are bound, so a loop over batches of one shape pays it once.
     */
    private void checkArguments(INDArray[] outputs, INDArray... inputs) {
        for (int i = 0; i < inputs.length + outputs.length; i++) {
            INDArray array = i < inputs.length ? inputs[i] : outputs[i - inputs.length];
            if (array == null || array.isEmpty()) {
                throw refused((array == null ? "null" : "an empty array " + Arrays.toString(array.shape())) + " as "
                        + (i < inputs.length ? "input " + i : "output " + (i - inputs.length)), inputs, outputs);
            }
        }
        List<LongShapeDescriptor> promised;
        try {
            promised = Nd4j.getExecutioner().calculateOutputShape(descriptor, context);
        } catch (RuntimeException e) {
            throw refused("arguments its shape function refuses (" + e.getMessage() + ")", inputs, outputs);
        }
        for (int i = 0; i < outputs.length; i++) {
            if (promised.size() <= i || !Arrays.equals(promised.get(i).getShape(), outputs[i].shape())) {
                throw refused((outputs.length == 1 ? "an output" : "output " + i) + " of shape "
                        + Arrays.toString(outputs[i].shape()) + " where it computes " + (promised.size() <= i
                        ? "no output" : Arrays.toString(promised.get(i).getShape())), inputs, outputs);
            }
        }
    }

    private IllegalArgumentException refused(String what, INDArray[] inputs, INDArray[] outputs) {
        context.purge();
        bound = null;
        return new IllegalArgumentException("libnd4j op " + name + " was not called: it would get " + what
                + "; inputs " + shapes(inputs) + ", output " + shapes(outputs));
    }

    private static String shapes(INDArray... arrays) {
        StringBuilder text = new StringBuilder();
        for (INDArray array : arrays) {
            text.append(text.length() == 0 ? "" : ", ").append(array == null ? "null"
                    : array.dataType() + Arrays.toString(array.shape()));
        }
        return text.toString();
    }

    /**
     * Runs {@code work} with libnd4j's OpenMP team limited to one thread (the calling thread's setting, restored
     * after; OpenBLAS keeps its threads: changing those costs 0.6 ms, and ND4J's {@code Environment.setMaxThreads}
     * has no effect in 1.0.0-M2.1). Small work gains nothing from a second thread and loses when another process
     * holds the other core: a one-sample LeNet took 181-204 µs this way against 191-263 µs on two threads
     * (tools/bench/probe threads, three runs), and the LSTM row's p90 fell from 56 to 13 ms (docs/performance.md).
     */
    static <T> T onOneThread(Supplier<T> work) {
        NativeOps nativeOps = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int threads = nativeOps.ompGetMaxThreads();
        nativeOps.setOmpNumThreads(1);
        try {
            return work.get();
        } finally {
            nativeOps.setOmpNumThreads(threads);
        }
    }

    private boolean isBound(INDArray output, INDArray[] inputs) {
        if (bound == null || bound.length != inputs.length + 1 || bound[0] != output) {
            return false;
        }
        for (int i = 0; i < inputs.length; i++) {
            if (bound[i + 1] != inputs[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The array this op's next result goes into: while {@link #reusingOutputs} is on, the same array as on the
     * previous call if the shape is the same (so only the latest result of an op is valid); otherwise a new one.
     * Use it for an op that runs once per layer call.
     */
    INDArray output(long... shape) {
        if (!REUSE.get()) {
            return empty(shape);
        }
        if (reused == null || !Arrays.equals(reused.shape(), shape)) {
            // Kept across calls, so it must not live in predict's workspace, which is reset on every call.
            try (MemoryWorkspace scope = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                reused = empty(shape.clone());
            }
        }
        return reused;
    }

    /** Runs {@code work} with {@link #output} reusing arrays ({@code reuse}) or handing out new ones. */
    static <T> T reusingOutputs(boolean reuse, Supplier<T> work) {
        Boolean previous = REUSE.get();
        REUSE.set(reuse);
        try {
            return work.get();
        } finally {
            REUSE.set(previous);
        }
    }

    /** A float32 array to be overwritten completely by an op. */
    static INDArray empty(long... shape) {
        return Nd4j.createUninitialized(DataType.FLOAT, shape);
    }
}
