package io.loomcast.gateway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The {@code --html FILE.html} output: one self-contained page (inline CSS and SVG, no script, nothing
 * fetched) with the summary, a percentile plot per measured timing, and the run's time series of connected
 * clients, Mbps and stalls.
 */
public final class HtmlReport {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"};
    private static final Map<String, String> TITLES = Map.of(
            "connect", "Connect (TCP)", "handshake", "RTMP handshake", "playStart", "Time to NetStream.Play.Start",
            "publishStart", "Time to NetStream.Publish.Start", "ttff", "Time to first keyframe",
            "jitter", "Frame inter-arrival jitter", "latency", "End-to-end latency",
            "switch", "play2 switch to TransitionComplete");

    private HtmlReport() {}

    public static void write(BenchResult r, Path file) throws IOException {
        Files.writeString(file, html(r), StandardCharsets.UTF_8);
    }

    static String html(BenchResult r) {
        StringBuilder b = new StringBuilder();
        b.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                <title>Loomcast bench: %s</title>
                <style>
                body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; background: #fafafa; }
                h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 24px 0 8px; }
                pre { background: #fff; border: 1px solid #ddd; padding: 12px; overflow-x: auto; }
                .charts { display: flex; flex-wrap: wrap; gap: 12px; }
                svg { border: 1px solid #ddd; }
                svg .t { font: bold 13px system-ui, sans-serif; } svg .lg { font: 11px system-ui, sans-serif; }
                svg .xl { font: 11px system-ui, sans-serif; text-anchor: middle; fill: #555; }
                svg .yl { font: 11px system-ui, sans-serif; text-anchor: end; fill: #555; }
                </style></head><body>
                """.formatted(escape(r.settings().mode().label())));
        b.append("<h1>Loomcast bench: %s</h1>\n".formatted(escape(r.settings().mode().label() + " " + r.settings().url())));
        b.append("<p>Started %s. %d client(s), %d connected, %d failed, %.1f s%s.</p>\n".formatted(
                escape(r.startedAt().toString()), r.settings().players() + r.settings().publishers(), r.connected(),
                r.failed(), r.durationMs() / 1000.0, r.interrupted() ? ", interrupted" : ""));
        b.append("<h2>Summary</h2>\n<pre>").append(escape(Summary.text(r).strip())).append("</pre>\n");
        b.append("<h2>Over time</h2>\n<div class=\"charts\">\n");
        timeSeries(b, r);
        b.append("</div>\n<h2>Percentiles</h2>\n<div class=\"charts\">\n");
        int color = 0;
        for (var e : r.histograms().entrySet()) {
            if (e.getValue().getTotalCount() > 0) {
                b.append(percentileChart(TITLES.getOrDefault(e.getKey(), e.getKey()), e.getValue(),
                        COLORS[color++ % COLORS.length]));
            }
        }
        return b.append("</div>\n</body></html>\n").toString();
    }

    private static void timeSeries(StringBuilder b, BenchResult r) {
        List<Sample> t = r.timeline();
        double[] x = t.stream().mapToDouble(Sample::elapsedSeconds).toArray();
        double end = x.length == 0 ? 1 : x[x.length - 1];
        List<SvgChart.Tick> ticks = SvgChart.niceTicks(0, end, v -> SvgChart.number(v) + " s");
        b.append(new SvgChart("Connected clients", "clients").x(0, end, ticks, "time")
                .add(new SvgChart.Series("connected", COLORS[0], x, t.stream().mapToDouble(Sample::active).toArray()))
                .add(new SvgChart.Series("failed", COLORS[1], x, t.stream().mapToDouble(Sample::failed).toArray()))
                .svg());
        b.append(new SvgChart("Throughput", "Mbit/s").x(0, end, ticks, "time")
                .add(new SvgChart.Series("in", COLORS[0], x, t.stream().mapToDouble(Sample::mbpsIn).toArray()))
                .add(new SvgChart.Series("out", COLORS[2], x, t.stream().mapToDouble(Sample::mbpsOut).toArray()))
                .svg());
        b.append(new SvgChart("Stalls (cumulative)", "stalls").x(0, end, ticks, "time")
                .add(new SvgChart.Series("stalls", COLORS[1], x, t.stream().mapToDouble(Sample::stalls).toArray()))
                .svg());
    }

    /**
     * The value at each percentile, the x axis spread as HdrHistogram's plots do: position log10(1/(1-p)),
     * so 90%, 99%, 99.9% are evenly spaced, up to the resolution the count allows.
     */
    private static String percentileChart(String title, Histogram h, String color) {
        List<double[]> points = new ArrayList<>();
        int decades = (int) Math.max(2, Math.min(5, Math.ceil(Math.log10(h.getTotalCount()))));
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo() / 100;
            double x = p >= 1 ? decades : Math.min(decades, Math.log10(1 / (1 - p)));
            points.add(new double[] {x, v.getValueIteratedTo() / 1000.0});
        }
        List<SvgChart.Tick> ticks = new ArrayList<>();
        String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
        for (int d = 0; d <= decades; d++) {
            ticks.add(new SvgChart.Tick(d, labels[d]));
        }
        return new SvgChart(title + String.format(Locale.ROOT, " (%d values)", h.getTotalCount()), "ms")
                .x(0, decades, ticks, "percentile")
                .add(new SvgChart.Series("ms", color, points.stream().mapToDouble(p -> p[0]).toArray(),
                        points.stream().mapToDouble(p -> p[1]).toArray()))
                .svg();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
