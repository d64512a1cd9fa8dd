package io.loomcast.gateway.scaleout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.bench.CliRun;
import io.loomcast.gateway.cli.ValidateCommand;
import io.loomcast.gateway.cluster.Shard;
import io.loomcast.gateway.scaleout.EdgeFanOutTest.Closer;
import io.loomcast.gateway.testing.GatewayProcess;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.SmallMedia;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Scale-out pattern 2, restream jobs: three gateway processes with one config and shards 0, 1, 2 of three run
 * twelve routes that pull from nginx-rtmp and push back to it. Each destination gets exactly one publisher,
 * from the shard {@code validate --shard} names. A shard killed and restarted with the same ordinal takes its
 * routes back, and nobody published them while it was gone.
 */
class RestreamShardTest {
    private static final int ROUTES = 12;
    private static final int SHARDS = 3;
    /** nginx-rtmp logs each publish at info level: {@code publish: name='r3' args='' type=live ...}. */
    private static final Pattern PUBLISH = Pattern.compile("publish: name='(r\\d+)'");

    @Test
    void everyRouteRunsOnExactlyOneShardAndComesBackWithIt(@TempDir Path dir) throws Exception {
        try (NginxRtmp nginx = NginxRtmp.start(dir, NginxRtmp.Options.withApps("out"));
             Closer closer = new Closer()) {
            closer.add(SmallMedia.publish(dir.resolve("ffmpeg.log"), nginx.url("live/src")));
            CliRun.awaitLive(nginx.url("live/src"));
            Path config = Files.writeString(dir.resolve("restream.yaml"), config(nginx));

            List<List<String>> owned = new ArrayList<>();
            Set<String> all = new HashSet<>();
            for (int i = 0; i < SHARDS; i++) {
                owned.add(validateShard(config, i));
                for (String route : owned.get(i)) {
                    assertTrue(all.add(route), route + " is owned by two shards");
                    assertTrue(new Shard(i, SHARDS).owns(route), route + " listed for shard " + i);
                }
            }
            assertEquals(ROUTES, all.size(), "the shards together own every route: " + owned);

            GatewayProcess[] shards = new GatewayProcess[SHARDS];
            for (int i = 0; i < SHARDS; i++) {
                shards[i] = closer.add(shard(dir, config, i, "first"));
            }
            Poll.until(() -> publishes(nginx).size() >= ROUTES, Duration.ofSeconds(40),
                    "a publisher at each of the " + ROUTES + " destinations", () -> logs(nginx, shards));
            for (int r = 0; r < ROUTES; r++) {
                CliRun.awaitLive(nginx.url("out/r" + r));
            }
            assertPublishedOnce(nginx, Set.of(), shards);
            for (int i = 0; i < SHARDS; i++) {
                for (int r = 0; r < ROUTES; r++) {
                    String stream = "restream/r" + r;
                    boolean pushed = !shards[i].logLines("push " + stream + " -> ").isEmpty();
                    assertEquals(owned.get(i).contains(stream), pushed, "shard %d pushes %s".formatted(i, stream));
                }
            }

            // Shard 1 dies. Until it is back, its routes stay unpublished: nobody else takes them.
            int dead = 1;
            long before = disconnects(nginx);
            shards[dead].kill();
            // Its pulls and its pushes: two connections per route, each closed by the kernel when it died.
            Poll.until(() -> disconnects(nginx) >= before + 2L * owned.get(dead).size(),
                    Duration.ofSeconds(20), "nginx noticing the dead shard's pushes leave", () -> logs(nginx, shards));
            shards[dead] = closer.add(shard(dir, config, dead, "restarted"));
            Set<String> back = new HashSet<>();
            owned.get(dead).forEach(s -> back.add(s.substring(s.indexOf('/') + 1)));
            Poll.until(() -> back.stream().allMatch(n -> count(publishes(nginx), n) == 2), Duration.ofSeconds(40),
                    "the restarted shard publishing its routes again", () -> logs(nginx, shards));
            for (String name : back) {
                CliRun.awaitLive(nginx.url("out/" + name));
            }
            assertPublishedOnce(nginx, back, shards);
            for (int i = 0; i < SHARDS; i++) {
                if (i != dead) {
                    for (String stream : owned.get(dead)) {
                        assertTrue(shards[i].logLines("push " + stream + " -> ").isEmpty(),
                                "shard %d never pushed %s".formatted(i, stream));
                    }
                }
            }
        }
    }

    /**
     * Every destination was published exactly once, those in {@code twice} exactly twice (before the kill and
     * after the restart), and nginx never turned a second publisher away.
     */
    private static void assertPublishedOnce(NginxRtmp nginx, Set<String> twice, GatewayProcess[] shards)
            throws IOException {
        List<String> published = publishes(nginx);
        for (int r = 0; r < ROUTES; r++) {
            String name = "r" + r;
            assertEquals(twice.contains(name) ? 2 : 1, count(published, name), name + " publishes: " + published
                    + "\n" + logs(nginx, shards));
        }
        assertFalse(nginx.errorLog().contains("already publishing"), nginx.errorLog());
    }

    private static String config(NginxRtmp nginx) {
        StringBuilder b = new StringBuilder("""
                server: {listen: "127.0.0.1:0"}
                relay:
                  reconnect: {initialDelay: 200ms, maxDelay: 1s}
                cluster:
                  shard: ${POD_NAME}
                  replicas: 3
                routes:
                """);
        for (int r = 0; r < ROUTES; r++) {
            b.append("  - stream: restream/r%d\n    pull: %s\n    push: [%s]\n".formatted(r, nginx.url("live/src"),
                    nginx.url("out/r" + r)));
        }
        return b.toString();
    }

    private static GatewayProcess shard(Path dir, Path config, int ordinal, String run) throws IOException {
        String pod = "loomcast-restream-" + ordinal;
        return GatewayProcess.start(pod, config, dir.resolve(pod + "-" + run + ".log"), List.of(),
                Map.of("POD_NAME", pod));
    }

    /**
     * What {@code gateway validate FILE --shard I/3} lists as that replica's routes. The file says
     * {@code shard: ${POD_NAME}}, so validate needs some pod name to expand, as an operator would export one;
     * {@code --shard} then decides.
     */
    private static List<String> validateShard(Path config, int ordinal) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new ValidateCommand(Map.of("POD_NAME", "loomcast-restream-2")));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int code = cli.execute(config.toString(), "--shard", ordinal + "/" + SHARDS);
        assertEquals(0, code, out::toString);
        String text = out.toString();
        assertTrue(text.contains("shard " + ordinal + "/3 runs "), text);
        return text.lines().filter(l -> l.startsWith("  restream/")).map(String::strip).toList();
    }

    private static List<String> publishes(NginxRtmp nginx) {
        List<String> names = new ArrayList<>();
        try {
            Matcher m = PUBLISH.matcher(Files.readString(nginx.errorLogPath()));
            while (m.find()) {
                names.add(m.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static long disconnects(NginxRtmp nginx) {
        try {
            return Files.readString(nginx.errorLogPath()).lines().filter(l -> l.contains("disconnect")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long count(List<String> names, String name) {
        return names.stream().filter(name::equals).count();
    }

    private static String logs(NginxRtmp nginx, GatewayProcess[] shards) {
        StringBuilder b = new StringBuilder("nginx publishes: ").append(publishes(nginx));
        for (GatewayProcess s : shards) {
            b.append("\n--- ").append(s).append('\n');
            s.log().lines().filter(l -> l.contains("push") || l.contains("pull") || l.contains("cluster"))
                    .forEach(l -> b.append(l).append('\n'));
        }
        return b.toString();
    }
}
