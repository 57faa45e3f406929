package org.shapelab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.compute.BlasCore;
import org.shapelab.compute.Nd4jRuntime;

/**
 * The sgemm rate (float32 2048³; OpenBLAS's {@code cblas_sgemm}, and ND4J's {@code gemm} beside it) with the OpenBLAS core {@link BlasCore} chooses and with the core
 * OpenBLAS 0.3.19 picks by itself, run by {@code tools/bench/sgemm [ROUNDS]}. The core is fixed when OpenBLAS loads,
 * so every measurement is a fresh JVM; the two kinds alternate, ROUNDS (default 5) times each, so that other load on
 * the machine falls on both. Each JVM warms up with 3 products and reports the median of 10. The report goes to
 * {@code target/bench-sgemm/results.md}.
 */
public final class SgemmCores {

    private static final int N = 2048;

    private SgemmCores() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1].equals("chosen"));
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        StringBuilder report = new StringBuilder();
        line(report, "# sgemm " + N + "³ with and without the chosen OpenBLAS core, "
                + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        line(report, "CPU: " + BlasCore.cpuSummary() + "; " + Runtime.getRuntime().availableProcessors() + " cores");
        line(report, "BlasCore's choice for this CPU: " + BlasCore.forThisCpu() + "; OMP_NUM_THREADS="
                + System.getenv("OMP_NUM_THREADS"));
        line(report, "");
        line(report, "| round | kind | OpenBLAS core | cblas_sgemm median GFLOP/s | cblas_sgemm best | ND4J gemm median"
                + " | load average |");
        line(report, "|---|---|---|---|---|---|---|");
        List<Double> chosen = new ArrayList<>();
        List<Double> own = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (String kind : round % 2 == 1 ? new String[] {"chosen", "own"} : new String[] {"own", "chosen"}) {
                String load = Machine.load();
                String[] result = runChild(kind);
                (kind.equals("chosen") ? chosen : own).add(Double.parseDouble(result[1]));
                line(report, "| " + round + " | " + (kind.equals("chosen") ? "BlasCore's choice" : "OpenBLAS's own")
                        + " | " + result[0] + " | " + result[1] + " | " + result[2] + " | " + result[3] + " | " + load
                        + " |");
            }
        }
        line(report, "");
        line(report, "ND4J gemm is libnd4j's matmul, which the oneDNN build may run through oneDNN, not OpenBLAS;"
                + " cblas_sgemm is OpenBLAS alone.");
        line(report, String.format(Locale.ROOT, "cblas_sgemm, BlasCore's choice: median %.1f GFLOP/s (range %.1f–%.1f); "
                + "OpenBLAS's own: median %.1f (range %.1f–%.1f); ratio of medians %.2f; load average at the end %s",
                median(chosen), min(chosen), max(chosen), median(own), min(own), max(own),
                median(chosen) / median(own), Machine.load()));
        Path out = Path.of("target", "bench-sgemm");
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.md"), report.toString());
        System.out.println("Report written to " + out.resolve("results.md"));
    }

    /** One JVM: prints "core median best" (GFLOP/s). */
    private static void child(boolean chosen) {
        if (chosen) {
            BlasCore.selectForThisCpu();
        }
        // Without the selection, ND4J loads OpenBLAS here and OpenBLAS's own table picks the core.
        INDArray a = Nd4j.rand(DataType.FLOAT, N, N);
        INDArray b = Nd4j.rand(DataType.FLOAT, N, N);
        INDArray c = Nd4j.createUninitialized(DataType.FLOAT, N, N);
        for (int i = 0; i < 3; i++) {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        }
        double[] ms = new double[10];
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        double flops = 2.0 * N * N * N;
        double nd4j = flops / (Sampler.median(ms) * 1e6);
        // OpenBLAS itself, on the same arrays: the library ND4J loaded (JavaCPP loads each library once).
        org.bytedeco.javacpp.FloatPointer pa = (org.bytedeco.javacpp.FloatPointer) a.data().pointer();
        org.bytedeco.javacpp.FloatPointer pb = (org.bytedeco.javacpp.FloatPointer) b.data().pointer();
        org.bytedeco.javacpp.FloatPointer pc = (org.bytedeco.javacpp.FloatPointer) c.data().pointer();
        Runnable cblas = () -> org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm(101, 111, 111, N, N, N, 1f,
                pa, N, pb, N, 0f, pc, N); // row-major, no transposes
        for (int i = 0; i < 3; i++) {
            cblas.run();
        }
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            cblas.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        double best = java.util.Arrays.stream(ms).min().orElseThrow();
        System.out.println(String.format(Locale.ROOT, "%s %.1f %.1f %.1f", Nd4jRuntime.openBlasCore(),
                flops / (Sampler.median(ms) * 1e6), flops / (best * 1e6), nd4j));
    }

    private static String[] runChild(String kind) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), SgemmCores.class.getName(), "--child", kind));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().remove(BlasCore.VARIABLE);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the " + kind + " JVM failed: " + output);
        }
        String[] lines = output.split("\n");
        return lines[lines.length - 1].trim().split(" ");
    }

    private static double median(List<Double> values) {
        return Sampler.median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static void line(StringBuilder report, String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }
}
