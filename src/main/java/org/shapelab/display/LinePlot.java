package org.shapelab.display;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;

/**
 * One series as a small line plot, drawn without text (so it needs no fonts on a headless server; the labels are
 * HTML next to it). Series of more than four values per pixel are drawn as their min-max envelope per pixel column,
 * so a spike is never lost between two pixels.
 */
final class LinePlot {

    private static final Color LINE = new Color(33, 102, 172);
    private static final Color AXIS = new Color(150, 150, 150, 140);
    private static final Color FRAME = new Color(150, 150, 150, 70);

    private LinePlot() {
    }

    static BufferedImage draw(double[] values, double low, double high, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(FRAME);
            g.drawRect(0, 0, width - 1, height - 1);
            double pad = 3;
            double span = high > low ? high - low : 1;
            double mid = high > low ? 0 : low - 0.5;
            java.util.function.DoubleUnaryOperator y = v -> height - 1 - pad - (v - (high > low ? low : mid))
                    / span * (height - 1 - 2 * pad);
            if (low < 0 && high > 0) {
                g.setColor(AXIS);
                int zero = (int) Math.round(y.applyAsDouble(0));
                g.drawLine(0, zero, width - 1, zero);
            }
            g.setColor(LINE);
            g.setStroke(new BasicStroke(1.4f));
            int n = values.length;
            if (n <= 4 * width) {   // a few points per pixel: one anti-aliased line through all of them
                Path2D path = new Path2D.Double();
                boolean open = false;
                for (int t = 0; t < n; t++) {
                    double x = n == 1 ? width / 2.0 : t * (width - 1.0) / (n - 1);
                    if (!Double.isFinite(values[t])) {
                        open = false;
                        continue;
                    }
                    double yy = y.applyAsDouble(values[t]);
                    if (open) {
                        path.lineTo(x, yy);
                    } else {
                        path.moveTo(x, yy);
                        open = true;
                    }
                }
                g.draw(path);
            } else {
                for (int x = 0; x < width; x++) {
                    // from the previous column's last value, so that steep stretches stay one connected line
                    int from = (int) Math.max(0, (long) x * n / width - 1);
                    int to = (int) Math.max(from + 1, (long) (x + 1) * n / width);
                    double min = Double.POSITIVE_INFINITY;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int t = from; t < to; t++) {
                        if (Double.isFinite(values[t])) {
                            min = Math.min(min, values[t]);
                            max = Math.max(max, values[t]);
                        }
                    }
                    if (min <= max) {
                        g.drawLine(x, (int) Math.round(y.applyAsDouble(max)), x, (int) Math.round(y.applyAsDouble(min)));
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }
}
