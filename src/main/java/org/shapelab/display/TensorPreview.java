package org.shapelab.display;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.shape.DataFormat;
import org.shapelab.shape.Shape;

/**
 * A look at a tensor for a notebook: its array shape with axis names, dtype and statistics (NaN, infinity
 * and zeros counted and flagged), its values summarized as NumPy prints them, and a picture: a heatmap of a
 * 2D batch, a timeline of a sequence, a grid of per-channel heatmaps for images.
 *
 * <p>Arrays are read batch first, as {@code predict} and {@code trace} return them. Bounded for any size:
 * statistics of arrays over {@value #EXACT_LIMIT} values come from evenly spaced runs of values (and say so),
 * pictures show at most {@value #MAX_CELLS}×{@value #MAX_CELLS} cells per heatmap and {@value #MAX_TILES}
 * channels, so a 10^8-value tensor previews in milliseconds and well under a megabyte.
 *
 * <pre>{@code
 * TensorPreview.of(x)                                  // automatic layout by rank
 * TensorPreview.of(x).channelsAxis(1).range(-1, 1)     // channels first, fixed colour range
 * }</pre>
 */
public final class TensorPreview {

    static final int EXACT_LIMIT = 1 << 20;
    private static final int RUNS = 1024;
    static final int MAX_CELLS = 128;
    static final int MAX_TILES = 32;
    private static final int SUMMARY_THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;
    /** Value lines shown before the rest is folded away (HTML details). */
    static final int VISIBLE_VALUE_LINES = 6;
    /** Sequences with at most this many features are drawn as line plots, one per feature. */
    static final int MAX_LINE_PLOTS = 8;
    /** No heatmap side is drawn smaller than this many pixels, however few cells it has. */
    static final int MIN_SIDE = 64;

    private final INDArray array;
    private int sample;
    private Integer rowsAxis;
    private Integer colsAxis;
    private Integer channelsAxis;
    private double[] range;
    private String title;
    private boolean compact;
    private List<String> axisNames;
    private Boolean lines;
    private boolean sampleChosen;

    private TensorPreview(INDArray array) {
        this.array = array;
    }

    /** A preview of a batch-first array. */
    public static TensorPreview of(INDArray array) {
        return new TensorPreview(array);
    }

    /** Which sample of the batch the picture and the values show (default: the picture sample 0, all values). */
    public TensorPreview sample(int index) {
        this.sample = index;
        this.sampleChosen = true;
        return this;
    }

    /** The axis drawn downwards (counted with the batch axis; negative counts from the end). */
    public TensorPreview rowsAxis(int axis) {
        this.rowsAxis = axis;
        return this;
    }

    /** The axis drawn across. */
    public TensorPreview colsAxis(int axis) {
        this.colsAxis = axis;
        return this;
    }

    /** The axis whose entries get a heatmap each. */
    public TensorPreview channelsAxis(int axis) {
        this.channelsAxis = axis;
        return this;
    }

    /** A fixed colour range instead of the data's own, so that several previews compare. */
    public TensorPreview range(double low, double high) {
        this.range = new double[] {low, high};
        return this;
    }

    /** A caption above the preview, e.g. the layer that produced the array. */
    public TensorPreview title(String caption) {
        this.title = caption;
        return this;
    }

    /**
     * Names every axis, in order, e.g. {@code axes("batch", "timesteps", "channels")} for a stereo sound or
     * {@code axes("kernel rows", "kernel cols", "in channels", "filters")} for a Conv2D kernel, which has no batch
     * axis. An axis named {@code channels} or {@code filters} gets one heatmap per entry; without an axis named
     * {@code batch} the picture is not of one sample but of the whole array.
     */
    public TensorPreview axes(String... names) {
        long[] shape = array == null ? new long[0] : array.shape();
        if (names == null || names.length != shape.length) {
            throw new org.shapelab.shape.ShapeException("TensorPreview.axes needs one name per axis: the array "
                    + org.shapelab.shape.Shape.array(shape) + " has " + shape.length + " axes, but "
                    + (names == null ? 0 : names.length) + " names were given. Fix: e.g. axes("
                    + String.join(", ", java.util.Collections.nCopies(shape.length, "\"...\"")) + ").");
        }
        this.axisNames = List.of(names);
        return this;
    }

    /** Draws a sequence as line plots (one per feature or channel, each with its own scale), or not. */
    public TensorPreview lines(boolean asLines) {
        this.lines = asLines;
        return this;
    }

    /** Header and picture only, without the values: for tables of many previews (a trace). */
    public TensorPreview compact() {
        this.compact = true;
        return this;
    }

    /** Text, HTML and picture; never throws (a failed picture leaves the text). */
    public MimeBundle bundle() {
        return MimeBundle.guarded(array, this::render);
    }

    /** The header line and the NumPy-style values. */
    @Override
    public String toString() {
        if (array == null) {
            return "null";
        }
        try {
            return header(Stats.of(array)) + "\n" + values(array);
        } catch (RuntimeException failure) {
            return "array (could not read its values: " + failure + ")";
        }
    }

    private MimeBundle render() {
        if (array == null) {
            return MimeBundle.text("null");
        }
        Stats stats = Stats.of(array);
        String text = header(stats) + "\n" + textValues();
        StringBuilder html = new StringBuilder("<div style=\"font-family:ui-monospace,Menlo,Consolas,monospace;"
                + "font-size:13px\">");
        if (title != null) {
            html.append("<div style=\"font-weight:600\">").append(Html.escape(title)).append("</div>");
        }
        html.append("<div>").append(headerHtml(stats)).append("</div>");
        if (showsOneOfSeveralSamples()) {
            html.append("<div style=\"opacity:.7\">statistics of the whole array; picture and values of one sample</div>");
        }
        html.append(figure(stats));
        if (!compact) {
            html.append(valuesHtml());
        }
        html.append("</div>");
        return MimeBundle.text(text).withHtml(html.toString());
    }

    /**
     * The values as NumPy prints them, a few lines visible and the rest folded: hundreds of lines of numbers
     * would push the rest of the notebook out of sight. When the picture shows one sample, so do the values.
     */
    private String valuesHtml() {
        long[] shape = array.shape();
        boolean oneSample = showsOneOfSeveralSamples();
        long shown = shownSample();
        String values = oneSample ? values(array.slice(shown)) : values(array);
        String[] lines = values.split("\n", -1);
        StringBuilder html = new StringBuilder();
        if (oneSample) {
            html.append("<div style=\"opacity:.7;margin-top:4px\">values of sample ").append(shown).append(" (of ")
                    .append(shape[0]).append(" in the batch)</div>");
        }
        if (lines.length <= VISIBLE_VALUE_LINES + 1) {
            return html.append("<pre style=\"margin:4px 0\">").append(Html.escape(values)).append("</pre>").toString();
        }
        String visible = String.join("\n", Arrays.copyOfRange(lines, 0, VISIBLE_VALUE_LINES));
        String rest = String.join("\n", Arrays.copyOfRange(lines, VISIBLE_VALUE_LINES, lines.length));
        return html.append("<pre style=\"margin:4px 0 0 0\">").append(Html.escape(visible))
                .append("</pre><details><summary style=\"cursor:pointer;opacity:.8\">")
                .append(lines.length - VISIBLE_VALUE_LINES).append(" more lines of values</summary><pre style=\"margin:0\">")
                .append(Html.escape(rest)).append("</pre></details>").toString();
    }

    /** The values as text: of the sample chosen with {@link #sample(int)} if the picture shows one, else all. */
    private String textValues() {
        if (sampleChosen && showsOneOfSeveralSamples()) {
            return "values of sample " + shownSample() + " (of " + array.size(0) + " in the batch):\n"
                    + values(array.slice(shownSample()));
        }
        return values(array);
    }

    /** Whether the picture shows one sample (the batch axis is not drawn) rather than the whole array. */
    private boolean isPerSample(Layout layout) {
        return hasBatchAxis() && layout.rows != 0 && layout.cols != 0 && layout.channels != 0;
    }

    /** Whether the picture, and so the values, show one sample of a batch of several. */
    private boolean showsOneOfSeveralSamples() {
        Layout layout = layout(array.rank());
        return layout != null && isPerSample(layout) && array.rank() > 1 && array.size(0) > 1;
    }

    /** The sample the picture shows: {@link #sample(int)} kept inside the batch. */
    private long shownSample() {
        return array.rank() == 0 ? 0 : Math.min(Math.max(sample, 0), Math.max(array.size(0) - 1, 0));
    }

    // ---- header ----

    private String header(Stats s) {
        StringBuilder text = new StringBuilder("array shape ").append(shapeText()).append("  ").append(dtype());
        if (s.count == 0) {
            return text.append("  (no values)").toString();
        }
        text.append(String.format(Locale.ROOT, "  min %s  max %s  mean %s  std %s", number(s.min), number(s.max),
                number(s.mean()), number(s.std())));
        text.append("  zeros ").append(s.zeros).append("  NaN ").append(s.nan).append("  inf ").append(s.inf);
        if (s.sampled) {
            text.append("  (statistics from ").append(s.count).append(" of ").append(s.total)
                    .append(" values, in ").append(RUNS).append(" evenly spaced runs)");
        }
        return text.toString();
    }

    private String headerHtml(Stats s) {
        String text = Html.escape(header(s));
        if (s.nan > 0) {
            text = text.replace("NaN " + s.nan, "<b style=\"color:#d0342c\">NaN " + s.nan + "</b>");
        }
        if (s.inf > 0) {
            text = text.replace("inf " + s.inf, "<b style=\"color:#d0342c\">inf " + s.inf + "</b>");
        }
        return text;
    }

    private String shapeText() {
        long[] shape = array.shape();
        String tuple = Shape.array(shape).toString();
        List<String> names = axisNames(shape.length);
        if (names == null) {
            return tuple;
        }
        StringBuilder named = new StringBuilder(" = (");
        for (int i = 0; i < shape.length; i++) {
            named.append(i == 0 ? "" : ", ").append(names.get(i)).append(' ').append(shape[i]);
        }
        return tuple + named.append(')');
    }

    /** Axis names for the automatic layouts: batch first, then what the rank usually means in Keras. */
    private List<String> axisNames(int rank) {
        if (axisNames != null && axisNames.size() == rank) {
            return axisNames;
        }
        Layout layout = layout(rank);
        if (layout == null) {
            return null;
        }
        if (rank == 2) {
            return List.of("batch", "features");
        }
        String[] names = new String[rank];
        Arrays.fill(names, "axis");
        names[0] = "batch";
        names[layout.rows] = rank == 3 && channelsAxis == null ? "timesteps" : "rows";
        if (layout.cols >= 0) {
            names[layout.cols] = rank == 3 && channelsAxis == null ? "features" : "cols";
        }
        if (layout.channels >= 0) {
            names[layout.channels] = "channels";
        }
        return Arrays.asList(names);
    }

    private String dtype() {
        return switch (array.dataType()) {
            case FLOAT -> "float32";
            case DOUBLE -> "float64";
            case HALF -> "float16";
            case INT -> "int32";
            case LONG -> "int64";
            case SHORT -> "int16";
            case BYTE -> "int8";
            case UBYTE -> "uint8";
            case BOOL -> "bool";
            default -> array.dataType().toString().toLowerCase(Locale.ROOT);
        };
    }

    // ---- values, NumPy style ----

    private static String values(INDArray array) {
        long[] shape = array.shape();
        if (shape.length == 0) {
            return number(array.getDouble(0));
        }
        boolean summarize = array.length() > SUMMARY_THRESHOLD;
        StringBuilder out = new StringBuilder();
        appendValues(out, array, shape, new long[shape.length], 0, summarize);
        return out.toString();
    }

    private static void appendValues(StringBuilder out, INDArray array, long[] shape, long[] index, int axis,
                                     boolean summarize) {
        if (shape[axis] == 0) {
            out.append("[]");
            return;
        }
        out.append('[');
        List<Long> positions = positions(shape[axis], summarize);
        boolean first = true;
        for (Long position : positions) {
            if (!first) {
                out.append(axis == shape.length - 1 ? ", " : ",\n" + " ".repeat(axis + 1));
                if (axis < shape.length - 2) {
                    out.append("\n").append(" ".repeat(axis + 1));
                }
            }
            first = false;
            if (position == null) {
                out.append("...");
                continue;
            }
            index[axis] = position;
            if (axis == shape.length - 1) {
                out.append(number(array.getDouble(index)));
            } else {
                appendValues(out, array, shape, index, axis + 1, summarize);
            }
        }
        out.append(']');
    }

    /** All positions, or the first and last {@value #EDGE_ITEMS} around a {@code null} gap. */
    private static List<Long> positions(long size, boolean summarize) {
        List<Long> out = new ArrayList<>();
        if (!summarize || size <= 2L * EDGE_ITEMS) {
            for (long i = 0; i < size; i++) {
                out.add(i);
            }
            return out;
        }
        for (long i = 0; i < EDGE_ITEMS; i++) {
            out.add(i);
        }
        out.add(null);
        for (long i = size - EDGE_ITEMS; i < size; i++) {
            out.add(i);
        }
        return out;
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e7) {
            return String.format(Locale.ROOT, "%.0f.", value);
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1e-4 && magnitude < 1e5) {
            String text = String.format(Locale.ROOT, "%.4f", value);
            return text.replaceAll("0+$", "");
        }
        return String.format(Locale.ROOT, "%.3e", value);
    }

    // ---- picture ----

    /** Which axes are drawn: rows and cols of each heatmap, and optionally one heatmap per channel. */
    private record Layout(int rows, int cols, int channels) {
    }

    private Layout layout(int rank) {
        if (rank < 2) {
            return null;
        }
        if (axisNames != null && axisNames.size() == rank && rowsAxis == null && colsAxis == null
                && channelsAxis == null) {
            return namedLayout(rank);
        }
        if (rowsAxis != null || colsAxis != null || channelsAxis != null) {
            // Axes not given are the first free ones after the batch axis (the batch too for a 2D array).
            int channels = channelsAxis != null ? norm(channelsAxis, rank) : -1;
            int rows = rowsAxis != null ? norm(rowsAxis, rank) : freeAxis(rank, channels, -1);
            int cols = colsAxis != null ? norm(colsAxis, rank) : freeAxis(rank, channels, rows);
            return new Layout(rows, cols, channels);
        }
        return switch (rank) {
            case 2 -> new Layout(0, 1, -1);          // (batch, features): one row per sample
            case 3 -> new Layout(1, 2, -1);          // (batch, timesteps, features): time downwards
            default -> {
                DataFormat format = DataFormat.imageDataFormat();
                int channels = format == DataFormat.CHANNELS_LAST ? rank - 1 : 1;
                int rows = format == DataFormat.CHANNELS_LAST ? rank - 3 : rank - 2;
                yield new Layout(rows, rows + 1, channels);
            }
        };
    }

    /** The layout that explicit names give: a channels/filters axis gets tiles, the batch axis picks a sample. */
    private Layout namedLayout(int rank) {
        int channels = -1;
        for (int i = rank - 1; i >= 0 && channels < 0; i--) {
            if (isTileAxisName(axisNames.get(i))) {
                channels = i;
            }
        }
        boolean batch = hasBatchAxis();
        List<Integer> free = new ArrayList<>();
        for (int i = batch ? 1 : 0; i < rank; i++) {
            if (i != channels) {
                free.add(i);
            }
        }
        if (free.size() < 2) {
            // (batch, features): one row per sample; (batch, timesteps, channels): time down
            return free.size() == 1 && batch ? new Layout(0, free.get(0), channels) : new Layout(0, rank - 1, -1);
        }
        return new Layout(free.get(0), free.get(1), channels);
    }

    private static boolean isTileAxisName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith("channels") || n.endsWith("filters") || n.endsWith("channel") || n.endsWith("filter");
    }

    private boolean hasBatchAxis() {
        return axisNames == null || axisNames.get(0).equalsIgnoreCase(AxisNames.BATCH);
    }

    private static int freeAxis(int rank, int taken, int alsoTaken) {
        for (int axis = rank > 2 ? 1 : 0; axis < rank; axis++) {
            if (axis != taken && axis != alsoTaken) {
                return axis;
            }
        }
        return rank - 1;
    }

    private static int norm(int axis, int rank) {
        int i = axis < 0 ? rank + axis : axis;
        if (i < 0 || i >= rank) {
            throw new IllegalArgumentException("axis " + axis + " is outside an array of rank " + rank);
        }
        return i;
    }

    /** The picture as HTML: line plots for a short-featured sequence, else heatmaps with a colour legend. */
    private String figure(Stats stats) {
        long[] shape = array.shape();
        Layout layout = layout(shape.length);
        if (layout == null || stats.count == 0 || array.length() == 0) {
            return "";
        }
        int[] lineAxes = lineAxes(shape, layout);
        return lineAxes != null ? linePlots(shape, lineAxes[0], lineAxes[1]) : heatmaps(shape, layout, stats);
    }

    /**
     * For a sequence (batch, timesteps, features) with few features: the time axis and the feature axis, so that
     * each feature gets a line of its own, with its own scale (a temperature of 7 to 23 would drown a humidity of
     * 0.4 to 0.8 on one colour scale). Null where a heatmap fits better.
     */
    private int[] lineAxes(long[] shape, Layout layout) {
        if (shape.length != 3 || !hasBatchAxis() || Boolean.FALSE.equals(lines)) {
            return null;
        }
        if (lines == null && (rowsAxis != null || colsAxis != null)) {
            return null;
        }
        int series = layout.channels >= 1 ? layout.channels : 2;
        int time = series == 1 ? 2 : 1;
        boolean fits = shape[series] <= MAX_LINE_PLOTS && shape[time] >= 2;
        return Boolean.TRUE.equals(lines) || fits ? new int[] {time, series} : null;
    }

    private String linePlots(long[] shape, int timeAxis, int seriesAxis) {
        List<String> names = axisNames(shape.length);
        long b = shownSample();
        int series = (int) Math.min(shape[seriesAxis], MAX_LINE_PLOTS);
        int steps = (int) shape[timeAxis];
        int width = compact ? 200 : 480;
        int height = compact ? 26 : 54;
        String seriesName = singular(names.get(seriesAxis));
        Values values = Values.of(array);
        StringBuilder html = new StringBuilder("<div style=\"margin:4px 0\">");
        long[] index = new long[3];
        index[0] = b;
        for (int k = 0; k < series; k++) {
            index[seriesAxis] = k;
            double[] line = new double[steps];
            for (int t = 0; t < steps; t++) {
                index[timeAxis] = t;
                line[t] = values.at(index);
            }
            double[] range = finiteRange(line);
            html.append("<div style=\"display:flex;align-items:center;gap:8px\"><span style=\"min-width:7em\">")
                    .append(Html.escape(seriesName)).append(' ').append(k).append("</span><img alt=\"")
                    .append(Html.escape(seriesName + " " + k)).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png(LinePlot.draw(line, range[0], range[1], width, height))))
                    .append("\"/><span style=\"opacity:.75\">").append(number(range[0])).append(" to ")
                    .append(number(range[1])).append("</span></div>");
        }
        html.append("<div style=\"opacity:.7\">sample ").append(b).append(": ").append(Html.escape(names.get(timeAxis)))
                .append(" across (0 to ").append(steps - 1).append("), one line per ").append(Html.escape(seriesName)).append(" (").append(series)
                .append(shape[seriesAxis] > series ? " of " + shape[seriesAxis] : "")
                .append("), each scaled to its own range; NaN and inf are gaps</div></div>");
        return html.toString();
    }

    private static double[] finiteRange(double[] line) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (double v : line) {
            if (Double.isFinite(v)) {
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
        return low > high ? new double[] {0, 0} : new double[] {low, high};
    }

    /** "channels" to "channel", for labels of one entry. */
    private static String singular(String name) {
        return name.endsWith("s") && name.length() > 1 ? name.substring(0, name.length() - 1) : name;
    }

    private String heatmaps(long[] shape, Layout layout, Stats stats) {
        double low = range != null ? range[0] : stats.min;
        double high = range != null ? range[1] : stats.max;
        boolean diverging = range == null && low < 0 && high > 0;
        if (diverging) {
            high = Math.max(-low, high);
            low = -high;
        }
        long[] base = new long[shape.length];
        if (isPerSample(layout)) {
            base[0] = shownSample();
        }
        int tiles = layout.channels < 0 ? 1 : (int) Math.min(shape[layout.channels], compact ? MAX_TILES / 2 : MAX_TILES);
        int h = (int) Math.min(shape[layout.rows], MAX_CELLS);
        int w = (int) Math.min(shape[layout.cols], MAX_CELLS);
        long rowStep = ceilDiv(shape[layout.rows], h);
        long colStep = ceilDiv(shape[layout.cols], w);
        h = (int) ceilDiv(shape[layout.rows], rowStep);
        w = (int) ceilDiv(shape[layout.cols], colStep);
        // Many channels get smaller tiles, so the grid stays about the size of one large heatmap.
        int target = compact ? 80 : tiles > 16 ? 72 : tiles > 4 ? 96 : 160;
        int minSide = compact ? MIN_SIDE / 2 : MIN_SIDE;
        int cellH;
        int cellW;
        if (isSpatial(shape, layout)) {
            // rows and cols of an image: square cells, so that a picture keeps its proportions
            int side = Math.max(h, w);
            cellH = Math.max(Math.max(1, Math.min(8, target / side)), ceilDivInt(minSide, side));
            cellW = cellH;
        } else {
            // (batch, features) or a long sequence: each direction readable on its own, never a 1-pixel sliver
            cellH = Math.max(Math.max(1, Math.min(8, target / h)), ceilDivInt(minSide, h));
            cellW = Math.max(Math.max(1, Math.min(8, target / w)), ceilDivInt(minSide, w));
        }
        List<String> names = axisNames(shape.length);
        String tileName = layout.channels >= 0 ? singular(names.get(layout.channels)) : null;
        StringBuilder html = new StringBuilder("<div style=\"display:flex;flex-wrap:wrap;gap:6px;margin:4px 0\">");
        for (int t = 0; t < tiles; t++) {
            double[][] cells = tile(shape, layout, base, t, rowStep, colStep);
            BufferedImage image = new BufferedImage(w * cellW, h * cellH, BufferedImage.TYPE_INT_ARGB);
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    int argb = Colors.map(cells[r][c], low, high, diverging);
                    for (int dy = 0; dy < cellH; dy++) {
                        for (int dx = 0; dx < cellW; dx++) {
                            image.setRGB(c * cellW + dx, r * cellH + dy, argb);
                        }
                    }
                }
            }
            String label = tileName == null ? "" : tileName + " " + t;
            html.append("<div style=\"text-align:center\"><img alt=\"").append(Html.escape(label.isEmpty() ? "heatmap" : label))
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(png(image)))
                    .append("\" style=\"image-rendering:pixelated\"/>");
            if (tileName != null) {
                html.append("<div style=\"font-size:11px;opacity:.8\">").append(Html.escape(label)).append("</div>");
            }
            html.append("</div>");
        }
        html.append("</div>");
        html.append(legend(low, high, diverging));
        html.append("<div style=\"opacity:.7\">").append(Html.escape(caption(shape, layout, tiles, rowStep, colStep)))
                .append("</div>");
        return html.toString();
    }

    /** Whether the drawn axes are an image's rows and cols (square cells) rather than a table or a timeline. */
    private boolean isSpatial(long[] shape, Layout layout) {
        List<String> names = axisNames(shape.length);
        return names != null && names.get(layout.rows).endsWith("rows") && names.get(layout.cols).endsWith("cols");
    }

    private static int ceilDivInt(int a, int b) {
        return (a + b - 1) / b;
    }

    /** The colour scale as a bar with its ends (and zero, around which a diverging scale is white). */
    private static String legend(double low, double high, boolean diverging) {
        int width = 120;
        BufferedImage bar = new BufferedImage(width, 10, BufferedImage.TYPE_INT_ARGB);
        for (int x = 0; x < width; x++) {
            int argb = Colors.map(low + (high - low) * x / (width - 1.0), low, high, diverging);
            for (int y = 0; y < 10; y++) {
                bar.setRGB(x, y, argb);
            }
        }
        return "<div style=\"display:flex;align-items:center;gap:6px;font-size:11px;opacity:.85\"><span>" + number(low)
                + "</span><img alt=\"colour scale\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png(bar))
                + "\"/><span>" + number(high) + "</span><span>" + (diverging ? "(blue below 0, white at 0, red above; the"
                + " scale is symmetric around 0, so one end may lie beyond the data)" : "(dark to bright)")
                + "; NaN and inf: magenta</span></div>";
    }

    /** One heatmap's cells (rows down, cols across), every rowStep-th row and colStep-th column. */
    private double[][] tile(long[] shape, Layout layout, long[] base, int channel, long rowStep, long colStep) {
        Values values = Values.of(array);
        int h = (int) ceilDiv(shape[layout.rows], rowStep);
        int w = (int) ceilDiv(shape[layout.cols], colStep);
        long[] index = base.clone();
        if (layout.channels >= 0) {
            index[layout.channels] = channel;
        }
        double[][] cells = new double[h][w];
        for (int r = 0; r < h; r++) {
            index[layout.rows] = r * rowStep;
            for (int c = 0; c < w; c++) {
                index[layout.cols] = c * colStep;
                cells[r][c] = values.at(index);
            }
        }
        return cells;
    }

    /**
     * Element access by index. ND4J's own getDouble and strided copies cost microseconds per call; reading the
     * native buffer through its strides costs nanoseconds, which keeps huge previews fast.
     */
    static final class Values {
        private final INDArray array;
        private final java.nio.FloatBuffer floats;
        private final java.nio.DoubleBuffer doubles;
        private final long offset;
        private final long[] stride;

        private Values(INDArray array, java.nio.FloatBuffer floats, java.nio.DoubleBuffer doubles) {
            this.array = array;
            this.floats = floats;
            this.doubles = doubles;
            this.offset = array.offset();
            this.stride = array.stride();
        }

        static Values of(INDArray array) {
            boolean direct = array.data().offset() == 0 && array.data().length() < Integer.MAX_VALUE / 8;
            if (direct && array.dataType() == DataType.FLOAT) {
                return new Values(array, array.data().asNio().order(java.nio.ByteOrder.nativeOrder())
                        .asFloatBuffer(), null);
            }
            if (direct && array.dataType() == DataType.DOUBLE) {
                return new Values(array, null, array.data().asNio().order(java.nio.ByteOrder.nativeOrder())
                        .asDoubleBuffer());
            }
            return new Values(array, null, null);
        }

        double at(long[] index) {
            if (floats == null && doubles == null) {
                return array.getDouble(index);
            }
            long position = offset;
            for (int k = 0; k < index.length; k++) {
                position += index[k] * stride[k];
            }
            return floats != null ? floats.get((int) position) : doubles.get((int) position);
        }

        /** Value number i in C order (row-major over the array's shape). */
        double atFlat(long i, long[] shape, long[] scratch) {
            for (int k = shape.length - 1; k >= 0; k--) {
                scratch[k] = i % shape[k];
                i /= shape[k];
            }
            return at(scratch);
        }
    }

    private String caption(long[] shape, Layout layout, int tiles, long rowStep, long colStep) {
        List<String> names = axisNames(shape.length);
        StringBuilder text = new StringBuilder();
        if (isPerSample(layout)) {
            text.append("sample ").append(shownSample()).append(": ");
        }
        text.append(names.get(layout.rows)).append(" down, ").append(names.get(layout.cols)).append(" across");
        if (layout.channels >= 0) {
            text.append(", one heatmap per ").append(singular(names.get(layout.channels))).append(" (").append(tiles)
                    .append(shape[layout.channels] > tiles ? " of " + shape[layout.channels] : "").append(')');
        }
        if (rowStep > 1) {
            text.append(", ").append(thinned(names.get(layout.rows), rowStep, shape[layout.rows]));
        }
        if (colStep > 1) {
            text.append(rowStep > 1 ? " and " : ", ").append(thinned(names.get(layout.cols), colStep, shape[layout.cols]));
        }
        int drawn = (isPerSample(layout) ? 1 : 0) + 2 + (layout.channels >= 0 ? 1 : 0);
        if (shape.length > drawn) {
            text.append(", first index of the other axes");
        }
        return text.toString();
    }

    /** "one sample in every 3 shown (100 of 300)": which axis was thinned, and how much of it is drawn. */
    private static String thinned(String axis, long step, long size) {
        String entry = axis.equals(AxisNames.BATCH) ? "sample" : singular(axis);
        return "one " + entry + " in every " + step + " shown (" + ceilDiv(size, step) + " of " + size + ")";
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static byte[] png(BufferedImage image) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("PNG encoding failed", e);
        }
    }

    /** Colour maps: viridis-like for one sign, blue-white-red around zero for both. */
    static final class Colors {
        private static final int[][] VIRIDIS = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98},
                {253, 231, 37}};
        private static final int MAGENTA = 0xFFFF00FF;

        private Colors() {
        }

        static int map(double value, double low, double high, boolean diverging) {
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                return MAGENTA;
            }
            double t = high > low ? (value - low) / (high - low) : 0.5;
            t = Math.max(0, Math.min(1, t));
            if (diverging) {
                // 0 -> blue (33, 102, 172), 0.5 -> white, 1 -> red (178, 24, 43)
                return t < 0.5 ? blend(new int[] {33, 102, 172}, new int[] {247, 247, 247}, t * 2)
                        : blend(new int[] {247, 247, 247}, new int[] {178, 24, 43}, (t - 0.5) * 2);
            }
            double scaled = t * (VIRIDIS.length - 1);
            int i = Math.min((int) scaled, VIRIDIS.length - 2);
            return blend(VIRIDIS[i], VIRIDIS[i + 1], scaled - i);
        }

        private static int blend(int[] a, int[] b, double t) {
            int r = (int) Math.round(a[0] + (b[0] - a[0]) * t);
            int g = (int) Math.round(a[1] + (b[1] - a[1]) * t);
            int bl = (int) Math.round(a[2] + (b[2] - a[2]) * t);
            return 0xFF000000 | (r << 16) | (g << 8) | bl;
        }
    }

    /** One pass over the values (or an evenly spaced sample of them), NaN- and infinity-aware. */
    static final class Stats {
        long total;
        long count;
        boolean sampled;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum;
        double sumSquares;
        long finite;
        long nan;
        long inf;
        long zeros;

        static Stats of(INDArray array) {
            Stats s = new Stats();
            s.total = array.length();
            if (s.total == 0) {
                return s;
            }
            if (s.total <= EXACT_LIMIT) {
                for (double v : array.castTo(DataType.DOUBLE).dup('c').data().asDouble()) {
                    s.add(v);
                }
                return s;
            }
            // Runs of contiguous values read fast (a strided pick of single values misses the cache on each).
            s.sampled = true;
            Values values = Values.of(array);
            long[] shape = array.shape();
            long[] scratch = new long[shape.length];
            int run = EXACT_LIMIT / RUNS;
            for (int r = 0; r < RUNS; r++) {
                long start = r * (s.total - run) / (RUNS - 1);
                for (int j = 0; j < run; j++) {
                    s.add(values.atFlat(start + j, shape, scratch));
                }
            }
            // Extrapolate the counts that learners read as "how many"; the header says they come from a sample.
            double factor = s.total / (double) s.count;
            s.nan = Math.round(s.nan * factor);
            s.inf = Math.round(s.inf * factor);
            s.zeros = Math.round(s.zeros * factor);
            return s;
        }

        private void add(double v) {
            count++;
            if (Double.isNaN(v)) {
                nan++;
                return;
            }
            if (Double.isInfinite(v)) {
                inf++;
                return;
            }
            if (v == 0) {
                zeros++;
            }
            finite++;
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sumSquares += v * v;
        }

        double mean() {
            return finite == 0 ? Double.NaN : sum / finite;
        }

        double std() {
            if (finite == 0) {
                return Double.NaN;
            }
            double m = mean();
            return Math.sqrt(Math.max(0, sumSquares / finite - m * m));
        }
    }
}
