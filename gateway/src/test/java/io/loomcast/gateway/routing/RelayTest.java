package io.loomcast.gateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.Publication;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.VideoMessage;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpClient;
import io.loomcast.gateway.testing.TapProxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay between two in-process gateways: one routes and pushes, the other is the destination. Fast and
 * free of external peers, so it pins the reconcile rules, timestamps and linger exactly; the interop with
 * nginx-rtmp and node-media-server is tested in the relay integration tests.
 */
class RelayTest {
    private Gateway destination;
    private Gateway origin;

    @BeforeEach
    void destination() throws Exception {
        destination = Gateway.start(ConfigLoader.parse("server: {listen: 127.0.0.1:0}", "dest.yaml", Map.of()));
    }

    @AfterEach
    void close() throws Exception {
        if (origin != null) {
            origin.close();
        }
        destination.close();
    }

    private String dest(String path) {
        return "rtmp://127.0.0.1:" + destination.rtmpAddress().getPort() + "/" + path;
    }

    private GatewayConfig config(String routes) throws Exception {
        // No unpublish grace: these tests pin the linger, which starts once the players are told.
        return ConfigLoader.parse("""
                server: {listen: 127.0.0.1:0, unpublishGrace: 0}
                relay: {linger: 300ms, reconnect: {initialDelay: 50ms, maxDelay: 200ms}}
                routes:
                """ + routes, "origin.yaml", Map.of());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(10); // polling pace, not synchronisation: the condition decides
        }
    }

    private static void gop(Publication p, long ts) {
        p.push(Frame.Kind.VIDEO, ts, new byte[] {0x17, 1, 0, 0, 0, 9}, true, false);
        p.push(Frame.Kind.VIDEO, ts + 40, new byte[] {0x27, 1, 0, 0, 0, 9}, false, false);
    }

    private RelayStatus push(String urlPart) {
        return origin.relay().status().stream().filter(s -> s.url().contains(urlPart)).findFirst().orElseThrow();
    }

    @Test
    void pushesStartWhenTheSourceIsLiveAndTimestampsNeverGoBackAcrossARestart() throws Exception {
        origin = Gateway.start(config("  - stream: live/x\n    push: [\"" + dest("in/x") + "\"]\n"));
        try (RtmpClient player = RtmpClient.connect(RtmpUrl.parse(dest("in/x")), ClientOptions.DEFAULT)) {
            int id = player.createStream();
            player.play(id, "x", -2);
            Publication p1 = origin.hub().publish("live/x", "test").orElseThrow();
            p1.push(Frame.Kind.VIDEO, 0, new byte[] {0x17, 0, 0, 0, 0, 1, 0x64}, true, true);
            gop(p1, 1000);
            await("push live", () -> push("in/").state() == RelayState.LIVE);
            p1.close();
            Publication p2 = origin.hub().publish("live/x", "test-again").orElseThrow();
            p2.push(Frame.Kind.VIDEO, 0, new byte[] {0x17, 0, 0, 0, 0, 1, 0x64}, true, true);
            gop(p2, 0);
            long last = -1;
            int frames = 0;
            while (frames < 6) {
                Message m = player.read();
                if (m instanceof VideoMessage v) {
                    assertTrue(v.timestamp() >= last, "timestamp went back: " + v.timestamp() + " after " + last);
                    last = v.timestamp();
                    frames++;
                }
            }
            assertEquals(1, push("in/").connects(), "the source came back within the linger: same connection");
        }
    }

    /**
     * A push is written by the thread that delivers its frames while its own thread is idle. When such a write
     * fails, the frames it took are gone, and the push's own thread has nothing left to write that would fail
     * too: it must be told, or it sits on the dead connection for good while every frame is taken and lost.
     */
    @Test
    void aPushWrittenDirectlyNoticesItsConnectionWasCut() throws Exception {
        try (TapProxy toDest = new TapProxy(destination.rtmpAddress().getPort())) {
            origin = Gateway.start(config("  - stream: live/cut\n    push: [\"" + toDest.url("in/cut") + "\"]\n"));
            Publication p = origin.hub().publish("live/cut", "test").orElseThrow();
            p.push(Frame.Kind.VIDEO, 0, new byte[] {0x17, 0, 0, 0, 0, 1, 0x64}, true, true);
            long ts = 0;
            gop(p, ts);
            await("push live", () -> push("in/").state() == RelayState.LIVE);
            toDest.cutAll();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (push("in/").connects() < 2) {
                if (System.nanoTime() > deadline) {
                    fail("the push never noticed the cut: " + push("in/"));
                }
                ts += 80;
                gop(p, ts); // frames keep coming, as from a live source, at 25 per second
                Thread.sleep(40); // the source's pace, not synchronisation: the condition decides
            }
            p.close();
        }
    }

    @Test
    void reloadKeepsUnchangedPushesAndSwapsTheRest() throws Exception {
        origin = Gateway.start(config("  - stream: live/x\n    push: [\"" + dest("a/x") + "\", \"" + dest("b/x") + "\"]\n"));
        Publication p = origin.hub().publish("live/x", "test").orElseThrow();
        gop(p, 0);
        await("both pushes live", () -> origin.relay().status().stream().allMatch(s -> s.state() == RelayState.LIVE));
        origin.reload(config("  - stream: live/x\n    push: [\"" + dest("a/x") + "\", \"" + dest("c/x") + "\"]\n"));
        gop(p, 80);
        await("c live", () -> origin.relay().status().stream().anyMatch(
                s -> s.url().contains("/c/") && s.state() == RelayState.LIVE));
        List<RelayStatus> now = origin.relay().status();
        assertEquals(2, now.size(), now.toString());
        assertTrue(now.stream().noneMatch(s -> s.url().contains("/b/")), "b was removed");
        assertEquals(1, push("/a/").connects(), "a kept its session");
        await("b's stream gone at the destination", () -> destination.hub().find("b/x").isEmpty());
    }

    @Test
    void wildcardRoutesPushEveryStreamOfTheAppAndStopAfterTheLinger() throws Exception {
        origin = Gateway.start(config("  - stream: live/*\n    push: [\"" + dest("out/{name}") + "\"]\n"));
        Publication a = origin.hub().publish("live/a", "test").orElseThrow();
        Publication b = origin.hub().publish("live/b", "test").orElseThrow();
        gop(a, 0);
        gop(b, 0);
        await("two pushes live", () -> origin.relay().status().stream().filter(s -> s.state() == RelayState.LIVE).count() == 2);
        await("destination has out/a and out/b", () -> destination.hub().find("out/a").map(s -> s.live()).orElse(false)
                && destination.hub().find("out/b").map(s -> s.live()).orElse(false));
        a.close();
        await("push of a unpublished after the linger", () -> destination.hub().find("out/a").isEmpty()
                && origin.relay().status().size() == 1);
        assertTrue(destination.hub().find("out/b").map(s -> s.live()).orElse(false));
    }

    @Test
    void aRefusedDestinationBacksOffAndNamesTheReason() throws Exception {
        int closedPort;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        origin = Gateway.start(config("  - stream: live/x\n    push: [\"rtmp://127.0.0.1:" + closedPort + "/app/key\"]\n"));
        Publication p = origin.hub().publish("live/x", "test").orElseThrow();
        gop(p, 0);
        await("a failure recorded", () -> origin.relay().status().getFirst().failures() >= 2);
        RelayStatus s = origin.relay().status().getFirst();
        assertTrue(s.lastError().contains("Connection refused"), s.lastError());
        assertTrue(!s.url().contains("key"), "the stream key is redacted: " + s.url());
    }
}
