package org.shapelab.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.compute.Nd4jRuntime;
import org.shapelab.data.FashionMnist;
import org.shapelab.model.Sequential;
import org.shapelab.training.Callback;
import org.shapelab.training.FitOptions;
import org.shapelab.training.Loss;
import org.shapelab.training.Optimizer;

/**
 * Process RSS over many epochs of issue 10's T1 (Keras's tutorial model on the 60,000 Fashion-MNIST images, batch 32,
 * Adam, sparse categorical crossentropy from logits, accuracy): one {@code fit} call with verbose 0 and a callback that
 * reads VmRSS from /proc/self/status at the end of each epoch. Writes the figures (Markdown) and an SVG line plot to
 * target/bench-training/.
 *
 * <pre>tools/bench/training --rss [EPOCHS]</pre>
 */
public final class TrainingRss {

    private TrainingRss() {
    }

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Locale.setDefault(Locale.ROOT);
        Nd4jRuntime.ensureLoaded();
        double startRss = Machine.rssMb();
        FashionMnist data = FashionMnist.loadData();
        INDArray x = data.xTrain().castTo(DataType.FLOAT).divi(255);
        INDArray y = data.yTrain();
        double dataRss = Machine.rssMb();
        Sequential model = Sequential.input(28, 28).flatten().dense(128, "relu").dense(10).seed(42);
        model.compile(new Optimizer.Adam(), Loss.sparseCategoricalCrossentropy(true), "accuracy");
        List<double[]> rows = new ArrayList<>(); // epoch, RSS MB, seconds, loss, accuracy
        long[] start = {System.nanoTime()};
        String started = Instant.now().toString();
        String startLoad = Machine.load();
        model.fit(x, y, FitOptions.epochs(epochs).batchSize(32).verbose(0).callbacks(Callback.everyEpoch((epoch,
                logs) -> {
            double rss = Machine.rssMb();
            double seconds = (System.nanoTime() - start[0]) / 1e9;
            start[0] = System.nanoTime();
            double heap = Runtime.getRuntime().totalMemory() / 1048576.0;
            double heapUsed = heap - Runtime.getRuntime().freeMemory() / 1048576.0;
            double javacpp = org.bytedeco.javacpp.Pointer.totalBytes() / 1048576.0;
            rows.add(new double[] {epoch + 1, rss, seconds, logs.get("loss"), logs.get("accuracy"), heap, heapUsed,
                    javacpp});
            System.out.printf("epoch %2d: RSS %.1f MB (Java heap committed %.1f, used %.1f; JavaCPP-tracked native"
                            + " %.1f), %.1f s, loss %.4f, accuracy %.4f, load %s%n", epoch + 1, rss, heap, heapUsed,
                    javacpp, seconds, logs.get("loss"), logs.get("accuracy"), Machine.load());
        })));
        double testAccuracy = model.evaluate(data.xTest().castTo(DataType.FLOAT).divi(255), data.yTest())
                .get("accuracy");

        double first = rows.get(0)[1];
        double last = rows.get(rows.size() - 1)[1];
        double peak = rows.stream().mapToDouble(r -> r[1]).max().orElse(Double.NaN);
        double[] trend = slope(rows.subList(Math.min(2, rows.size() - 1), rows.size()));
        int tail = Math.max(0, rows.size() - 15);
        double[] tailTrend = slope(rows.subList(tail, rows.size()));
        double tailMin = rows.subList(tail, rows.size()).stream().mapToDouble(r -> r[1]).min().orElse(Double.NaN);
        double tailMax = rows.subList(tail, rows.size()).stream().mapToDouble(r -> r[1]).max().orElse(Double.NaN);
        StringBuilder md = new StringBuilder();
        md.append("T1 RSS over ").append(epochs).append(" epochs, started ").append(started).append(", load average ")
                .append(startLoad).append(" → ").append(Machine.load()).append('\n');
        md.append(String.format("%nRSS before loading the data %.1f MB, after loading it (uint8 and the float32 copy)"
                + " %.1f MB.%n", startRss, dataRss));
        md.append(String.format("First epoch %.1f MB, last %.1f MB, peak %.1f MB; after epoch 2 the least-squares trend"
                + " is %+.2f MB per epoch (epochs 3-%d); over the last %d epochs (%d-%d) %+.2f MB per epoch, RSS between"
                + " %.1f and %.1f MB.%n", first, last, peak, trend[0], epochs, rows.size() - tail, tail + 1, rows.size(),
                tailTrend[0], tailMin, tailMax));
        md.append("Java heap committed: the JVM's heap, whose pages become resident as it first fills (SerialGC does not"
                + " give them back); JavaCPP-tracked native: the off-heap bytes ND4J's arrays hold through JavaCPP.\n");
        md.append(String.format("Test accuracy after %d epochs: %.4f.%n%n", epochs, testAccuracy));
        md.append("| epoch | RSS MB | Java heap committed MB | heap used MB | JavaCPP-tracked native MB | s | loss |"
                + " accuracy |\n|---|---|---|---|---|---|---|---|\n");
        for (double[] r : rows) {
            md.append(String.format("| %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.4f | %.4f |%n", (int) r[0], r[1], r[5],
                    r[6], r[7], r[2], r[3], r[4]));
        }
        md.append("\n").append(String.join("\n", Machine.describe().entrySet().stream()
                .map(e -> "* " + e.getKey() + ": " + e.getValue()).toList())).append('\n');
        Path dir = Path.of("target/bench-training");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("rss.md"), md.toString());
        Files.writeString(dir.resolve("training-rss.svg"), svg(rows, startRss, dataRss, epochs));
        System.out.println();
        System.out.println(md);
        Nd4j.getMemoryManager().invokeGc();
    }

    /** Least-squares slope (MB per epoch) of RSS over the given rows. */
    static double[] slope(List<double[]> rows) {
        double n = rows.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] r : rows) {
            sx += r[0];
            sy += r[1];
            sxx += r[0] * r[0];
            sxy += r[0] * r[1];
        }
        double denominator = n * sxx - sx * sx;
        return new double[] {denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator};
    }

    /**
     * A line plot of RSS per epoch, the y axis from 0, with the Java heap in use and the RSS after loading the data
     * (dashed).
     */
    static String svg(List<double[]> rows, double startRss, double dataRss, int epochs) {
        int width = 640;
        int height = 320;
        int left = 64;
        int right = 20;
        int top = 48;
        int bottom = 44;
        double max = Math.max(dataRss, rows.stream().mapToDouble(r -> r[1]).max().orElse(1));
        double yMax = Math.ceil(max * 1.15 / 100) * 100;
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family="
                + "\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format("<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">T1: process RSS at the end"
                + " of each epoch</text>%n", left));
        svg.append(String.format("<text x=\"%d\" y=\"36\" fill=\"#666\">Fashion-MNIST, Flatten → Dense(128,"
                + " relu) → Dense(10), batch 32, Adam; one fit call, verbose 0</text>%n", left));
        for (int i = 0; i <= 5; i++) {
            double value = yMax * i / 5;
            double y = top + plotH - plotH * value / yMax;
            svg.append(String.format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", left, y,
                    left + plotW, y));
            svg.append(String.format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>%n", left - 6, y + 4,
                    value));
        }
        svg.append(String.format("<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">RSS,"
                + " MB</text>%n", top + plotH / 2, top + plotH / 2));
        for (int e = 1; e <= epochs; e++) {
            double x = left + plotW * (e - 0.5) / epochs;
            if (epochs <= 20 || e % 5 == 0 || e == 1) {
                svg.append(String.format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x,
                        top + plotH + 16, e));
            }
        }
        svg.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">epoch</text>%n", left + plotW / 2,
                height - 8));
        double dataY = top + plotH - plotH * dataRss / yMax;
        svg.append(String.format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#888\" stroke-dasharray="
                + "\"5,4\"/>%n", left, dataY, left + plotW, dataY));
        svg.append(String.format("<text x=\"%d\" y=\"%.1f\" fill=\"#666\" text-anchor=\"end\">before fit (data loaded):"
                + " %.0f MB</text>%n", left + plotW - 4, dataY + 14, dataRss));
        StringBuilder points = new StringBuilder();
        for (double[] r : rows) {
            double x = left + plotW * (r[0] - 0.5) / epochs;
            double y = top + plotH - plotH * r[1] / yMax;
            points.append(String.format("%.1f,%.1f ", x, y));
            svg.append(String.format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#1f77b4\"><title>epoch %d: %.1f MB"
                    + "</title></circle>%n", x, y, (int) r[0], r[1]));
        }
        svg.append(String.format("<polyline points=\"%s\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>%n",
                points.toString().trim()));
        StringBuilder heap = new StringBuilder();
        for (double[] r : rows) {
            heap.append(String.format("%.1f,%.1f ", left + plotW * (r[0] - 0.5) / epochs, top + plotH - plotH * r[6] / yMax));
        }
        svg.append(String.format("<polyline points=\"%s\" fill=\"none\" stroke=\"#ff7f0e\" stroke-width=\"1.5\""
                + " stroke-dasharray=\"2,3\"/>%n", heap.toString().trim()));
        svg.append(String.format("<text x=\"%d\" y=\"%d\" fill=\"#1f77b4\">— process RSS</text>%n", left + 8, top + 14));
        svg.append(String.format("<text x=\"%d\" y=\"%d\" fill=\"#ff7f0e\">··· Java heap in use (garbage until a full GC)</text>%n", left + 8,
                top + 30));
        svg.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", left,
                top + plotH, left + plotW, top + plotH));
        svg.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", left, top, left,
                top + plotH));
        svg.append("</svg>\n");
        return svg.toString();
    }
}
