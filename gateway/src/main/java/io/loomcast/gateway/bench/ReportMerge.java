package io.loomcast.gateway.bench;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import io.loomcast.gateway.session.ClientOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * {@code bench merge}: adds up the reports of one load test run as several processes ({@code --shard I/N}), or
 * of several runs against one origin, into the report one process running every client would have written.
 * Counts add; histograms are added value by value (not averaged), so merged percentiles are those of all the
 * clients' measurements together; every player's bitrate is kept, so the median is exact too. The time series
 * adds the reports' samples second by second, each counted from its own start.
 *
 * @param result   the merged run, for the summary and the HTML report
 * @param reports  how many reports went in
 * @param shards   the shards merged ({@code I/N}), in order; empty for reports of runs that were not sharded
 * @param missing  the shards of the run that were not given, e.g. {@code [2/3]}
 */
public record ReportMerge(BenchResult result, int reports, List<String> shards, List<String> missing,
                          JsonNode options, String url) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PER_CLIENT = " (per client: {i})";

    /**
     * Reads and adds up {@code files}.
     *
     * @throws IllegalArgumentException when a file is not a report, lacks the whole histograms (written by an older
     *                                  bench), or does not belong with the others (mode, options, shard set)
     */
    public static ReportMerge of(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("name at least one report");
        }
        List<JsonNode> all = new ArrayList<>();
        for (Path f : files) {
            all.add(read(f));
        }
        JsonNode first = all.getFirst();
        String mode = first.path("mode").asText();
        JsonNode options = first.path("options");
        for (int i = 1; i < all.size(); i++) {
            JsonNode r = all.get(i);
            if (!r.path("mode").asText().equals(mode)) {
                throw new IllegalArgumentException("%s is a %s run, %s a %s run: only runs of one mode add up"
                        .formatted(files.get(i), r.path("mode").asText(), files.getFirst(), mode));
            }
            if (!withoutRamp(r.path("options")).equals(withoutRamp(options))) {
                throw new IllegalArgumentException("%s ran with other options than %s (compare their \"options\"): "
                        .formatted(files.get(i), files.getFirst()) + "merged figures would mix two different tests");
            }
        }
        List<String> shards = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        checkShards(files, all, shards, missing);

        // The report of the shard with the first clients carries the URL the whole run's first client played.
        JsonNode lead = all.stream().min((a, b) -> Integer.compare(a.path("shard").path("firstClient").asInt(0),
                b.path("shard").path("firstClient").asInt(0))).orElseThrow();
        String url = lead.path("url").asText();
        ObjectNode mergedOptions = (ObjectNode) options.deepCopy();
        mergedOptions.put("rampPerSecond", all.stream().mapToDouble(r -> r.path("options").path("rampPerSecond")
                .asDouble()).sum());
        return new ReportMerge(result(all, mode, url, mergedOptions), all.size(), shards, missing, mergedOptions,
                url);
    }

    /** Writes the merged JSON report (same schema as one run's) and its .hgrm files. */
    public void writeJson(Path file) throws IOException {
        JsonReport.write(result, file);
        ObjectNode report = (ObjectNode) JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        // What the merged settings cannot hold: the URL as the shards showed it, and the FLV file they sent.
        report.put("url", url);
        report.set("options", options);
        ObjectNode merged = report.putObject("merged");
        merged.put("reports", reports);
        ArrayNode list = merged.putArray("shards");
        shards.forEach(list::add);
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n",
                StandardCharsets.UTF_8);
    }

    private static JsonNode read(Path file) throws IOException {
        JsonNode r;
        try {
            r = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage());
        }
        if (r == null || !JsonReport.SCHEMA.equals(r.path("schema").asText())) {
            throw new IllegalArgumentException(file + " is not a bench report (" + JsonReport.SCHEMA + ")");
        }
        if (!r.has("histograms") || !r.path("bitrateKbps").has("values")) {
            throw new IllegalArgumentException(file + " holds percentiles only, not its whole histograms: it was "
                    + "written by an older bench; rerun it with this one to merge it exactly");
        }
        return r;
    }

    private static JsonNode withoutRamp(JsonNode options) {
        ObjectNode copy = (ObjectNode) options.deepCopy();
        copy.remove("rampPerSecond");
        return copy;
    }

    /** Sharded reports must all come from one run: one shard count, one client total, each shard once. */
    private static void checkShards(List<Path> files, List<JsonNode> all, List<String> shards, List<String> missing) {
        long sharded = all.stream().filter(r -> r.has("shard")).count();
        if (sharded == 0) {
            return;
        }
        if (sharded != all.size()) {
            throw new IllegalArgumentException("some reports are shards of a run and some are not: merge the shards "
                    + "of one run together");
        }
        int count = all.getFirst().path("shard").path("count").asInt();
        int total = all.getFirst().path("shard").path("totalClients").asInt();
        TreeMap<Integer, Path> seen = new TreeMap<>();
        for (int i = 0; i < all.size(); i++) {
            JsonNode s = all.get(i).path("shard");
            if (s.path("count").asInt() != count || s.path("totalClients").asInt() != total) {
                throw new IllegalArgumentException("%s is shard %d/%d of %d clients, %s of a run of %d shards and %d "
                        .formatted(files.get(i), s.path("index").asInt(), s.path("count").asInt(),
                                s.path("totalClients").asInt(), files.getFirst(), count, total)
                        + "clients: they are not parts of one run");
            }
            Path twice = seen.put(s.path("index").asInt(), files.get(i));
            if (twice != null) {
                throw new IllegalArgumentException("%s and %s are both shard %d/%d: its clients would count twice"
                        .formatted(twice, files.get(i), s.path("index").asInt(), count));
            }
        }
        seen.keySet().forEach(i -> shards.add(i + "/" + count));
        for (int i = 0; i < count; i++) {
            if (!seen.containsKey(i)) {
                missing.add(i + "/" + count);
            }
        }
    }

    private static BenchResult result(List<JsonNode> all, String modeLabel, String url, JsonNode options) {
        BenchMode mode = BenchMode.valueOf(modeLabel.toUpperCase(Locale.ROOT));
        int clients = sum(all, "clients");
        ClientOptions client = ClientOptions.DEFAULT
                .withTimeouts(ms(options, "connectTimeoutMs"), ms(options, "handshakeTimeoutMs"),
                        ms(options, "responseTimeoutMs"))
                .withChunkSize(options.path("chunkSize").asInt())
                .withWindowAckSize(options.path("windowAck").asInt());
        String firstUrl = url.endsWith(PER_CLIENT) ? url.substring(0, url.length() - PER_CLIENT.length()) : url;
        BenchSettings settings = new BenchSettings(mode, UrlTemplate.parse(firstUrl), clients,
                options.path("rampPerSecond").asDouble(), ms(options, "durationMs"), client,
                PlayStart.valueOf(options.path("playStart").asText().toUpperCase(Locale.ROOT)),
                ms(options, "stallThresholdMs"), ms(options, "idleTimeoutMs"), ms(options, "readIntervalMs"),
                Optional.empty(), options.path("loop").asBoolean(), options.has("switchTo")
                        ? Optional.of(new BenchSettings.Switching(ms(options, "switchEveryMs"),
                                options.path("switchTo").asText()))
                        : Optional.empty());

        Map<String, Long> failures = new TreeMap<>();
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        List<Double> bitrates = new ArrayList<>();
        for (JsonNode r : all) {
            r.path("failures").properties().forEach(e -> failures.merge(e.getKey(), e.getValue().asLong(), Long::sum));
            r.path("histograms").properties().forEach(e -> {
                Histogram h = JsonReport.decode(e.getValue().asText());
                histograms.merge(e.getKey(), h, (a, b) -> {
                    a.add(b);
                    return a;
                });
            });
            r.path("bitrateKbps").path("values").forEach(v -> bitrates.add(v.asDouble()));
        }
        double[] kbps = bitrates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Instant startedAt = all.stream().map(r -> Instant.parse(r.path("startedAt").asText())).min(Instant::compareTo)
                .orElseThrow();
        long durationMs = all.stream().mapToLong(r -> r.path("durationMs").asLong()).max().orElse(0);
        long cpuMs = all.stream().mapToLong(r -> r.path("benchCpu").path("cpuMs").asLong()).sum();
        return new BenchResult(settings, startedAt, durationMs, all.stream().anyMatch(r -> r.path("interrupted")
                .asBoolean()), sum(all, "started"), sum(all, "connected"), sum(all, "failed"), failures, Map.of(),
                sumLong(all, "bytes", "received"), sumLong(all, "bytes", "sent"), sumLong(all, "frames", "received"),
                sumLong(all, "frames", "sent"), sumLong(all, "stalls", "count"), sumLong(all, "stalls", "totalMs"),
                sumLong(all, "stalls", "clients"), sumLong(all, "withoutKeyframe"), histograms, kbps,
                timeline(all, clients), cpuMs * 1_000_000, sum(all, "benchCpu", "processors"),
                settings.switching().map(sw -> new BenchResult.Switches(sumLong(all, "switches", "requested"),
                        sumLong(all, "switches", "completed"), sumLong(all, "switches", "refused"))));
    }

    /**
     * The samples of every report added second by second. A report that ended earlier adds its cumulative
     * figures (failures, stalls) from its last sample, and nothing to the rates.
     */
    private static List<Sample> timeline(List<JsonNode> all, int clients) {
        int length = all.stream().mapToInt(r -> r.path("timeline").size()).max().orElse(0);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            double t = 0;
            int active = 0;
            int failed = 0;
            double in = 0;
            double outMbps = 0;
            long stalls = 0;
            double cpu = 0;
            for (JsonNode r : all) {
                JsonNode series = r.path("timeline");
                if (series.isEmpty()) {
                    continue;
                }
                JsonNode s = series.get(Math.min(i, series.size() - 1));
                boolean running = i < series.size();
                t = Math.max(t, running ? s.path("t").asDouble() : 0);
                failed += s.path("failed").asInt();
                stalls += s.path("stalls").asLong();
                if (running) {
                    active += s.path("connected").asInt();
                    in += s.path("mbpsIn").asDouble();
                    outMbps += s.path("mbpsOut").asDouble();
                    cpu += s.path("cpuPercent").asDouble();
                }
            }
            out.add(new Sample(t, active, clients, failed, in, outMbps, Double.NaN, Double.NaN, stalls, cpu));
        }
        return out;
    }

    private static Duration ms(JsonNode options, String key) {
        return Duration.ofMillis(options.path(key).asLong());
    }

    private static int sum(List<JsonNode> all, String... path) {
        return (int) sumLong(all, path);
    }

    private static long sumLong(List<JsonNode> all, String... path) {
        long n = 0;
        for (JsonNode r : all) {
            JsonNode at = r;
            for (String key : path) {
                at = at.path(key);
            }
            n += at.asLong();
        }
        return n;
    }

    /** One line for the summary: what was merged. */
    public String describe() {
        String which = shards.isEmpty() ? "" : " (shards " + String.join(", ", shards) + ")";
        String gap = missing.isEmpty() ? "" : "; missing shards " + String.join(", ", missing)
                + ": the figures cover only the clients of the shards given";
        return "merged %d report(s)%s%s".formatted(reports, which, gap);
    }
}
