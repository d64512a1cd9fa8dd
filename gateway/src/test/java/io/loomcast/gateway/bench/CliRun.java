package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Main;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.VideoMessage;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code gateway bench ...} run in-process, as a user would run it, with its report parsed and checked
 * against benchmarks/bench-report.schema.json.
 *
 * @param exitCode what the command returned
 * @param out      what it printed: progress lines, then the summary
 * @param report   the parsed JSON report
 */
public record CliRun(int exitCode, String out, Map<String, Object> report) {
    public static final Path SCHEMA = Path.of("..", "benchmarks", "bench-report.schema.json");

    /** Runs {@code bench ARGS --report DIR/report.json}. */
    public static CliRun bench(Path dir, String... args) throws IOException {
        Path json = dir.resolve("report.json");
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(Arrays.asList(args));
        all.addAll(List.of("--report", json.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(all.toArray(String[]::new));
        assertTrue(Files.exists(json), () -> "no report written; output:\n" + out + "\nerrors:\n" + err);
        String text = Files.readString(json);
        List<String> errors = new SchemaSubset(Files.readString(SCHEMA)).validate(SchemaSubset.parse(text));
        assertEquals(List.of(), errors, () -> "report breaks its schema:\n" + text);
        @SuppressWarnings("unchecked")
        Map<String, Object> report = (Map<String, Object>) SchemaSubset.parse(text);
        return new CliRun(code, out + err.toString(), report);
    }

    public long number(String... path) {
        return ((Number) value(path)).longValue();
    }

    public double decimal(String... path) {
        return ((Number) value(path)).doubleValue();
    }

    @SuppressWarnings("unchecked")
    public Object value(String... path) {
        Object at = report;
        for (String key : path) {
            at = ((Map<String, Object>) at).get(key);
        }
        return at;
    }

    private static final Duration LIVE_DEADLINE = Duration.ofSeconds(60);

    /**
     * Blocks until {@code url} is live: plays it and returns at its first video message. Waiting on the
     * event itself, bounded by {@link #LIVE_DEADLINE}, instead of sleeping.
     */
    public static void awaitLive(String url) throws IOException {
        ClientOptions options = ClientOptions.DEFAULT.withReadTimeout(Duration.ofSeconds(20));
        try (RtmpClient probe = RtmpClient.connect(RtmpUrl.parse(url), options)) {
            // The read timeout alone is no bound: a server's pings to a waiting player are bytes too, answered
            // inside read(). So the probe is closed at a deadline, and the read then fails.
            Thread deadline = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(LIVE_DEADLINE);
                    probe.close();
                } catch (InterruptedException e) {
                    // live in time
                }
            });
            try {
                int id = probe.createStream();
                probe.play(id, RtmpUrl.parse(url).streamName(), -2);
                for (Message m = probe.read(); !(m instanceof VideoMessage); m = probe.read()) {
                    // onMetaData, audio and statuses come first
                }
            } catch (IOException e) {
                throw new IOException(url + " not live within " + LIVE_DEADLINE.toSeconds() + " s", e);
            } finally {
                deadline.interrupt();
            }
        }
    }
}
