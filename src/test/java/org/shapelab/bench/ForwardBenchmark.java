package org.shapelab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.AllocationsTracker;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.bench.ForwardWorkloads.Workload;
import org.shapelab.bench.Sampler.Stats;
import org.shapelab.compute.BlasCore;
import org.shapelab.compute.Nd4jRuntime;
import org.shapelab.model.Sequential;

/**
 * The forward-pass benchmark of issue 3, run by {@code tools/bench/forward}: in one run on this machine,
 * ShapeLab ("ours", {@code org.shapelab.compute.ModelRuntime}) against DeepLearning4J 1.0.0-M2.1 (same JVM,
 * same ND4J native build) and TensorFlow.js 4.22 (wasm backend, in Node), on the same Keras weights and
 * inputs. Every peer's output is checked against ours (within 1e-4) before it is timed. Also measured in the
 * same run: ND4J's sgemm rate, the best raw-ND4J-op variant of each row (a target, not a peer) and the
 * off-heap memory over 10,000 predict calls.
 *
 * <pre>
 * options: --quick            short warm-up and rounds (to try the harness, not for figures)
 *          --only=W1,W5       some rows only
 *          --no-tfjs          skip the Node peer
 *          --ops              also time every raw-ND4J-op variant of each row (what the compute code could do)
 *          --layers           also time W5 layer by layer (where a small model's latency goes)
 *          --memory-calls=N   predict calls for the off-heap figure (default 10000; 0 skips it)
 *          --out=DIR          fixtures and results (default target/bench-forward)
 * </pre>
 */
public final class ForwardBenchmark {

    static final double TOLERANCE = 1e-4;
    private static final long WEIGHT_SEED = 20240603L;
    private static final long INPUT_SEED = 7L;

    private ForwardBenchmark() {
    }

    /** An output compared with ours: largest absolute difference and largest difference relative to max(1, |ours|). */
    record Check(double maxAbs, double worst, boolean shapeOk) {

        boolean ok() {
            return shapeOk && worst <= TOLERANCE;
        }

        String text() {
            return shapeOk ? String.format(Locale.ROOT, "max |diff| %.2e -> %s", maxAbs, ok() ? "ok" : "MISMATCH")
                    : "shape differs -> MISMATCH";
        }

        static Check of(INDArray got, INDArray ours) {
            if (!java.util.Arrays.equals(got.shape(), ours.shape())) {
                return new Check(Double.NaN, Double.NaN, false);
            }
            float[] a = got.castTo(DataType.FLOAT).dup('c').data().asFloat();
            float[] b = ours.castTo(DataType.FLOAT).dup('c').data().asFloat();
            double maxAbs = 0;
            double worst = 0;
            for (int i = 0; i < a.length; i++) {
                double diff = Math.abs((double) a[i] - b[i]);
                if (Double.isNaN(diff)) {
                    diff = Double.POSITIVE_INFINITY;
                }
                maxAbs = Math.max(maxAbs, diff);
                worst = Math.max(worst, diff / Math.max(1.0, Math.abs(b[i])));
            }
            return new Check(maxAbs, worst, true);
        }
    }

    /** One row's results; a null Stats means not timed (missing or mismatching). */
    static final class Row {
        final Workload workload;
        final double flops;
        /** {@code predict(x)}: a new result array per call. */
        Stats ours;
        /** {@code predict(x, out)}: the result written into a reused array. */
        Stats oursInto;
        Check oursIntoCheck;
        Stats dl4j;
        Check dl4jCheck;
        /** {@code net.output(x, false, workspace)}: DL4J's output in a reused workspace. */
        Stats dl4jInto;
        Check dl4jIntoCheck;
        Stats ops;
        Check opsCheck;
        Stats tfjs;
        String tfjsCheck;
        final Map<String, Stats> variants = new LinkedHashMap<>();
        final Map<String, Check> variantChecks = new LinkedHashMap<>();

        Row(Workload workload) {
            this.workload = workload;
            this.flops = workload.flops();
        }
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean tfjs = true;
        boolean allVariants = false;
        boolean layers = false;
        int memoryCalls = 10_000;
        Set<String> only = new TreeSet<>();
        Path out = Path.of("target", "bench-forward");
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.equals("--no-tfjs")) {
                tfjs = false;
            } else if (arg.equals("--ops")) {
                allVariants = true;
            } else if (arg.equals("--layers")) {
                layers = true;
            } else if (arg.startsWith("--only=")) {
                only.addAll(List.of(arg.substring(7).split(",")));
            } else if (arg.startsWith("--memory-calls=")) {
                memoryCalls = Integer.parseInt(arg.substring(15));
            } else if (arg.startsWith("--out=")) {
                out = Path.of(arg.substring(6));
            } else {
                System.err.println("unknown option " + arg + "; see the class comment of " + ForwardBenchmark.class);
                System.exit(2);
            }
        }
        Sampler sampler = new Sampler(quick ? Sampler.Settings.quick() : Sampler.Settings.defaults());
        StringBuilder report = new StringBuilder();

        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        section(report, "ShapeLab forward-pass benchmark (issue 3), " + started + (quick ? ", --quick" : ""));
        long t0 = System.nanoTime();
        String blasSelection = BlasCore.selectForThisCpu(); // before ND4J loads OpenBLAS, as Nd4jRuntime does
        Nd4j.create(DataType.FLOAT, 1); // loads the native backend
        line(report, String.format(Locale.ROOT, "ND4J start-up %.1f s", (System.nanoTime() - t0) / 1e9));
        machine(report);
        line(report, "OpenBLAS core: " + Nd4jRuntime.openBlasCore() + " [" + blasSelection + "]; "
                + Nd4jRuntime.openBlasConfig());
        line(report, "load average at start: " + loadAverage() + " (other processes share these cores: figures are"
                + " only meaningful when this is well below 1)");

        double sgemm = sgemm(report, quick);

        List<Row> rows = new ArrayList<>();
        TfjsPeer peer = new TfjsPeer(out);
        for (Workload workload : ForwardWorkloads.all()) {
            if (!only.isEmpty() && !only.contains(workload.id())) {
                continue;
            }
            rows.add(runRow(workload, sampler, peer, report, allVariants));
        }

        if (layers) {
            layerTimes(report, quick);
        }

        if (tfjs) {
            section(report, "TensorFlow.js 4.22 wasm (Node), checked against ours, then timed");
            Path manifest = peer.writeManifest(sampler.settings(), TOLERANCE);
            Path script = Path.of("tools", "bench", "tfjs", "bench.mjs");
            Map<String, JsonNode> results = peer.run(script, manifest);
            JsonNode env = results.get("_env");
            line(report, "TF.js " + env.path("tfjs").asText() + ", backend " + env.path("backend").asText()
                    + ", SIMD " + env.path("simd").asText() + ", threads " + env.path("threads").asText()
                    + ", Node " + env.path("node").asText());
            for (Row row : rows) {
                JsonNode r = results.get(row.workload.id());
                if (r == null) {
                    continue;
                }
                JsonNode check = r.path("check");
                row.tfjsCheck = String.format(Locale.ROOT, "max |diff| %.2e -> %s", check.path("maxAbs").asDouble(),
                        check.path("ok").asBoolean() ? "ok" : "MISMATCH");
                JsonNode s = r.path("stats");
                if (!s.isNull() && !s.isMissingNode()) {
                    row.tfjs = new Stats(s.path("n").asInt(), s.path("median").asDouble(), s.path("p10").asDouble(),
                            s.path("p90").asDouble(), s.path("min").asDouble());
                }
                line(report, row.workload.id() + " TF.js vs ours: " + row.tfjsCheck);
            }
        }

        if (memoryCalls > 0) {
            section(report, "Off-heap memory over " + memoryCalls + " predict calls (ours)");
            for (Row row : rows) {
                if (row.workload.id().equals("W5") || row.workload.id().equals("W1")) {
                    memory(row.workload, memoryCalls, report);
                }
            }
        }

        section(report, "Machine check at the end");
        double sgemmEnd = sgemm(report, quick);
        if (Math.abs(sgemmEnd - sgemm) > 0.1 * sgemm) {
            line(report, "WARNING: sgemm changed by more than 10% during the run: other load on the machine.");
        }
        line(report, "load average at the end: " + loadAverage());
        section(report, "Results (median ms [p10–p90]; ratio = peer median / ours median, > 1 means ours is faster)");
        // The higher of the two sgemm rates: other load only ever lowers it, and "% of sgemm" should not flatter.
        double sgemmReference = Math.max(sgemm, sgemmEnd);
        line(report, String.format(Locale.ROOT, "sgemm reference for the %% columns: %.1f GFLOP/s (the higher of start"
                + " %.1f and end %.1f)", sgemmReference, sgemm, sgemmEnd));
        table(report, rows, sgemmReference);
        goals(report, rows, sgemmReference);
        if (allVariants) {
            variantsTable(report, rows, sgemmReference);
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.md"), report.toString());
        System.out.println();
        System.out.println("Report written to " + out.resolve("results.md"));
    }

    /** W5 layer by layer: where a small model's latency goes (--layers). */
    private static void layerTimes(StringBuilder report, boolean quick) {
        Workload w5 = ForwardWorkloads.all().stream().filter(w -> w.id().equals("W5")).findFirst().orElseThrow();
        Sequential model = w5.model().get();
        section(report, "W5 layer by layer (each kernel alone, reused outputs; µs median [p10–p90])");
        Map<String, double[]> times = org.shapelab.compute.LayerTimes.measure(model,
                ForwardWorkloads.kerasWeights(model, WEIGHT_SEED), ForwardWorkloads.input(w5.batchShape(), INPUT_SEED),
                quick ? 500 : 20_000);
        double sum = 0;
        int i = 0;
        for (Map.Entry<String, double[]> e : times.entrySet()) {
            double[] t = e.getValue();
            if (i++ < model.layers().size()) {
                sum += t[0];
            }
            line(report, String.format(Locale.ROOT, "  %-34s %7.1f [%.1f–%.1f]", e.getKey(), t[0], t[1], t[2]));
        }
        line(report, String.format(Locale.ROOT, "  %-34s %7.1f", "sum of the layers' medians", sum));
    }

    // ---- one row ----

    private static Row runRow(Workload workload, Sampler sampler, TfjsPeer peer, StringBuilder report,
                              boolean allVariants) throws IOException {
        Row row = new Row(workload);
        section(report, workload.id() + ": " + workload.title() + String.format(Locale.ROOT, ", %.1f MFLOP",
                row.flops / 1e6));
        Sequential model = workload.model().get();
        List<INDArray> weights = ForwardWorkloads.kerasWeights(model, WEIGHT_SEED);
        INDArray x = ForwardWorkloads.input(workload.batchShape(), INPUT_SEED);

        OursForward ours = OursForward.create(model, weights);
        String inputIntact = ours.leavesInputShape(x);
        INDArray reference = ours.predict(x).dup();
        line(report, "ours output " + shape(reference) + "; getWeights() equals the weights set: "
                + ours.weightsRoundTrip(weights) + "; predict leaves its input's shape alone: " + inputIntact);

        INDArray out = Nd4j.create(DataType.FLOAT, reference.shape());
        row.oursIntoCheck = Check.of(ours.predictInto(x, out).dup(), reference);
        line(report, "ours predict(x, out) vs predict(x): " + row.oursIntoCheck.text());

        MultiLayerNetwork net = Dl4jForward.build(workload.id(), weights);
        UnaryOperator<INDArray> dl4j = Dl4jForward.forward(net);
        row.dl4jCheck = Check.of(dl4j.apply(x), reference);
        line(report, "DL4J vs ours: " + row.dl4jCheck.text());
        UnaryOperator<INDArray> dl4jInto = Dl4jForward.forwardInWorkspace(net, false);
        row.dl4jIntoCheck = Check.of(Dl4jForward.forwardInWorkspace(net, true).apply(x), reference);
        line(report, "DL4J output(x, false, workspace) vs ours: " + row.dl4jIntoCheck.text());

        Map<String, UnaryOperator<INDArray>> variants = Nd4jOpsForward.variants(workload.id(), weights, x);
        String bestName = Nd4jOpsForward.BEST.get(workload.id());
        UnaryOperator<INDArray> best = variants.get(bestName);
        row.opsCheck = Check.of(best.apply(x), reference);
        line(report, "ND4J ops (" + bestName + ") vs ours: " + row.opsCheck.text());

        peer.add(workload.id(), workload.title(), model.toKerasJson(), weights, x, reference, workload.latency());

        Map<String, Supplier<?>> timed = new LinkedHashMap<>();
        timed.put("ours", () -> ours.predict(x));
        if (row.oursIntoCheck.ok()) {
            timed.put("ours into", () -> ours.predictInto(x, out));
        }
        if (row.dl4jCheck.ok()) {
            timed.put("DL4J", () -> dl4j.apply(x));
        }
        if (row.dl4jIntoCheck.ok()) {
            timed.put("DL4J ws", () -> dl4jInto.apply(x));
        }
        if (row.opsCheck.ok()) {
            timed.put("ND4J ops", () -> best.apply(x));
        }
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        for (Map.Entry<String, Supplier<?>> e : timed.entrySet()) {
            // DL4J's LSTM runs a per-timestep Java loop: give every implementation at least 30 warm-up calls.
            sampler.warmUp(e.getValue(), 30);
            samples.put(e.getKey(), new ArrayList<>());
        }
        for (int r = 0; r < sampler.settings().rounds(); r++) {
            for (Map.Entry<String, Supplier<?>> e : timed.entrySet()) {
                sampler.round(e.getValue(), samples.get(e.getKey()));
            }
        }
        row.ours = Stats.of(samples.get("ours"));
        row.oursInto = samples.containsKey("ours into") ? Stats.of(samples.get("ours into")) : null;
        row.dl4j = samples.containsKey("DL4J") ? Stats.of(samples.get("DL4J")) : null;
        row.dl4jInto = samples.containsKey("DL4J ws") ? Stats.of(samples.get("DL4J ws")) : null;
        row.ops = samples.containsKey("ND4J ops") ? Stats.of(samples.get("ND4J ops")) : null;
        for (String name : timed.keySet()) {
            Stats s = Stats.of(samples.get(name));
            line(report, String.format(Locale.ROOT, "  %-10s %s  (%.1f GFLOP/s)", name, s.text(),
                    row.flops / (s.median() * 1e6)));
        }

        if (allVariants) {
            for (Map.Entry<String, UnaryOperator<INDArray>> e : variants.entrySet()) {
                UnaryOperator<INDArray> variant = e.getValue();
                Check check = Check.of(variant.apply(x), reference);
                row.variantChecks.put(e.getKey(), check);
                if (!check.ok()) {
                    line(report, "  variant " + e.getKey() + ": " + check.text() + ", not timed");
                    continue;
                }
                Stats s = sampler.measure(() -> variant.apply(x), 30);
                row.variants.put(e.getKey(), s);
                line(report, String.format(Locale.ROOT, "  variant %-48s %s  (%.1f GFLOP/s)", e.getKey(), s.text(),
                        row.flops / (s.median() * 1e6)));
            }
        }
        return row;
    }

    // ---- machine, sgemm, memory ----

    private static void machine(StringBuilder report) throws IOException {
        String cpu = "?";
        String vendor = "?";
        String family = "?";
        String model = "?";
        Set<String> flags = new TreeSet<>();
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.exists(cpuinfo)) {
            for (String l : Files.readAllLines(cpuinfo)) {
                String value = l.indexOf(':') < 0 ? "" : l.substring(l.indexOf(':') + 1).trim();
                if (l.startsWith("model name") && cpu.equals("?")) {
                    cpu = value;
                } else if (l.startsWith("vendor_id") && vendor.equals("?")) {
                    vendor = value;
                } else if (l.startsWith("cpu family") && family.equals("?")) {
                    family = value;
                } else if (l.matches("model\\s*:.*") && model.equals("?")) {
                    model = value;
                }
                if (l.startsWith("flags") && flags.isEmpty()) {
                    for (String f : l.substring(l.indexOf(':') + 1).trim().split("\\s+")) {
                        if (f.equals("sse4_2") || f.equals("avx") || f.equals("avx2") || f.equals("fma")
                                || f.startsWith("avx512") || f.startsWith("amx") || f.equals("f16c")) {
                            flags.add(f);
                        }
                    }
                }
            }
        }
        line(report, "CPU: " + cpu + " (" + vendor + " family " + family + " model " + model + "), "
                + Runtime.getRuntime().availableProcessors() + " cores; SIMD flags: "
                + String.join(" ", flags) + (flags.stream().anyMatch(f -> f.startsWith("avx512")) ? "" : " (no AVX-512)"));
        line(report, "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB; options "
                + java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments() + "; OMP_NUM_THREADS="
                + System.getenv("OMP_NUM_THREADS"));
        var info = Nd4j.getExecutioner().getEnvironmentInformation();
        line(report, "ND4J 1.0.0-M2.1 native build: " + Nd4jRuntime.nativeBuild() + (Nd4jRuntime.hasOneDnn() ? " (oneDNN)" : "")
                + "; BLAS " + info.get("blas.vendor") + " " + info.get("blas.threads") + " threads; OpenMP threads "
                + info.get("omp.threads"));
    }

    private static double sgemm(StringBuilder report, boolean quick) {
        int n = 2048;
        INDArray a = ForwardWorkloads.input(new int[] {n, n}, 1);
        INDArray b = ForwardWorkloads.input(new int[] {n, n}, 2);
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, n, n);
        int warm = quick ? 1 : 3;
        int runs = quick ? 3 : 10;
        for (int i = 0; i < warm; i++) {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        double flops = 2.0 * n * n * n;
        double median = Sampler.median(ms);
        double best = java.util.Arrays.stream(ms).min().orElse(median);
        double rate = flops / (median * 1e6);
        line(report, String.format(Locale.ROOT, "sgemm %d³ (ND4J gemm, float32; oneDNN on the oneDNN builds, OpenBLAS"
                + " alone: tools/bench/sgemm): median %.1f ms = %.1f GFLOP/s"
                + " (best %.1f GFLOP/s, %d runs)", n, median, rate, flops / (best * 1e6), runs));
        return rate;
    }

    private static void memory(Workload workload, int calls, StringBuilder report) {
        Sequential model = workload.model().get();
        List<INDArray> weights = ForwardWorkloads.kerasWeights(model, WEIGHT_SEED);
        INDArray x = ForwardWorkloads.input(workload.batchShape(), INPUT_SEED);
        OursForward ours = OursForward.create(model, weights);
        for (int i = 0; i < 100; i++) {
            ours.predict(x);
        }
        settle();
        long total0 = Pointer.totalBytes();
        long physical0 = Pointer.physicalBytes();
        long heap0 = usedHeap();
        long nd4j0 = AllocationsTracker.getInstance().bytesOnDevice(0);
        long start = System.nanoTime();
        long peakTotal = total0;
        StringBuilder checkpoints = new StringBuilder();
        for (int i = 0; i < calls; i++) {
            ours.predict(x);
            if (i % 500 == 0) {
                peakTotal = Math.max(peakTotal, Pointer.totalBytes());
            }
            if ((i + 1) % Math.max(1, calls / 4) == 0) {
                checkpoints.append(checkpoints.length() == 0 ? "" : ", ").append(i + 1).append(": ")
                        .append(mb(Pointer.physicalBytes()));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        settle();
        long total1 = Pointer.totalBytes();
        long physical1 = Pointer.physicalBytes();
        long nd4j1 = AllocationsTracker.getInstance().bytesOnDevice(0);
        line(report, String.format(Locale.ROOT, "%s: %d calls in %.1f s. Process RSS (Pointer.physicalBytes) %s -> %s"
                        + " (%s); JavaCPP-tracked off-heap (Pointer.totalBytes) %s -> %s (%s, peak %s; ND4J's own"
                        + " buffers are not counted there); ND4J AllocationsTracker %s -> %s (%s); Java heap used"
                        + " %s -> %s",
                workload.id(), calls, seconds, mb(physical0), mb(physical1), signedMb(physical1 - physical0),
                mb(total0), mb(total1), signedMb(total1 - total0), mb(peakTotal), mb(nd4j0), mb(nd4j1),
                signedMb(nd4j1 - nd4j0), mb(heap0), mb(usedHeap())));
        line(report, "  RSS during the loop (no GC forced): " + checkpoints + " -> growth that levels off is the"
                + " allocator keeping freed blocks; growth that keeps rising with the calls is a leak");
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2] + " (1 / 5 / 15 min)";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void settle() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    private static String signedMb(long bytes) {
        return String.format(Locale.ROOT, "%+.1f MB", bytes / 1048576.0);
    }

    // ---- report ----

    private static void table(StringBuilder report, List<Row> rows, double sgemm) {
        line(report, "");
        line(report, "New result per call: ours `predict(x)`, DL4J `output(x, false)`, TF.js `predict(x)` + `dataSync()`.");
        line(report, "");
        line(report, "| row | ours | DL4J 1.0.0-M2.1 | TF.js 4.22 wasm | DL4J/ours | TF.js/ours | ours GFLOP/s (% of sgemm)"
                + " | ND4J ops, best variant (target) |");
        line(report, "|---|---|---|---|---|---|---|---|");
        for (Row row : rows) {
            line(report, String.format(Locale.ROOT, "| %s %s | %s | %s | %s | %s | %s | %s | %s |",
                    row.workload.id(), row.workload.title(), cell(row.ours), cell(row.dl4j, row.dl4jCheck), tfjsCell(row),
                    ratio(row.dl4j, row.ours), ratio(row.tfjs, row.ours), share(row, row.ours, sgemm),
                    row.ops == null ? "not timed: " + row.opsCheck.text()
                            : cell(row.ops) + String.format(Locale.ROOT, " (%.1f GFLOP/s)",
                            row.flops / (row.ops.median() * 1e6))));
        }
        line(report, "");
        line(report, "Reused result: ours `predict(x, out)` (copies into out), DL4J `output(x, false, workspace)` (no copy;"
                + " valid until the workspace closes). TF.js has no such call: its column repeats `predict(x)`.");
        line(report, "");
        line(report, "| row | ours into out | DL4J into workspace | TF.js 4.22 wasm | DL4J/ours | TF.js/ours"
                + " | ours GFLOP/s (% of sgemm) |");
        line(report, "|---|---|---|---|---|---|---|");
        for (Row row : rows) {
            line(report, String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |", row.workload.id(),
                    cell(row.oursInto, row.oursIntoCheck), cell(row.dl4jInto, row.dl4jIntoCheck), tfjsCell(row),
                    ratio(row.dl4jInto, row.oursInto), ratio(row.tfjs, row.oursInto), share(row, row.oursInto, sgemm)));
        }
        line(report, "");
        line(report, String.format(Locale.ROOT, "sgemm reference: %.1f GFLOP/s. GFLOP/s of the peers:", sgemm));
        for (Row row : rows) {
            line(report, String.format(Locale.ROOT, "  %-4s ours %s (into out %s), DL4J %s (workspace %s), TF.js %s,"
                    + " ND4J ops %s", row.workload.id(), gflops(row, row.ours), gflops(row, row.oursInto),
                    gflops(row, row.dl4j), gflops(row, row.dl4jInto), gflops(row, row.tfjs), gflops(row, row.ops)));
        }
    }

    private static String tfjsCell(Row row) {
        return row.tfjs != null ? cell(row.tfjs) : row.tfjsCheck == null ? "not run" : "not timed: " + row.tfjsCheck;
    }

    private static String share(Row row, Stats s, double sgemm) {
        return s == null ? "—" : String.format(Locale.ROOT, "%.1f (%.0f%%)", row.flops / (s.median() * 1e6),
                100 * row.flops / (s.median() * 1e6) / sgemm);
    }

    private static void goals(StringBuilder report, List<Row> rows, double sgemm) {
        line(report, "");
        line(report, "Goals of issue 3 (ahead of both peers, Dense >= 60% of sgemm, W5 < 0.3 ms), per way of calling:");
        for (Row row : rows) {
            line(report, "  " + row.workload.id() + " predict(x):      " + misses(row, row.ours, row.dl4j, sgemm));
            line(report, "  " + row.workload.id() + " predict(x, out): " + misses(row, row.oursInto, row.dl4jInto, sgemm));
        }
    }

    private static String misses(Row row, Stats ours, Stats dl4j, double sgemm) {
        if (ours == null) {
            return "not timed";
        }
        List<String> misses = new ArrayList<>();
        if (dl4j != null && dl4j.median() < ours.median()) {
            misses.add(String.format(Locale.ROOT, "behind DL4J (%s)", ratio(dl4j, ours)));
        }
        if (row.tfjs != null && row.tfjs.median() < ours.median()) {
            misses.add(String.format(Locale.ROOT, "behind TF.js (%s)", ratio(row.tfjs, ours)));
        }
        if (row.workload.id().equals("W1")) {
            double share = row.flops / (ours.median() * 1e6) / sgemm;
            if (share < 0.6) {
                misses.add(String.format(Locale.ROOT, "Dense at %.0f%% of sgemm (goal >= 60%%)", 100 * share));
            }
        }
        if (row.workload.id().equals("W5") && ours.median() >= 0.3) {
            misses.add(String.format(Locale.ROOT, "latency %s ms (goal < 0.3 ms)", Stats.ms(ours.median())));
        }
        return misses.isEmpty() ? "met" : "MISSED: " + String.join("; ", misses);
    }

    private static void variantsTable(StringBuilder report, List<Row> rows, double sgemm) {
        line(report, "");
        line(report, "Raw ND4J op variants (each checked against ours first; ms median [p10–p90]):");
        line(report, "");
        line(report, "| row | variant | median ms | GFLOP/s | vs ours |");
        line(report, "|---|---|---|---|---|");
        for (Row row : rows) {
            for (Map.Entry<String, Stats> e : row.variants.entrySet()) {
                line(report, String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.2fx |", row.workload.id(), e.getKey(),
                        cell(e.getValue()), row.flops / (e.getValue().median() * 1e6),
                        row.ours.median() / e.getValue().median()));
            }
        }
    }

    private static String cell(Stats s) {
        return s == null ? "—" : String.format(Locale.ROOT, "%s [%s–%s]", Stats.ms(s.median()), Stats.ms(s.p10()),
                Stats.ms(s.p90()));
    }

    private static String cell(Stats s, Check check) {
        return s != null ? cell(s) : "not timed: " + check.text();
    }

    private static String ratio(Stats peer, Stats ours) {
        return peer == null || ours == null ? "—" : String.format(Locale.ROOT, "%.2f", peer.median() / ours.median());
    }

    private static String gflops(Row row, Stats s) {
        return s == null ? "—" : String.format(Locale.ROOT, "%.1f", row.flops / (s.median() * 1e6));
    }

    private static String shape(INDArray a) {
        return java.util.Arrays.toString(a.shape()).replace('[', '(').replace(']', ')');
    }

    private static void section(StringBuilder report, String title) {
        line(report, "");
        line(report, "== " + title);
    }

    private static void line(StringBuilder report, String text) {
        System.out.println(text);
        System.out.flush();
        report.append(text).append('\n');
    }
}
