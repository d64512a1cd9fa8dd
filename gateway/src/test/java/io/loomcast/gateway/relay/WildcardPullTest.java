package io.loomcast.gateway.relay;

import static io.loomcast.gateway.relay.Relays.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.hub.Stream;
import io.loomcast.gateway.routing.RelayState;
import io.loomcast.gateway.routing.RelayStatus;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.RtmpRecorder;
import io.loomcast.gateway.testing.SmallMedia;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wildcard route that pulls on demand, in one process: twenty players arriving at once start one pull of
 * their stream; the first upstream refuses, so it comes from the second; another stream gets its own pull;
 * when the players leave, each pull stops after onDemandIdle and the relay forgets it.
 */
class WildcardPullTest {
    @Test
    void onePullPerStreamFromTheFirstUpstreamThatAnswers(@TempDir Path dir) throws Exception {
        int refused;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = probe.getLocalPort();
        }
        try (Gateway origin = Gateway.start(ConfigLoader.parse("server: {listen: 127.0.0.1:0}", "o.yaml", Map.of()));
             ExternalPeer x = SmallMedia.publish(dir.resolve("x.log"), local(origin, "live/x"));
             ExternalPeer y = SmallMedia.publish(dir.resolve("y.log"), local(origin, "live/y"));
             Gateway edge = Gateway.start(Relays.config("""
                     onDemandIdle: 300ms
                     reconnect: {initialDelay: 100ms, maxDelay: 400ms}
                     """, """
                     - stream: live/*
                       pull:
                         urls: ["rtmp://127.0.0.1:%d/live/{name}", "rtmp://127.0.0.1:%d/live/{name}"]
                         mode: onDemand
                     """.formatted(refused, origin.rtmpAddress().getPort())))) {
            Poll.until(() -> live(origin, "live/x") && live(origin, "live/y"), Duration.ofSeconds(20),
                    "ffmpeg publishing to the origin", () -> "");
            assertEquals(List.of(), edge.relay().status(), "no player, no pull");

            List<CompletableFuture<RtmpRecorder>> joining = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                joining.add(CompletableFuture.supplyAsync(() -> record(local(edge, "live/x"), dir.resolve(n + ".flv"))));
            }
            List<RtmpRecorder> players = new ArrayList<>();
            for (CompletableFuture<RtmpRecorder> f : joining) {
                players.add(f.get());
            }
            players.add(record(local(edge, "live/y"), dir.resolve("y.flv")));
            Poll.until(() -> players.stream().allMatch(p -> p.videoFrames() >= 25), Duration.ofSeconds(20),
                    "a second of video at every player", () -> Relays.describe(edge) + "\n" + players);
            List<RelayStatus> pulls = edge.relay().status();
            assertEquals(2, pulls.size(), "one pull per stream: " + pulls);
            for (RelayStatus p : pulls) {
                assertEquals(RelayState.LIVE, p.state(), p.toString());
                assertTrue(p.url().contains(":" + origin.rtmpAddress().getPort() + "/"), "from the second: " + p);
                assertEquals(1, p.failures(), "after the first refused: " + p);
            }
            assertEquals(1, subscribers(origin, "live/x"), "the origin serves one pull of live/x");

            for (RtmpRecorder p : players) {
                p.close();
            }
            Poll.until(() -> edge.relay().status().isEmpty(), Duration.ofSeconds(10), "the idle pulls forgotten",
                    () -> Relays.describe(edge));
            Poll.until(() -> subscribers(origin, "live/x") == 0, Duration.ofSeconds(10), "the pull gone at the origin",
                    () -> "subscribers " + subscribers(origin, "live/x"));
        }
    }

    private static RtmpRecorder record(String url, Path file) {
        try {
            return RtmpRecorder.start(url, file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean live(Gateway g, String stream) {
        return g.hub().find(stream).map(Stream::live).orElse(false);
    }

    private static int subscribers(Gateway g, String stream) {
        return g.hub().find(stream).map(Stream::subscriberCount).orElse(0);
    }
}
