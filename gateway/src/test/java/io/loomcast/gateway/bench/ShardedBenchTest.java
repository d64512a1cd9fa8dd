package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.cli.Main;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.SmallMedia;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Scale-out pattern 3, a load test bigger than one machine: three {@code bench play --shard I/3} processes of 100
 * players each, merged with {@code bench merge}, against one process of 300 on the same origin. The counts are
 * equal, and the merged percentiles are those of every shard's measurements together (the histograms added,
 * not their percentiles averaged), to the histograms' precision.
 */
class ShardedBenchTest {
    private static final int PLAYERS = 300;
    private static final String[] TIMINGS = {"connect", "handshake", "playStart", "ttff"};

    @Test
    void threeShardsMergeIntoTheReportOfOneRun(@TempDir Path dir) throws Exception {
        try (Gateway origin = Gateway.start(ConfigLoader.parse("server: {listen: 127.0.0.1:0}", "t.yaml", Map.of()))) {
            String url = "rtmp://127.0.0.1:" + origin.rtmpAddress().getPort() + "/live/load";
            try (ExternalPeer ff = SmallMedia.publish(dir.resolve("ffmpeg.log"), url)) {
                CliRun.awaitLive(url);
                // Long enough that every player connects on a loaded machine: the counts must match exactly.
                String[] common = {"play", url, "--clients", Integer.toString(PLAYERS), "--duration", "12s",
                        "--ramp", "100/s", "--read-interval", "100ms"};
                List<Process> shards = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    shards.add(benchProcess(dir, i, common));
                }
                for (int i = 0; i < 3; i++) {
                    Process p = shards.get(i);
                    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "shard " + i + " finished");
                    String output = Files.readString(dir.resolve("shard" + i + ".out"));
                    assertEquals(0, p.exitValue(), output);
                }
                CliRun single = CliRun.bench(Files.createDirectories(dir.resolve("single")), common);
                assertEquals(0, single.exitCode(), single::out);

                Path all = dir.resolve("all.json");
                StringWriter out = new StringWriter();
                CommandLine cli = Main.commandLine();
                cli.setOut(new PrintWriter(out, true));
                cli.setErr(new PrintWriter(out, true));
                int code = cli.execute("bench", "merge", dir.resolve("shard0.json").toString(),
                        dir.resolve("shard1.json").toString(), dir.resolve("shard2.json").toString(),
                        "--report", all.toString(), "--html", dir.resolve("all.html").toString());
                assertEquals(0, code, out::toString);
                assertTrue(out.toString().contains("merged 3 report(s) (shards 0/3, 1/3, 2/3)"), out.toString());

                String text = Files.readString(all);
                assertEquals(List.of(), new SchemaSubset(Files.readString(CliRun.SCHEMA)).validate(SchemaSubset.parse(text)),
                        "the merged report keeps the schema");
                CliRun merged = new CliRun(code, out.toString(), asMap(SchemaSubset.parse(text)));
                for (String key : new String[] {"clients", "players", "started", "connected"}) {
                    assertEquals(PLAYERS, merged.number(key), key + "\n" + out);
                    assertEquals(single.number(key), merged.number(key), key);
                }
                assertEquals(0, merged.number("failed"), out::toString);
                assertEquals(PLAYERS, merged.number("bitrateKbps", "count"));
                for (String t : TIMINGS) {
                    assertEquals(PLAYERS, merged.number(t + "Ms", "count"), t);
                    assertEquals(single.number(t + "Ms", "count"), merged.number(t + "Ms", "count"), t);
                }

                // The merged percentiles are those of all 300 players' values, computed here from the shards'
                // recorded values (not with Histogram.add), to the histograms' precision.
                List<Map<String, Object>> reports = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    reports.add(asMap(SchemaSubset.parse(Files.readString(dir.resolve("shard" + i + ".json")))));
                }
                for (String t : TIMINGS) {
                    List<Histogram> parts = new ArrayList<>();
                    for (Map<String, Object> r : reports) {
                        parts.add(JsonReport.decode((String) asMap(r.get("histograms")).get(t)));
                    }
                    for (String p : new String[] {"p50", "p90", "p99"}) {
                        double percentile = Double.parseDouble(p.substring(1));
                        double expectedMs = percentileOfUnion(parts, percentile) / 1000.0;
                        double mergedMs = merged.decimal(t + "Ms", p);
                        // 3 significant digits: values within 0.1% share a bucket; the report rounds to 1 us.
                        assertEquals(expectedMs, mergedMs, expectedMs * 1e-3 + 1e-3,
                                "%s %s: merged %.3f ms, all values %.3f ms".formatted(t, p, mergedMs, expectedMs));
                    }
                    System.out.printf("%s p50/p99 ms: merged %.1f/%.1f, one process of 300 %.1f/%.1f%n", t,
                            merged.decimal(t + "Ms", "p50"), merged.decimal(t + "Ms", "p99"),
                            single.decimal(t + "Ms", "p50"), single.decimal(t + "Ms", "p99"));
                }
                assertTrue(Files.readString(dir.resolve("all.html")).contains("<svg"), "HTML report written");
                assertTrue(Files.size(dir.resolve("all.ttff.hgrm")) > 0, "merged .hgrm written");
            }
        }
    }

    /** {@code bench ... --shard I/3 --report DIR/shardI.json} as its own process. */
    private static Process benchProcess(Path dir, int shard, String[] common) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.loomcast.gateway.cli.Main",
                "bench"));
        command.addAll(List.of(common));
        command.addAll(List.of("--shard", shard + "/3", "--report", dir.resolve("shard" + shard + ".json").toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("shard" + shard + ".out").toFile()).start();
    }

    /**
     * HdrHistogram's percentile over several histograms' recorded values: the highest value equivalent to the one
     * at rank ceil(p% of the count).
     */
    private static long percentileOfUnion(List<Histogram> parts, double percentile) {
        TreeMap<Long, Long> counts = new TreeMap<>();
        long total = 0;
        Histogram any = parts.getFirst();
        for (Histogram h : parts) {
            for (HistogramIterationValue v : h.recordedValues()) {
                counts.merge(v.getValueIteratedTo(), v.getCountAtValueIteratedTo(), Long::sum);
                total += v.getCountAtValueIteratedTo();
            }
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100 * total));
        long seen = 0;
        for (var e : counts.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return any.highestEquivalentValue(e.getKey());
            }
        }
        throw new IllegalStateException("empty");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }
}
