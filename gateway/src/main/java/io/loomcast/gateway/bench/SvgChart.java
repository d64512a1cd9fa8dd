package io.loomcast.gateway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A line chart as inline SVG, for the HTML report: no script and no external file, so the page shows the
 * same offline, in a browser's print view, and in a headless screenshot.
 */
final class SvgChart {
    private static final int WIDTH = 560;
    private static final int HEIGHT = 240;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 28;
    private static final int BOTTOM = 36;

    /** One line: points in data coordinates. */
    record Series(String name, String color, double[] x, double[] y) {}

    /** A tick on the x axis: where, and what it says. */
    record Tick(double at, String label) {}

    private final String title;
    private final String yUnit;
    private final List<Series> series = new ArrayList<>();
    private double xMin;
    private double xMax = 1;
    private List<Tick> xTicks = List.of();
    private String xLabel = "";

    SvgChart(String title, String yUnit) {
        this.title = title;
        this.yUnit = yUnit;
    }

    SvgChart x(double min, double max, List<Tick> ticks, String label) {
        this.xMin = min;
        this.xMax = max > min ? max : min + 1;
        this.xTicks = ticks;
        this.xLabel = label;
        return this;
    }

    SvgChart add(Series s) {
        series.add(s);
        return this;
    }

    /** Evenly spaced ticks at a "nice" step (1, 2 or 5 times a power of ten). */
    static List<Tick> niceTicks(double min, double max, DoubleFunction<String> label) {
        double step = niceStep((max - min) / 5);
        List<Tick> ticks = new ArrayList<>();
        for (double v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
            ticks.add(new Tick(v, label.apply(v)));
        }
        return ticks;
    }

    private static double niceStep(double rough) {
        if (!(rough > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        double f = rough / power;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.0f" : "%.2g", v);
    }

    String svg() {
        double yMax = 0;
        for (Series s : series) {
            for (double v : s.y()) {
                yMax = Double.isFinite(v) ? Math.max(yMax, v) : yMax;
            }
        }
        yMax = yMax > 0 ? yMax * 1.1 : 1;
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n"
                .formatted(WIDTH, HEIGHT, WIDTH, HEIGHT));
        b.append("<title>%s</title>\n".formatted(HtmlReport.escape(title)));
        b.append("<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n".formatted(WIDTH, HEIGHT));
        b.append("<text x=\"%d\" y=\"18\" class=\"t\">%s</text>\n".formatted(LEFT, HtmlReport.escape(title)));
        for (Tick t : niceTicks(0, yMax, SvgChart::number)) {
            double y = TOP + plotH - t.at() / yMax * plotH;
            b.append(line(LEFT, y, LEFT + plotW, y, "#e5e5e5"));
            b.append("<text x=\"%d\" y=\"%s\" class=\"yl\">%s</text>\n".formatted(LEFT - 6, f(y + 4), t.label()));
        }
        for (Tick t : xTicks) {
            double x = LEFT + (t.at() - xMin) / (xMax - xMin) * plotW;
            b.append(line(x, TOP, x, TOP + plotH, "#f0f0f0"));
            b.append("<text x=\"%s\" y=\"%s\" class=\"xl\">%s</text>\n".formatted(f(x), f(TOP + plotH + 16),
                    HtmlReport.escape(t.label())));
        }
        b.append("<text x=\"%s\" y=\"%d\" class=\"xl\">%s</text>\n".formatted(f(LEFT + plotW / 2), HEIGHT - 4,
                HtmlReport.escape(xLabel)));
        b.append("<text x=\"12\" y=\"%s\" class=\"yl\" transform=\"rotate(-90 12 %s)\">%s</text>\n".formatted(
                f(TOP + plotH / 2), f(TOP + plotH / 2), HtmlReport.escape(yUnit)));
        b.append(line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "#888"));
        b.append(line(LEFT, TOP, LEFT, TOP + plotH, "#888"));
        int legendX = LEFT + 8;
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.y()[i])) {
                    double x = LEFT + (Math.min(s.x()[i], xMax) - xMin) / (xMax - xMin) * plotW;
                    double y = TOP + plotH - s.y()[i] / yMax * plotH;
                    points.append(f(x)).append(',').append(f(y)).append(' ');
                }
            }
            b.append("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>\n"
                    .formatted(s.color(), points.toString().trim()));
            b.append("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>".formatted(legendX, TOP + 4, s.color()));
            b.append("<text x=\"%d\" y=\"%d\" class=\"lg\">%s</text>\n".formatted(legendX + 14, TOP + 13,
                    HtmlReport.escape(s.name())));
            legendX += 24 + 7 * s.name().length();
        }
        return b.append("</svg>\n").toString();
    }

    private static String line(double x1, double y1, double x2, double y2, String color) {
        return "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" stroke=\"%s\"/>\n".formatted(f(x1), f(y1), f(x2), f(y2), color);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
