package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.session.ClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench merge on reports with known values: histograms added (not averaged), and the reports it refuses. */
class ReportMergeTest {
    private static BenchResult run(int players, long ttffMicros, double kbps) {
        BenchSettings s = new BenchSettings(BenchMode.PLAY, UrlTemplate.parse("rtmp://h/live/s{i}"), players, 10,
                Duration.ofSeconds(5), ClientOptions.DEFAULT, PlayStart.ANY, Duration.ofSeconds(1),
                Duration.ofSeconds(10), Duration.ZERO, Optional.empty(), false);
        Histogram ttff = new Histogram(1, BenchMetrics.HIGHEST_MICROS, 3);
        ttff.recordValueWithCount(ttffMicros, players);
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        for (String key : List.of("connect", "handshake", "playStart")) {
            Histogram h = new Histogram(1, BenchMetrics.HIGHEST_MICROS, 3);
            h.recordValueWithCount(200, players);
            histograms.put(key, h);
        }
        histograms.put("ttff", ttff);
        double[] bitrates = new double[players];
        java.util.Arrays.fill(bitrates, kbps);
        return new BenchResult(s, Instant.parse("2026-12-01T10:00:00Z"), 5000, false, players, players, 0, Map.of(),
                Map.of(), 1000L * players, 0, 10L * players, 0, 0, 0, 0, 0, histograms, bitrates,
                List.of(new Sample(0, 0, players, 0, 0, 0, Double.NaN, Double.NaN, 0, 0),
                        new Sample(1, players, players, 0, 1, 0, Double.NaN, Double.NaN, 0, 50)), 1_000_000_000L, 1);
    }

    @Test
    void percentilesComeFromEveryValueNotFromTheShardsPercentiles(@TempDir Path dir) throws Exception {
        // 99 players at 10 ms in shard 0, one at 2 s in shard 1: the merged p99 is 10 ms, p99.9 is 2 s.
        JsonReport.write(run(99, 10_000, 500), dir.resolve("a.json"), Optional.of(BenchShard.of(0, 2, 100)));
        JsonReport.write(run(1, 2_000_000, 900), dir.resolve("b.json"), Optional.of(BenchShard.of(1, 2, 100)));
        ReportMerge m = ReportMerge.of(List.of(dir.resolve("a.json"), dir.resolve("b.json")));
        Histogram ttff = m.result().histograms().get("ttff");
        assertEquals(100, ttff.getTotalCount());
        assertEquals(10.0, ttff.getValueAtPercentile(99) / 1000.0, 0.01, "averaging the p99s would give 1005 ms");
        assertEquals(2000.0, ttff.getValueAtPercentile(99.9) / 1000.0, 2.0);
        assertEquals(100, m.result().connected());
        assertEquals(100_000, m.result().bytesReceived());
        assertEquals(500.0, m.result().bitratesKbps()[49], "the median over every player");
        assertEquals(List.of("0/2", "1/2"), m.shards());
        assertEquals(List.of(), m.missing());
        assertEquals(20.0, m.options().path("rampPerSecond").asDouble(), "the shards' ramps add up");
        assertEquals(100, m.result().timeline().get(1).active(), "the time series adds second by second");

        Path all = dir.resolve("all.json");
        m.writeJson(all);
        String text = Files.readString(all);
        assertEquals(List.of(), new SchemaSubset(Files.readString(CliRun.SCHEMA)).validate(SchemaSubset.parse(text)));
        // A merged report merges again (its histograms are whole), and unsharded reports may be added up too.
        ReportMerge again = ReportMerge.of(List.of(all));
        assertEquals(100, again.result().histograms().get("ttff").getTotalCount());
    }

    @Test
    void refusesReportsThatAreNotPartsOfOneRun(@TempDir Path dir) throws Exception {
        JsonReport.write(run(50, 10_000, 500), dir.resolve("a.json"), Optional.of(BenchShard.of(0, 3, 150)));
        JsonReport.write(run(50, 10_000, 500), dir.resolve("a2.json"), Optional.of(BenchShard.of(0, 3, 150)));
        JsonReport.write(run(50, 10_000, 500), dir.resolve("c.json"), Optional.of(BenchShard.of(2, 3, 150)));
        JsonReport.write(run(50, 10_000, 500), dir.resolve("plain.json"));
        var twice = assertThrows(IllegalArgumentException.class,
                () -> ReportMerge.of(List.of(dir.resolve("a.json"), dir.resolve("a2.json"))));
        assertTrue(twice.getMessage().contains("both shard 0/3"), twice.getMessage());
        var mixed = assertThrows(IllegalArgumentException.class,
                () -> ReportMerge.of(List.of(dir.resolve("a.json"), dir.resolve("plain.json"))));
        assertTrue(mixed.getMessage().contains("some reports are shards"), mixed.getMessage());
        ReportMerge partial = ReportMerge.of(List.of(dir.resolve("a.json"), dir.resolve("c.json")));
        assertEquals(List.of("1/3"), partial.missing());
        assertTrue(partial.describe().contains("missing shards 1/3"), partial.describe());

        // A report from before the histograms were kept whole cannot be merged exactly.
        var json = new tools.jackson.databind.ObjectMapper();
        var old = (tools.jackson.databind.node.ObjectNode) json.readTree(dir.resolve("plain.json").toFile());
        old.remove("histograms");
        Files.writeString(dir.resolve("old.json"), json.writeValueAsString(old));
        var lossy = assertThrows(IllegalArgumentException.class, () -> ReportMerge.of(List.of(dir.resolve("old.json"))));
        assertTrue(lossy.getMessage().contains("older bench"), lossy.getMessage());
    }
}
