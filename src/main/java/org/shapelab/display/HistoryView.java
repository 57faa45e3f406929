package org.shapelab.display;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.shapelab.training.History;

/**
 * What a notebook shows for a {@link History}: one chart per quantity (the loss, each metric), the training curve
 * solid and its validation twin ({@code val_...}) dashed, epochs counted from 1 as the progress showed them; and the
 * numbers as a table. Plain text lists the values per epoch.
 */
public final class HistoryView {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 180;
    private static final int LEFT = 52;
    private static final int BOTTOM = 30;
    private static final int TOP = 24;
    private static final int RIGHT = 12;

    private HistoryView() {
    }

    public static MimeBundle bundle(History history) {
        Map<String, List<Double>> values = history.history();
        StringBuilder text = new StringBuilder(history.toString());
        values.forEach((key, list) -> text.append('\n').append(key).append(": ").append(format(list)));
        StringBuilder html = new StringBuilder("<div style=\"font-family:sans-serif\">");
        html.append("<div style=\"display:flex;flex-wrap:wrap;gap:12px\">");
        for (String key : values.keySet()) {
            if (!key.startsWith("val_")) {
                html.append(chart(key, values.get(key), values.get("val_" + key)));
            }
        }
        html.append("</div>").append(table(history)).append("</div>");
        return MimeBundle.text(text.toString()).withHtml(html.toString());
    }

    /** One quantity's curves as SVG. */
    static String chart(String key, List<Double> train, List<Double> validation) {
        List<Double> all = new ArrayList<>(train);
        if (validation != null) {
            all.addAll(validation);
        }
        double min = all.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).min().orElse(0);
        double max = all.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).max().orElse(1);
        if (max - min < 1e-12) {
            max = min + 1;
        }
        int epochs = train.size();
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH
                + "\" height=\"" + HEIGHT + "\" font-size=\"11\" font-family=\"sans-serif\">");
        svg.append("<text x=\"").append(LEFT).append("\" y=\"14\" font-weight=\"bold\">").append(Html.escape(key))
                .append("</text>");
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotW)
                .append("\" height=\"").append(plotH).append("\" fill=\"none\" stroke=\"#ccc\"/>");
        for (double v : new double[] {min, max}) {
            double y = TOP + plotH * (1 - (v - min) / (max - min));
            svg.append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(fmt(y + 4))
                    .append("\" text-anchor=\"end\">").append(value(v)).append("</text>");
        }
        svg.append("<text x=\"").append(LEFT).append("\" y=\"").append(HEIGHT - 10).append("\">1</text>");
        svg.append("<text x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(HEIGHT - 10)
                .append("\" text-anchor=\"end\">epoch ").append(epochs).append("</text>");
        svg.append(line(train, min, max, epochs, plotW, plotH, "#1f77b4", ""));
        if (validation != null) {
            svg.append(line(validation, min, max, epochs, plotW, plotH, "#ff7f0e", " stroke-dasharray=\"5,3\""));
            svg.append("<text x=\"").append(WIDTH - RIGHT).append("\" y=\"14\" text-anchor=\"end\" fill=\"#ff7f0e\">")
                    .append("- - val_").append(Html.escape(key)).append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    private static String line(List<Double> values, double min, double max, int epochs, int plotW, int plotH,
                               String color, String dash) {
        StringBuilder points = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            if (!Double.isFinite(v)) {
                continue;
            }
            double x = LEFT + (epochs == 1 ? plotW / 2.0 : plotW * i / (double) (epochs - 1));
            double y = TOP + plotH * (1 - (v - min) / (max - min));
            points.append(fmt(x)).append(',').append(fmt(y)).append(' ');
            dots.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(fmt(y)).append("\" r=\"2.5\" fill=\"")
                    .append(color).append("\"><title>epoch ").append(i + 1).append(": ").append(value(v))
                    .append("</title></circle>");
        }
        return "<polyline fill=\"none\" stroke=\"" + color + "\" stroke-width=\"2\"" + dash + " points=\""
                + points.toString().trim() + "\"/>" + dots;
    }

    private static String table(History history) {
        Map<String, List<Double>> values = history.history();
        StringBuilder html = new StringBuilder("<table style=\"border-collapse:collapse;margin-top:6px\"><tr>"
                + "<th style=\"padding:2px 8px\">epoch</th>");
        values.keySet().forEach(k -> html.append("<th style=\"padding:2px 8px\">").append(Html.escape(k)).append("</th>"));
        html.append("</tr>");
        List<Integer> epochs = history.epoch();
        for (int i = 0; i < epochs.size(); i++) {
            html.append("<tr><td style=\"padding:2px 8px;text-align:right\">").append(epochs.get(i) + 1).append("</td>");
            for (List<Double> list : values.values()) {
                html.append("<td style=\"padding:2px 8px;text-align:right;font-family:monospace\">")
                        .append(i < list.size() ? value(list.get(i)) : "").append("</td>");
            }
            html.append("</tr>");
        }
        return html.append("</table>").toString();
    }

    private static String format(List<Double> list) {
        return list.stream().map(HistoryView::value).toList().toString();
    }

    private static String value(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
