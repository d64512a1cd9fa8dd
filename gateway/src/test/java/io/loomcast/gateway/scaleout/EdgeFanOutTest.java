package io.loomcast.gateway.scaleout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.bench.CliRun;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.GatewayProcess;
import io.loomcast.gateway.testing.NetLab;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.RtmpRecorder;
import io.loomcast.gateway.testing.SmallMedia;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out pattern 1, edges: two origins and three edge gateways, each a process in its own network namespace
 * with its own address, the edges running one wildcard route that pulls on demand from the origins in order.
 * 300 players spread over the edges; origin A serves exactly one pull per edge (three), and when it is killed
 * mid-stream every edge fails over to origin B, its players' timestamps still rising. When the players leave,
 * each edge's pull stops after onDemandIdle.
 */
class EdgeFanOutTest {
    private static final int PLAYERS = 300;
    private static final String STREAM = "live/x";
    private static final String[] EDGES = {"edge-0", "edge-1", "edge-2"};

    @Test
    void threeEdgesPullOncePerStreamAndFailOverWhenTheirOriginDies(@TempDir Path dir) throws Exception {
        try (NetLab lab = NetLab.create(EDGES[0], EDGES[1], EDGES[2], "origin-a", "origin-b");
             Closer closer = new Closer()) {
            GatewayProcess originA = closer.add(origin(lab, dir, "origin-a"));
            GatewayProcess originB = closer.add(origin(lab, dir, "origin-b"));
            String urlA = "rtmp://%s:%d/".formatted(lab.address("origin-a"), originA.port());
            String urlB = "rtmp://%s:%d/".formatted(lab.address("origin-b"), originB.port());
            closer.add(SmallMedia.publish(dir.resolve("ffmpeg-a.log"), urlA + STREAM));
            closer.add(SmallMedia.publish(dir.resolve("ffmpeg-b.log"), urlB + STREAM));
            CliRun.awaitLive(urlA + STREAM);
            CliRun.awaitLive(urlB + STREAM);

            // Every edge on the same port, each in its own namespace at .10, .11, .12: one URL template reaches
            // all three.
            GatewayProcess[] edges = new GatewayProcess[EDGES.length];
            edges[0] = closer.add(edge(lab, dir, 0, 0, urlA, urlB));
            for (int i = 1; i < EDGES.length; i++) {
                edges[i] = closer.add(edge(lab, dir, i, edges[0].port(), urlA, urlB));
            }
            int port = edges[0].port();

            // One recorder per edge keeps every timestamp it sees, across the failover.
            List<RtmpRecorder> recorders = new ArrayList<>();
            for (String edge : EDGES) {
                recorders.add(closer.add(RtmpRecorder.start("rtmp://%s:%d/%s".formatted(lab.address(edge), port,
                        STREAM), dir.resolve(edge + ".flv"))));
            }
            String players = "rtmp://%s.1{i%%3}:%d/%s".formatted(lab.subnet(), port, STREAM);
            CompletableFuture<CliRun> bench = CompletableFuture.supplyAsync(() -> {
                try {
                    return CliRun.bench(Files.createDirectories(dir.resolve("bench")), "play", players,
                            "--clients", Integer.toString(PLAYERS), "--ramp", "150/s", "--duration", "24s",
                            "--read-interval", "100ms");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });

            // All 303 players are on the edges...
            Poll.until(() -> bench.isDone() || playsAtEdges(edges) >= PLAYERS + EDGES.length, Duration.ofSeconds(30),
                    "every player playing at an edge", () -> "plays at the edges: " + playsAtEdges(edges));
            // ...and origin A, first in every edge's list, serves exactly one pull per edge; B serves none.
            for (String edge : EDGES) {
                assertEquals(1, pullsFrom(originA, lab.address(edge)), edge + " pulls once from A:\n" + originA.log());
            }
            assertEquals(0, pullsFrom(originB, lab.address("origin-a")) + pullsFromEdges(originB, lab),
                    "nobody pulls from B while A serves:\n" + originB.log());
            Poll.until(() -> recorders.stream().allMatch(r -> r.videoFrames() >= 25), Duration.ofSeconds(20),
                    "a second of video at each recorder", recorders::toString);

            long[] before = recorders.stream().mapToLong(RtmpRecorder::videoFrames).toArray();
            originA.kill();
            Poll.until(() -> pullsFromEdges(originB, lab) == EDGES.length, Duration.ofSeconds(20),
                    "every edge failing over to origin B", () -> originB.log() + "\n" + edgeLogs(edges));
            Poll.until(() -> {
                for (int i = 0; i < recorders.size(); i++) {
                    if (recorders.get(i).videoFrames() < before[i] + 50) {
                        return false;
                    }
                }
                return true;
            }, Duration.ofSeconds(20), "two more seconds of video at each recorder after the failover",
                    recorders::toString);

            CliRun run = bench.get(90, TimeUnit.SECONDS);
            assertEquals(PLAYERS, run.number("connected"), run::out);
            assertEquals(0, run.number("failed"), run::out);
            assertEquals(PLAYERS, run.number("ttffMs", "count"), run.out());
            for (RtmpRecorder r : recorders) {
                assertRising(r);
            }
            for (String edge : EDGES) {
                assertEquals(1, pullsFrom(originB, lab.address(edge)), edge + " pulls once from B:\n"
                        + originB.log());
            }

            // The last player leaves: each edge stops its pull onDemandIdle (1 s) later.
            for (RtmpRecorder r : recorders) {
                r.close();
            }
            Poll.until(() -> List.of(edges).stream().allMatch(e -> !e.logLines("pull of live/x: stopped").isEmpty()),
                    Duration.ofSeconds(20), "every edge stopping its idle pull", () -> edgeLogs(edges));
        }
    }

    private static GatewayProcess origin(NetLab lab, Path dir, String host) throws IOException {
        Path config = Files.writeString(dir.resolve(host + ".yaml"),
                "server: {listen: \"%s:0\"}\n".formatted(lab.address(host)));
        return GatewayProcess.start(host, config, dir.resolve(host + ".log"), lab.inside(host, List.of()), Map.of());
    }

    private static GatewayProcess edge(NetLab lab, Path dir, int i, int port, String urlA, String urlB)
            throws IOException {
        String host = EDGES[i];
        Path config = Files.writeString(dir.resolve(host + ".yaml"), """
                server: {listen: "%s:%d"}
                relay:
                  onDemandIdle: 1s
                  reconnect: {initialDelay: 200ms, maxDelay: 1s}
                routes:
                  - stream: live/*
                    pull:
                      urls: ["%slive/{name}", "%slive/{name}"]
                      mode: onDemand
                """.formatted(lab.address(host), port, urlA, urlB));
        return GatewayProcess.start(host, config, dir.resolve(host + ".log"), lab.inside(host, List.of()), Map.of());
    }

    /** Plays of the stream that {@code origin} logged from {@code address}: each is one pull. */
    private static long pullsFrom(GatewayProcess origin, String address) {
        return origin.logLines("playing " + STREAM + " for " + address + ":").size();
    }

    private static long pullsFromEdges(GatewayProcess origin, NetLab lab) {
        long n = 0;
        for (String edge : EDGES) {
            n += pullsFrom(origin, lab.address(edge));
        }
        return n;
    }

    private static long playsAtEdges(GatewayProcess[] edges) {
        long n = 0;
        for (GatewayProcess e : edges) {
            n += e.logLines("playing " + STREAM + " for ").size();
        }
        return n;
    }

    private static String edgeLogs(GatewayProcess[] edges) {
        StringBuilder b = new StringBuilder();
        for (GatewayProcess e : edges) {
            b.append("--- ").append(e).append('\n');
            e.log().lines().filter(l -> !l.contains(": playing ") && !l.contains(" after "))
                    .forEach(l -> b.append(l).append('\n'));
        }
        return b.toString();
    }

    /** Each track's timestamps never go back, across the failover from one origin to the other. */
    private static void assertRising(RtmpRecorder r) {
        for (boolean video : new boolean[] {true, false}) {
            long last = -1;
            for (RtmpRecorder.Tag t : r.tags()) {
                if (t.video() == video && (t.video() || t.audio())) {
                    assertTrue(t.timestampMs() >= last, "%s %s timestamp %d after %d".formatted(r.url(),
                            video ? "video" : "audio", t.timestampMs(), last));
                    last = t.timestampMs();
                }
            }
        }
    }

    /** Closes what a test started, last first. */
    static final class Closer implements AutoCloseable {
        private final List<AutoCloseable> items = new ArrayList<>();

        <T extends AutoCloseable> T add(T item) {
            items.add(item);
            return item;
        }

        @Override
        public void close() throws Exception {
            Exception first = null;
            for (AutoCloseable c : items.reversed()) {
                try {
                    c.close();
                } catch (Exception e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
