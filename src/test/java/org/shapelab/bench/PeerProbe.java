package org.shapelab.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.bench.ForwardWorkloads.Workload;
import org.shapelab.compute.BlasCore;
import org.shapelab.model.Sequential;

/**
 * Ours against DL4J on some forward rows, interleaved in one process: many short rounds in which each variant takes a
 * turn, so that other load on the machine falls on all of them alike. Quicker than {@code tools/bench/forward} and
 * steadier under load; for finding out what a change is worth, not for the published figures.
 * {@code tools/bench/probe peers W3 W5}.
 */
public final class PeerProbe {

    private PeerProbe() {
    }

    public static void main(String[] args) {
        BlasCore.selectForThisCpu();
        List<String> ids = List.of(args);
        for (Workload workload : ForwardWorkloads.all()) {
            if (!ids.isEmpty() && !ids.contains(workload.id())) {
                continue;
            }
            Sequential model = workload.model().get();
            List<INDArray> weights = ForwardWorkloads.kerasWeights(model, 20240603L);
            INDArray x = ForwardWorkloads.input(workload.batchShape(), 7L);
            OursForward ours = OursForward.create(model, weights);
            INDArray out = ours.predict(x).dup();
            MultiLayerNetwork net = Dl4jForward.build(workload.id(), weights);
            var dl4j = Dl4jForward.forward(net);
            var dl4jWs = Dl4jForward.forwardInWorkspace(net, false);
            Map<String, Supplier<Object>> variants = new LinkedHashMap<>();
            variants.put("ours predict(x)", () -> ours.predict(x));
            variants.put("ours predict(x, out)", () -> ours.predictInto(x, out));
            variants.put("DL4J output(x)", () -> dl4j.apply(x));
            variants.put("DL4J output(x, ws)", () -> dl4jWs.apply(x));
            System.out.println("== " + workload.id() + " " + workload.title() + ", load " + Machine.load());
            Map<String, Double> medians = interleaved(variants, 12, 0.25);
            System.out.printf(Locale.ROOT, "   DL4J/ours new %.2f, reused %.2f; load %s%n",
                    medians.get("DL4J output(x)") / medians.get("ours predict(x)"),
                    medians.get("DL4J output(x, ws)") / medians.get("ours predict(x, out)"), Machine.load());
        }
    }

    static Map<String, Double> interleaved(Map<String, Supplier<Object>> variants, int rounds, double seconds) {
        Map<String, List<Double>> micros = new LinkedHashMap<>();
        variants.keySet().forEach(name -> micros.put(name, new ArrayList<>()));
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Supplier<Object>> variant : variants.entrySet()) {
                for (int i = 0; i < 3; i++) {
                    variant.getValue().get();
                }
                long end = System.nanoTime() + (long) (seconds * 1e9);
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    variant.getValue().get();
                    micros.get(variant.getKey()).add((System.nanoTime() - start) / 1e6);
                }
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        micros.forEach((name, samples) -> {
            Collections.sort(samples);
            int n = samples.size();
            medians.put(name, samples.get(n / 2));
            System.out.printf(Locale.ROOT, "   %-24s %8.3f ms [%.3f–%.3f] n=%d%n", name, samples.get(n / 2),
                    samples.get(n / 10), samples.get(n * 9 / 10), n);
        });
        return medians;
    }
}
