package org.shapelab.kernel;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import org.shapelab.display.Html;
import org.shapelab.training.Progress;

/**
 * fit's progress in a notebook, as Keras's bar in Jupyter: one output per epoch, shown when the epoch starts and
 * redrawn in place (Jupyter's {@code update_display_data}, which ShapeLab's kernel and IJava 1.3.0 both send) as its
 * steps run, at most five times a second so that the messages never cost more than the steps; its last form keeps the
 * epoch's logs, validation included. Where no kernel runs (JShell), plain lines.
 */
final class NotebookProgress extends Progress {

    private static final long REDRAW_NANOS = 200_000_000L;
    private static final AtomicLong DISPLAYS = new AtomicLong();

    private final BaseKernel kernel;
    private String id;
    private String header;
    private int verbose;
    private long lastDraw;

    private NotebookProgress(BaseKernel kernel) {
        this.kernel = kernel;
    }

    /** The notebook view in a running kernel, else the text one. */
    static Progress forRunningKernel() {
        BaseKernel kernel = ShapeLabDisplay.runningKernel();
        return kernel == null ? Progress.text() : new NotebookProgress(kernel);
    }

    @Override
    public void epochStart(int epoch, int epochs, int steps, int verboseLevel) {
        this.verbose = verboseLevel;
        this.header = "Epoch " + (epoch + 1) + "/" + epochs;
        this.id = "shapelab-fit-" + DISPLAYS.incrementAndGet();
        if (verbose == 1) {
            DisplayData data = render(0, steps, Map.of(), 0);
            data.setDisplayId(id);
            kernel.display(data);
            lastDraw = System.nanoTime();
        }
    }

    @Override
    public void step(int step, int steps, Map<String, Double> logs, double secondsSoFar) {
        long now = System.nanoTime();
        if (verbose == 1 && step < steps && now - lastDraw >= REDRAW_NANOS) {
            update(render(step, steps, logs, secondsSoFar));
            lastDraw = now;
        }
    }

    @Override
    public void epochEnd(int steps, Map<String, Double> logs, double seconds) {
        if (verbose == 1) {
            update(render(steps, steps, logs, seconds));
        } else if (verbose == 2) {
            System.out.println(header);
            System.out.println(line(steps, steps, logs, seconds, 2));
        }
    }

    private void update(DisplayData data) {
        if (kernel instanceof ShapeLabKernel own) {
            own.updateDisplay(id, data);
        } else {
            kernel.getIO().display.updateDisplay(id, data);
        }
    }

    private DisplayData render(int step, int steps, Map<String, Double> logs, double seconds) {
        String line = line(step, steps, logs, seconds, 1);
        DisplayData data = new DisplayData(header + "\n" + line);
        data.putHTML("<div style=\"font-family:monospace;font-size:12px\"><b>" + Html.escape(header) + "</b><br>"
                + "<progress value=\"" + step + "\" max=\"" + Math.max(steps, 1) + "\" style=\"width:240px;"
                + "vertical-align:middle\"></progress> " + Html.escape(line.substring(line.indexOf(' ')).replaceAll(
                "^ [\u2501\u2578 ]+", " ")) + " <span style=\"color:#888\">(" + step + "/" + steps + " steps)</span></div>");
        return data;
    }
}
