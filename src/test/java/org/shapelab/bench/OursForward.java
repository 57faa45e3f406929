package org.shapelab.bench;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.compute.ModelRuntime;
import org.shapelab.model.Sequential;

/** "Ours" in the benchmark: ShapeLab's {@link ModelRuntime}, used exactly as a notebook user would. */
final class OursForward {

    private final ModelRuntime runtime;
    private boolean viewInput;

    private OursForward(ModelRuntime runtime) {
        this.runtime = runtime;
    }

    /** {@code ModelRuntime.of(model)} with the Keras weights set through {@code setWeights}. */
    static OursForward create(Sequential model, List<INDArray> kerasWeights) {
        ModelRuntime runtime = ModelRuntime.of(model);
        runtime.setWeights(kerasWeights);
        return new OursForward(runtime);
    }

    /**
     * {@code runtime.predict(batch)}. Only if {@link #leavesInputShape} found that predict changes the shape of
     * the array it is given (ND4J 1.0.0-M2.1's {@code INDArray.shape()} is the array's own shape array, not a
     * copy; an early ModelRuntime wrote the output shape into it) is a fresh view passed instead, so that the
     * peers still get an intact input; the report then says so.
     */
    INDArray predict(INDArray batch) {
        return runtime.predict(viewInput ? view(batch) : batch);
    }

    /** {@code runtime.predict(batch, out)}: the result written into {@code out}, which the caller owns. */
    INDArray predictInto(INDArray batch, INDArray out) {
        return runtime.predict(viewInput ? view(batch) : batch, out);
    }

    /** Whether predict leaves the shape of the array it was given as it was ("yes", or the evidence). */
    String leavesInputShape(INDArray batch) {
        INDArray probe = view(batch);
        long[] before = probe.shape().clone();
        runtime.predict(probe);
        if (java.util.Arrays.equals(before, probe.shape())) {
            return "yes";
        }
        viewInput = true;
        return "NO: predict changed the shape of its input array from " + java.util.Arrays.toString(before) + " to "
                + java.util.Arrays.toString(probe.shape()) + " (ModelRuntime bug; the benchmark now passes a fresh"
                + " view per call)";
    }

    private static INDArray view(INDArray a) {
        return Nd4j.create(a.data(), a.shape().clone(), a.stride().clone(), a.offset(), a.ordering(), a.dataType());
    }

    /** Whether {@code getWeights()} gives back exactly the arrays that were set ("yes", or what differs). */
    String weightsRoundTrip(List<INDArray> set) {
        List<INDArray> got = runtime.getWeights();
        if (got.size() != set.size()) {
            return "NO: " + got.size() + " arrays back for " + set.size() + " set";
        }
        for (int i = 0; i < set.size(); i++) {
            if (!got.get(i).equals(set.get(i))) {
                return "NO: weight #" + i + " differs";
            }
        }
        return "yes";
    }
}
