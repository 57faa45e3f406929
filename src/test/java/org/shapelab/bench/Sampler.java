package org.shapelab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Times single calls: warm-up by count and time, then samples of one call each (System.nanoTime), in rounds
 * so that implementations measured in turn share the machine's drifts. Reports median and the 10th–90th
 * percentile spread.
 */
final class Sampler {

    /** How long to warm up and measure; {@code rounds} blocks of at least {@code roundSeconds} each. */
    record Settings(int warmupCalls, double warmupSeconds, int rounds, int minSamplesPerRound, double roundSeconds,
                    int maxSamplesPerRound) {

        static Settings defaults() {
            return new Settings(10, 1.0, 3, 20, 1.5, 3000);
        }

        /** Shorter settings for trying the harness out ({@code --quick}). */
        static Settings quick() {
            return new Settings(3, 0.2, 2, 5, 0.3, 500);
        }
    }

    /** Summary of the samples in milliseconds. */
    record Stats(int n, double median, double p10, double p90, double min) {

        static Stats of(List<Double> samples) {
            double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Stats(sorted.length, percentile(sorted, 50), percentile(sorted, 10), percentile(sorted, 90),
                    sorted[0]);
        }

        String text() {
            return String.format(Locale.ROOT, "%s [%s–%s] n=%d", ms(median), ms(p10), ms(p90), n);
        }

        static String ms(double value) {
            if (value >= 100) {
                return String.format(Locale.ROOT, "%.0f", value);
            }
            if (value >= 10) {
                return String.format(Locale.ROOT, "%.1f", value);
            }
            if (value >= 1) {
                return String.format(Locale.ROOT, "%.2f", value);
            }
            return String.format(Locale.ROOT, "%.3f", value);
        }
    }

    private final Settings settings;

    Sampler(Settings settings) {
        this.settings = settings;
    }

    Settings settings() {
        return settings;
    }

    /** Warm-up calls: at least {@code minCalls} and {@code warmupSeconds}. */
    void warmUp(Supplier<?> call, int minCalls) {
        long end = System.nanoTime() + (long) (settings.warmupSeconds() * 1e9);
        int calls = 0;
        while (calls < Math.max(minCalls, settings.warmupCalls()) || System.nanoTime() < end) {
            blackhole(call.get());
            calls++;
        }
    }

    /** One round of samples appended to {@code samples} (ms per call). */
    void round(Supplier<?> call, List<Double> samples) {
        long end = System.nanoTime() + (long) (settings.roundSeconds() * 1e9);
        int n = 0;
        while (n < settings.maxSamplesPerRound() && (n < settings.minSamplesPerRound() || System.nanoTime() < end)) {
            long start = System.nanoTime();
            Object result = call.get();
            long elapsed = System.nanoTime() - start;
            blackhole(result);
            samples.add(elapsed / 1e6);
            n++;
        }
    }

    /** Warm-up, then all rounds of one implementation alone. */
    Stats measure(Supplier<?> call, int minWarmupCalls) {
        warmUp(call, minWarmupCalls);
        List<Double> samples = new ArrayList<>();
        for (int r = 0; r < settings.rounds(); r++) {
            round(call, samples);
        }
        return Stats.of(samples);
    }

    private static volatile int sink;

    private static void blackhole(Object value) {
        sink += System.identityHashCode(value);
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 1) {
            return sorted[0];
        }
        double rank = p / 100.0 * (sorted.length - 1);
        int low = (int) Math.floor(rank);
        int high = Math.min(low + 1, sorted.length - 1);
        return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return percentile(sorted, 50);
    }
}
