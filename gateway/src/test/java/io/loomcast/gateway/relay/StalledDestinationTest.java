package io.loomcast.gateway.relay;

import static io.loomcast.gateway.relay.Relays.describe;
import static io.loomcast.gateway.relay.Relays.local;
import static io.loomcast.gateway.relay.Relays.pull;
import static io.loomcast.gateway.relay.Relays.push;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.routing.RelayState;
import io.loomcast.gateway.routing.RelayStatus;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.RtmpRecorder;
import io.loomcast.gateway.testing.SourceClip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination that accepts TCP and then never reads a byte (nor answers the handshake) next to a working
 * one. The working destination and a local player must keep up with the source frame for frame, and the
 * dead one must show, in its status, that it is stalled and why.
 */
class StalledDestinationTest {
    /**
     * On loopback the kernel grows a sender's buffer to about 4 MiB (tcp_wmem), and a write blocks only once
     * that is full: at the clip's 90 KB/s that takes 45 s, at ten times real time under 5 s.
     */
    private static final int FROZEN_TEST_SPEED = 10;
    /**
     * How far (in media time at real-time speed) a healthy player may trail the source: loose enough for a
     * loaded 2-core machine, far below what waiting on a dead destination would cost (seconds, growing).
     */
    private static final long MAX_BEHIND_MS = 2_000;

    @TempDir
    Path dir;

    @Test
    void aDestinationThatNeverReadsShowsAsStalledAndCostsTheOthersNothing() throws Exception {
        SourceClip clip = SourceClip.get();
        try (NginxRtmp nginx = NginxRtmp.start(Files.createDirectories(dir.resolve("nginx")),
                NginxRtmp.Options.withApps("dest"));
             BlackHole hole = new BlackHole();
             Gateway gw = Gateway.start(Relays.config(Relays.FAST_RELAY, """
                     - stream: relay/src
                       pull: %s
                       push: [%s, %s]
                     """.formatted(nginx.url("live/src"), hole.url("app/key"), nginx.url("dest/src"))))) {
            Poll.until(() -> pull(gw).state() == RelayState.LIVE, Duration.ofSeconds(10),
                    "the pull to play live/src at nginx", () -> describe(gw));
            try (RtmpRecorder source = RtmpRecorder.start(nginx.url("live/src"), dir.resolve("source.flv"));
                 RtmpRecorder player = RtmpRecorder.start(local(gw, "relay/src"), dir.resolve("local.flv"));
                 RtmpRecorder atNginx = RtmpRecorder.start(nginx.url("dest/src"), dir.resolve("nginx.flv"));
                 ExternalPeer ffmpeg = clip.publish(dir.resolve("ffmpeg.log"), nginx.url("live/src"), -1)) {
                Set<RelayState> seen = EnumSet.noneOf(RelayState.class);
                Poll.until(() -> {
                    seen.add(push(gw, "/app/").state());
                    return push(gw, "/app/").failures() >= 1;
                }, Duration.ofSeconds(10), "the black hole to time out once", () -> describe(gw));
                long fromTs = lastVideoTs(source);
                Poll.until(() -> {
                    seen.add(push(gw, "/app/").state());
                    return push(gw, "/app/").failures() >= 3;
                }, Duration.ofSeconds(10), "two more seconds of stall", () -> describe(gw));
                assertKeptUp(gw, source, fromTs, MAX_BEHIND_MS, player, atNginx);

                RelayStatus dead = push(gw, "/app/");
                // STALLED shows while the push waits to retry; keep looking in case the polls above missed it.
                Poll.until(() -> sawStalled(gw, "/app/", seen),
                        Duration.ofSeconds(15), "the black hole to show as STALLED", () -> "seen " + seen);
                assertTrue(dead.lastError().contains("handshake timed out"), dead.lastError());
                assertEquals(0, dead.connects(), dead.toString());
                assertTrue(hole.accepted() >= 3, "each attempt reached the black hole: " + hole.accepted());
                RelayStatus good = push(gw, "dest/");
                assertEquals(RelayState.LIVE, good.state(), good.toString());
                assertEquals(1, good.connects(), good.toString());
                assertEquals(0, good.failures(), good.toString());
                assertEquals(0, good.droppedFrames(), good.toString());
            }
        }
    }

    @Test
    void aDestinationThatStopsReadingMidStreamShowsAsStalledAndCostsTheOthersNothing() throws Exception {
        SourceClip clip = SourceClip.get();
        try (NginxRtmp nginx = NginxRtmp.start(Files.createDirectories(dir.resolve("nginx")),
                NginxRtmp.Options.withApps("dest", "frozen"));
             FreezingProxy proxy = new FreezingProxy(nginx.port());
             Gateway gw = Gateway.start(Relays.config(Relays.FAST_RELAY, """
                     - stream: relay/src
                       pull: %s
                       push: [%s, %s]
                     """.formatted(nginx.url("live/src"), proxy.url("frozen/src"), nginx.url("dest/src"))))) {
            Poll.until(() -> pull(gw).state() == RelayState.LIVE, Duration.ofSeconds(10),
                    "the pull to play live/src at nginx", () -> describe(gw));
            try (RtmpRecorder source = RtmpRecorder.start(nginx.url("live/src"), dir.resolve("source.flv"));
                 RtmpRecorder player = RtmpRecorder.start(local(gw, "relay/src"), dir.resolve("local.flv"));
                 RtmpRecorder atNginx = RtmpRecorder.start(nginx.url("dest/src"), dir.resolve("nginx.flv"));
                 ExternalPeer ffmpeg = clip.publish(dir.resolve("ffmpeg.log"), nginx.url("live/src"), -1,
                         FROZEN_TEST_SPEED)) {
                Poll.until(() -> proxy.freezes() >= 1, Duration.ofSeconds(10),
                        "the proxy to freeze after the publish", () -> describe(gw));
                long fromTs = lastVideoTs(source);
                Set<RelayState> seen = EnumSet.noneOf(RelayState.class);
                Poll.until(() -> {
                    seen.add(push(gw, "/frozen/").state());
                    return push(gw, "/frozen/").failures() >= 1;
                }, Duration.ofSeconds(20), "the frozen destination to be found stalled", () -> describe(gw));
                assertKeptUp(gw, source, fromTs, MAX_BEHIND_MS * FROZEN_TEST_SPEED, player, atNginx);

                RelayStatus frozen = push(gw, "/frozen/");
                Poll.until(() -> sawStalled(gw, "/frozen/", seen),
                        Duration.ofSeconds(15), "the frozen destination to show as STALLED", () -> "seen " + seen);
                assertTrue(frozen.lastError().contains("write stalled for 1000 ms"), frozen.lastError());
                assertTrue(frozen.connects() >= 1, "it had published before it froze: " + frozen);
                RelayStatus good = push(gw, "/dest/");
                assertEquals(RelayState.LIVE, good.state(), good.toString());
                assertEquals(1, good.connects(), good.toString());
                assertEquals(0, good.failures(), good.toString());
                assertEquals(0, good.droppedFrames(), good.toString());
            }
        }
    }

    /**
     * From the source's video timestamp {@code fromTs} to its latest now, every other player got every
     * frame, and none of them is more than {@code maxBehindMs} of media behind the source.
     */
    private static void assertKeptUp(Gateway gw, RtmpRecorder source, long fromTs, long maxBehindMs,
            RtmpRecorder... others) {
        long toTs = lastVideoTs(source);
        assertTrue(toTs - fromTs >= 1_000, "the source ran on meanwhile: %d..%d".formatted(fromTs, toTs));
        for (RtmpRecorder r : others) {
            long behindMs = toTs - lastVideoTs(r);
            assertTrue(behindMs <= maxBehindMs, "%s is %d ms behind the source".formatted(r.url(), behindMs));
        }
        Poll.until(() -> Arrays.stream(others).allMatch(r -> lastVideoTs(r) >= toTs), Duration.ofSeconds(5),
                "the others to reach the source's timestamp " + toTs, () -> describe(gw, others));
        long expected = videoFramesBetween(source, fromTs, toTs);
        assertTrue(expected >= SourceClip.FPS, "frames in the window at the source: " + expected);
        for (RtmpRecorder r : others) {
            assertEquals(expected, videoFramesBetween(r, fromTs, toTs), r.url() + ", frames in the same window");
        }
    }

    /** Records the push's state at each check; true once it has shown STALLED. */
    private static boolean sawStalled(Gateway gw, String urlPart, Set<RelayState> seen) {
        seen.add(push(gw, urlPart).state());
        return seen.contains(RelayState.STALLED);
    }

    private static long lastVideoTs(RtmpRecorder r) {
        List<RtmpRecorder.Tag> tags = r.tags();
        for (int i = tags.size() - 1; i >= 0; i--) {
            if (tags.get(i).video() && tags.get(i).frame()) {
                return tags.get(i).timestampMs();
            }
        }
        return -1;
    }

    /**
     * Coded video frames with a timestamp in {@code (fromTs, toTs]}. The gateway passes its first source's
     * timestamps through and nginx keeps them, so the same frame has the same timestamp at every player.
     */
    private static long videoFramesBetween(RtmpRecorder r, long fromTs, long toTs) {
        return r.tags().stream().filter(t -> t.video() && t.frame() && t.timestampMs() > fromTs
                && t.timestampMs() <= toTs).count();
    }
}
