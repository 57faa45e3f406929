package org.shapelab.compute;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.Layer;
import org.shapelab.model.Sequential;

/**
 * Where a small model's predict time goes: each layer's kernel timed on its own (reused outputs, as inside
 * {@code predict}), then whole {@code predict(x, out)} and {@code predict(x)} calls, interleaved call by call so
 * that all see the same machine. Used by {@code tools/bench/forward --layers}; not a test.
 */
public final class LayerTimes {

    private LayerTimes() {
    }

    /** Median and 10th/90th percentile in µs per entry: every layer by name, then the two predict calls. */
    public static Map<String, double[]> measure(Sequential model, List<INDArray> weights, INDArray x, int calls) {
        ModelRuntime runtime = ModelRuntime.of(model);
        runtime.setWeights(weights);
        List<Layer> layers = model.layers();
        List<Computation> kernels = kernels(runtime, model);
        INDArray out = Nd4j.create(DataType.FLOAT, runtime.predict(x).shape());
        double[][] micros = new double[layers.size() + 2][calls];
        int warmUp = Math.max(100, calls / 10);
        for (int call = -warmUp; call < calls; call++) {
            INDArray current = x;
            for (int i = 0; i < layers.size(); i++) {
                Computation kernel = kernels.get(i);
                INDArray in = current;
                long start = System.nanoTime();
                current = NativeOp.reusingOutputs(true, () -> kernel.forward(in, null));
                record(micros[i], call, start);
            }
            long start = System.nanoTime();
            runtime.predict(x, out);
            record(micros[layers.size()], call, start);
            start = System.nanoTime();
            runtime.predict(x);
            record(micros[layers.size() + 1], call, start);
        }
        Map<String, double[]> result = new LinkedHashMap<>();
        for (int i = 0; i < micros.length; i++) {
            String name = i < layers.size() ? layers.get(i).describe() : i == layers.size() ? "predict(x, out)"
                    : "predict(x)";
            double[] sorted = micros[i].clone();
            Arrays.sort(sorted);
            result.put(name, new double[] {sorted[calls / 2], sorted[calls / 10], sorted[calls * 9 / 10]});
        }
        return result;
    }

    /** Each layer's kernel with the runtime's weights, made apart from the runtime's own, to be timed alone. */
    static List<Computation> kernels(ModelRuntime runtime, Sequential model) {
        List<INDArray> weights = runtime.getWeights();
        List<Computation> kernels = new ArrayList<>();
        int offset = 0;
        for (Layer layer : model.layers()) {
            int count = layer.weights().size();
            kernels.add(Computations.of(layer, weights.subList(offset, offset + count)));
            offset += count;
        }
        return kernels;
    }

    private static void record(double[] samples, int call, long start) {
        if (call >= 0) {
            samples[call] = (System.nanoTime() - start) / 1e3;
        }
    }
}
