package org.shapelab.training;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How {@code fit} shows its progress, as Keras 3's progress bar: {@code Epoch 1/5}, then
 * {@code 10/10 ━━━━━━━━━━━━━━━━━━━━ 0s 3ms/step - accuracy: 0.8125 - loss: 0.4710} (verbose 1) or
 * {@code 10/10 - 0s - 3ms/step - ...} (verbose 2). In a terminal or JShell the line is printed when the epoch ends;
 * a notebook kernel installs a view that redraws the bar in place ({@link #use}).
 */
public abstract class Progress {

    private static volatile Supplier<Progress> views = TextProgress::new;

    /** Makes {@code fit} show its progress through views from {@code factory} (a notebook kernel's, say). */
    public static void use(Supplier<Progress> factory) {
        views = factory == null ? TextProgress::new : factory;
    }

    /** The plain-text view: the epoch's header and its final line on standard output. */
    public static Progress text() {
        return new TextProgress();
    }

    static Progress create() {
        return views.get();
    }

    /** An epoch starts (both from 0 and counted from 1 in what is shown). */
    public abstract void epochStart(int epoch, int epochs, int steps, int verbose);

    /** A step ended: {@code step} of {@code steps} (from 1), the epoch's running logs. */
    public abstract void step(int step, int steps, Map<String, Double> logs, double secondsSoFar);

    /** The epoch ended with these logs (validation included). */
    public abstract void epochEnd(int steps, Map<String, Double> logs, double seconds);

    /** The line Keras 3 prints for a finished or running epoch. */
    public static String line(int step, int steps, Map<String, Double> logs, double seconds, int verbose) {
        StringBuilder text = new StringBuilder();
        text.append(step).append('/').append(steps);
        double perStep = step == 0 ? 0 : seconds / step;
        String time = Math.round(seconds) + "s";
        String rate = perStep >= 1 ? Math.round(perStep) + "s/step" : perStep >= 1e-3
                ? Math.round(perStep * 1e3) + "ms/step" : Math.round(perStep * 1e6) + "us/step";
        if (verbose == 2) {
            text.append(" - ").append(time).append(" - ").append(rate);
        } else {
            int filled = steps == 0 ? 20 : (int) Math.round(20.0 * step / steps);
            text.append(' ').append("\u2501".repeat(filled)).append(filled < 20 ? "\u2578" : "")
                    .append(" ".repeat(Math.max(0, 19 - filled))).append(' ').append(time).append(' ').append(rate);
        }
        logs.keySet().stream().sorted().forEach(key -> text.append(" - ").append(key).append(": ")
                .append(String.format(Locale.ROOT, "%.4f", logs.get(key))));
        return text.toString();
    }

    /** Plain text: the epoch's header and its final line. */
    static final class TextProgress extends Progress {
        private int verbose;

        @Override
        public void epochStart(int epoch, int epochs, int steps, int verboseLevel) {
            this.verbose = verboseLevel;
            if (verbose > 0) {
                System.out.println("Epoch " + (epoch + 1) + "/" + epochs);
            }
        }

        @Override
        public void step(int step, int steps, Map<String, Double> logs, double secondsSoFar) {
        }

        @Override
        public void epochEnd(int steps, Map<String, Double> logs, double seconds) {
            if (verbose > 0) {
                System.out.println(line(steps, steps, logs, seconds, verbose));
            }
        }
    }
}
