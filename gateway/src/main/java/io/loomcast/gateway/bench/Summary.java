package io.loomcast.gateway.bench;

import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** The table printed at the end of a run (or on Ctrl-C, with what was measured so far). */
public final class Summary {
    private static final Map<String, String> LABELS = Map.of(
            "connect", "connect (TCP)", "handshake", "handshake", "playStart", "to Play.Start",
            "publishStart", "to Publish.Start", "ttff", "first keyframe", "jitter", "frame jitter",
            "latency", "end-to-end latency", "switch", "to TransitionComplete");

    private Summary() {}

    public static String text(BenchResult r) {
        BenchSettings s = r.settings();
        StringBuilder b = new StringBuilder();
        b.append("%nbench %s %s: %d client(s), %.1f s%s%n".formatted(s.mode().label(), s.url(),
                s.players() + s.publishers(), r.durationMs() / 1000.0, r.interrupted() ? " (interrupted: partial)" : ""));
        b.append("  clients    started %d, connected %d, failed %d%n".formatted(r.started(), r.connected(), r.failed()));
        if (!r.failures().isEmpty()) {
            b.append("  failures   %s%n".formatted(r.failures().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
            r.failureExamples().forEach((reason, example) -> b.append("    %-12s e.g. %s%n".formatted(reason, example)));
        }
        if (s.players() > 0) {
            long perClient = r.connected() == 0 ? 0 : r.bytesReceived() / Math.max(1, r.connected());
            b.append("  received   %s (%s per connected client), %d video frames%n".formatted(
                    bytes(r.bytesReceived()), bytes(perClient), r.framesReceived()));
            double[] kbps = r.bitratesKbps();
            if (kbps.length > 0) {
                b.append("  bitrate    p50 %.0f kbps, min %.0f, max %.0f (%d players)%n".formatted(
                        kbps[(kbps.length + 1) / 2 - 1], kbps[0], kbps[kbps.length - 1], kbps.length));
            }
            b.append("  stalls     %d (%.1f s in all) in %d player(s); %d player(s) got no keyframe%n".formatted(
                    r.stalls(), r.stallMs() / 1000.0, r.stalledClients(), r.withoutKeyframe()));
        }
        r.switches().ifPresent(sw -> b.append("  switches   %d asked for (play2 to %s and back, every %.1f s), %d completed, %d refused%n"
                .formatted(sw.requested(), s.switching().orElseThrow().to(),
                        s.switching().orElseThrow().every().toMillis() / 1000.0, sw.completed(), sw.refused())));
        if (s.publishers() > 0) {
            b.append("  sent       %s of media, %d video frames%n".formatted(bytes(r.bytesSent()), r.framesSent()));
        }
        b.append("  %-20s %9s %9s %9s %9s %9s %8s%n".formatted("ms", "p50", "p90", "p99", "p99.9", "max", "count"));
        r.histograms().forEach((key, h) -> b.append(row(LABELS.getOrDefault(key, key), h)));
        b.append("  bench CPU  %.0f%% of one core over the run (%d processor(s) available)%s%n".formatted(
                r.cpuPercentOfOneCore(), r.processors(),
                r.cpuPercentOfOneCore() > 80 * r.processors()
                        ? "; near saturation: the bench may be the bottleneck" : ""));
        return b.toString();
    }

    private static String row(String label, Histogram h) {
        if (h.getTotalCount() == 0) {
            return "  %-20s %9s %9s %9s %9s %9s %8d%n".formatted(label, "-", "-", "-", "-", "-", 0);
        }
        return "  %-20s %9.1f %9.1f %9.1f %9.1f %9.1f %8d%n".formatted(label, h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(90) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0, h.getTotalCount());
    }

    private static String bytes(long n) {
        if (n >= 1L << 30) {
            return "%.2f GiB".formatted(n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return "%.1f MiB".formatted(n / (double) (1L << 20));
        }
        return "%.1f KiB".formatted(n / 1024.0);
    }
}
