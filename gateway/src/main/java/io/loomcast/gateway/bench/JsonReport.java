package io.loomcast.gateway.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * The {@code --report FILE.json} output, with one HdrHistogram {@code .hgrm} percentile file per measured
 * timing next to it ({@code out.json} gives {@code out.ttff.hgrm}, ...). Every key is documented in
 * benchmarks/BENCH.md and described by benchmarks/bench-report.schema.json; {@link #SCHEMA} names the
 * version, to be raised when a key changes meaning or goes away. The report also carries each histogram whole
 * ({@code histograms}, HdrHistogram's compressed encoding in base64) and every player's bitrate, so that
 * {@code bench merge} can add the reports of a sharded run up exactly.
 */
public final class JsonReport {
    /** The report format and its version. */
    public static final String SCHEMA = "loomcast-bench-report/1";

    private JsonReport() {}

    /** Writes the report and its .hgrm files; returns the .hgrm paths written. */
    public static Map<String, Path> write(BenchResult r, Path file) throws IOException {
        return write(r, file, Optional.empty());
    }

    /** Like {@link #write(BenchResult, Path)}, for one shard of a run spread over several processes. */
    public static Map<String, Path> write(BenchResult r, Path file, Optional<BenchShard> shard) throws IOException {
        Map<String, Path> hgrm = new LinkedHashMap<>();
        String base = file.getFileName().toString().replaceFirst("\\.json$", "");
        for (var e : r.histograms().entrySet()) {
            Path p = file.resolveSibling(base + "." + e.getKey() + ".hgrm");
            try (PrintStream out = new PrintStream(Files.newOutputStream(p), false, StandardCharsets.UTF_8)) {
                // Recorded in microseconds; the file shows milliseconds like the report.
                e.getValue().outputPercentileDistribution(out, 1000.0);
            }
            hgrm.put(e.getKey() + "Ms", p);
        }
        Files.writeString(file, json(r, hgrm, shard), StandardCharsets.UTF_8);
        return hgrm;
    }

    /** The report as JSON text; {@code hgrm} maps report keys to the percentile files written beside it. */
    static String json(BenchResult r, Map<String, Path> hgrm) {
        return json(r, hgrm, Optional.empty());
    }

    static String json(BenchResult r, Map<String, Path> hgrm, Optional<BenchShard> shard) {
        BenchSettings s = r.settings();
        JsonWriter w = new JsonWriter().beginObject();
        w.name("schema").value(SCHEMA);
        w.name("mode").value(s.mode().label());
        w.name("url").value(s.url().toString());
        w.name("startedAt").value(r.startedAt().toString());
        w.name("interrupted").value(r.interrupted());
        w.name("clients").value(s.players() + s.publishers());
        w.name("players").value(s.players());
        w.name("publishers").value(s.publishers());
        w.name("started").value(r.started());
        w.name("connected").value(r.connected());
        w.name("failed").value(r.failed());
        w.name("failures").beginObject();
        r.failures().forEach((reason, n) -> w.name(reason).value(n));
        w.endObject();
        w.name("durationMs").value(r.durationMs());
        w.name("bytes").beginObject().name("received").value(r.bytesReceived()).name("sent").value(r.bytesSent())
                .endObject();
        w.name("frames").beginObject().name("received").value(r.framesReceived()).name("sent").value(r.framesSent())
                .endObject();
        w.name("stalls").beginObject().name("count").value(r.stalls()).name("totalMs").value(r.stallMs())
                .name("clients").value(r.stalledClients()).endObject();
        w.name("withoutKeyframe").value(r.withoutKeyframe());
        r.switches().ifPresent(sw -> w.name("switches").beginObject().name("requested").value(sw.requested())
                .name("completed").value(sw.completed()).name("refused").value(sw.refused()).endObject());
        r.histograms().forEach((key, h) -> percentiles(w.name(key + "Ms"), h));
        double[] kbps = r.bitratesKbps();
        w.name("bitrateKbps").beginObject()
                .name("p50").value(kbps.length == 0 ? Double.NaN : kbps[(kbps.length + 1) / 2 - 1])
                .name("min").value(kbps.length == 0 ? Double.NaN : kbps[0])
                .name("max").value(kbps.length == 0 ? Double.NaN : kbps[kbps.length - 1])
                .name("count").value(kbps.length);
        w.name("values").beginArray();
        for (double v : kbps) {
            w.value(v);
        }
        w.endArray().endObject();
        w.name("benchCpu").beginObject()
                .name("percentOfOneCore").value(r.cpuPercentOfOneCore())
                .name("cpuMs").value(r.cpuNanos() / 1_000_000)
                .name("processors").value(r.processors())
                .endObject();
        options(w.name("options"), s);
        w.name("timeline").beginArray();
        for (Sample p : r.timeline()) {
            w.beginObject().name("t").value(p.elapsedSeconds()).name("connected").value(p.active())
                    .name("failed").value(p.failed()).name("mbpsIn").value(p.mbpsIn()).name("mbpsOut").value(p.mbpsOut())
                    .name("stalls").value(p.stalls()).name("cpuPercent").value(p.cpuPercent()).endObject();
        }
        w.endArray();
        w.name("hgrm").beginObject();
        hgrm.forEach((key, p) -> w.name(key).value(p.getFileName().toString()));
        w.endObject();
        w.name("histograms").beginObject();
        r.histograms().forEach((key, h) -> w.name(key).value(encode(h)));
        w.endObject();
        shard.ifPresent(sh -> w.name("shard").beginObject().name("index").value(sh.index()).name("count")
                .value(sh.count()).name("firstClient").value(sh.firstClient()).name("totalClients")
                .value(sh.totalClients()).endObject());
        return w.endObject().toString();
    }

    /** A histogram whole, lossless: HdrHistogram's compressed encoding (as in its .hlog files), base64. */
    static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    /** The inverse of {@link #encode}. */
    static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (java.util.zip.DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an encoded HdrHistogram: " + e.getMessage(), e);
        }
    }

    private static void percentiles(JsonWriter w, Histogram h) {
        boolean any = h.getTotalCount() > 0;
        w.beginObject();
        for (var p : Map.of("p50", 50.0, "p90", 90.0, "p99", 99.0, "p999", 99.9).entrySet().stream()
                .sorted(Map.Entry.comparingByValue()).toList()) {
            w.name(p.getKey()).value(any ? h.getValueAtPercentile(p.getValue()) / 1000.0 : Double.NaN);
        }
        w.name("max").value(any ? h.getMaxValue() / 1000.0 : Double.NaN);
        w.name("count").value(h.getTotalCount());
        w.endObject();
    }

    private static void options(JsonWriter w, BenchSettings s) {
        w.beginObject();
        w.name("rampPerSecond").value(s.rampPerSecond());
        w.name("durationMs").value(s.duration().toMillis());
        w.name("stallThresholdMs").value(s.stallThreshold().toMillis());
        w.name("playStart").value(s.playStart().name().toLowerCase(java.util.Locale.ROOT));
        w.name("chunkSize").value(s.clientOptions().chunkSizeBytes());
        w.name("windowAck").value(s.clientOptions().windowAckSizeBytes());
        w.name("connectTimeoutMs").value(s.clientOptions().connectTimeout().toMillis());
        w.name("handshakeTimeoutMs").value(s.clientOptions().handshakeTimeout().toMillis());
        w.name("responseTimeoutMs").value(s.clientOptions().responseTimeout().toMillis());
        w.name("idleTimeoutMs").value(s.idleTimeout().toMillis());
        w.name("readIntervalMs").value(s.readInterval().toMillis());
        w.name("file").value(s.media().map(m -> m.path().getFileName().toString()).orElse(null));
        w.name("fileBitrateKbps").value(s.media().map(MediaFile::bitrateKbps).orElse(Double.NaN));
        w.name("loop").value(s.loop());
        s.switching().ifPresent(sw -> w.name("switchEveryMs").value(sw.every().toMillis())
                .name("switchTo").value(sw.to()));
        w.endObject();
    }
}
