package org.shapelab.kernel;

import java.util.Map;
import java.util.UUID;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import org.shapelab.display.Html;
import org.shapelab.display.MimeBundle;
import org.shapelab.training.Progress;

/**
 * fit's progress in a notebook, as Keras's bar in Jupyter: one output per epoch, shown when the epoch starts and
 * redrawn in place (Jupyter's {@code update_display_data}, which ShapeLab's kernel and IJava 1.3.0 both send) as its
 * steps run, at most five times a second so that the messages never cost more than the steps; its last form keeps the
 * epoch's logs, validation included. JJava's extension shows it through JJava's displays ({@link JJavaExtension}).
 * Where no kernel runs (JShell), plain lines.
 *
 * <p>Each output's display id is new to the world (a random UUID, as IPython's {@code display_id=True}), not a count:
 * a front end updates every output that has the id, and a count starts again with every kernel, so a restarted
 * kernel's first epoch would also redraw the first epoch of the kernel before it, still on screen.
 */
final class NotebookProgress extends Progress {

    private static final long REDRAW_NANOS = 200_000_000L;

    /** Where the progress goes: a kernel's {@code display_data} and {@code update_display_data} with this id. */
    interface Displays {
        void show(String id, MimeBundle bundle);

        void update(String id, MimeBundle bundle);
    }

    private final Displays out;
    private String id;
    private String header;
    private int verbose;
    private long lastDraw;

    NotebookProgress(Displays out) {
        this.out = out;
    }

    /** The notebook view in a running kernel, else the text one. */
    static Progress forRunningKernel() {
        BaseKernel kernel = ShapeLabDisplay.runningKernel();
        return kernel == null ? Progress.text() : new NotebookProgress(displaysOf(kernel));
    }

    /** ShapeLab's kernel keeps a display after the text the cell printed before it; IJava's sends it as it comes. */
    static Displays displaysOf(BaseKernel kernel) {
        return new Displays() {
            @Override
            public void show(String id, MimeBundle bundle) {
                kernel.display(data(id, bundle));
            }

            @Override
            public void update(String id, MimeBundle bundle) {
                if (kernel instanceof ShapeLabKernel own) {
                    own.updateDisplay(id, data(id, bundle));
                } else {
                    kernel.getIO().display.updateDisplay(id, data(id, bundle));
                }
            }
        };
    }

    private static DisplayData data(String id, MimeBundle bundle) {
        DisplayData data = new DisplayData(bundle.text());
        bundle.get(MimeBundle.HTML).ifPresent(data::putHTML);
        data.setDisplayId(id);
        return data;
    }

    @Override
    public void epochStart(int epoch, int epochs, int steps, int verboseLevel) {
        this.verbose = verboseLevel;
        this.header = "Epoch " + (epoch + 1) + "/" + epochs;
        this.id = "shapelab-fit-" + UUID.randomUUID();
        if (verbose == 1) {
            out.show(id, render(0, steps, Map.of(), 0));
            lastDraw = System.nanoTime();
        }
    }

    @Override
    public void step(int step, int steps, Map<String, Double> logs, double secondsSoFar) {
        long now = System.nanoTime();
        if (verbose == 1 && step < steps && now - lastDraw >= REDRAW_NANOS) {
            out.update(id, render(step, steps, logs, secondsSoFar));
            lastDraw = now;
        }
    }

    @Override
    public void epochEnd(int steps, Map<String, Double> logs, double seconds) {
        if (verbose == 1) {
            out.update(id, render(steps, steps, logs, seconds));
        } else if (verbose == 2) {
            System.out.println(header);
            System.out.println(line(steps, steps, logs, seconds, 2));
        }
    }

    private MimeBundle render(int step, int steps, Map<String, Double> logs, double seconds) {
        String line = line(step, steps, logs, seconds, 1);
        return MimeBundle.text(header + "\n" + line).withHtml("<div style=\"font-family:monospace;font-size:12px\"><b>"
                + Html.escape(header) + "</b><br>"
                + "<progress value=\"" + step + "\" max=\"" + Math.max(steps, 1) + "\" style=\"width:240px;"
                + "vertical-align:middle\"></progress> " + Html.escape(line.substring(line.indexOf(' ')).replaceAll(
                "^ [\u2501\u2578 ]+", " ")) + " <span style=\"color:#888\">(" + step + "/" + steps + " steps)</span></div>");
    }
}
