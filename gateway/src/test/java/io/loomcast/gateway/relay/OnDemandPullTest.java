package io.loomcast.gateway.relay;

import static io.loomcast.gateway.relay.Relays.describe;
import static io.loomcast.gateway.relay.Relays.local;
import static io.loomcast.gateway.relay.Relays.pull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.hub.Stream;
import io.loomcast.gateway.routing.RelayState;
import io.loomcast.gateway.testing.Await;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.RtmpRecorder;
import io.loomcast.gateway.testing.SourceClip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An onDemand pull from nginx-rtmp: nothing is pulled while nobody watches; the first player starts the
 * pull; it keeps running while players come and go within {@code relay.onDemandIdle}, and stops that long
 * after the last one left.
 */
class OnDemandPullTest {
    private static final Duration IDLE = Duration.ofMillis(700);

    @TempDir
    Path dir;

    @Test
    void startsForThePlayerAndStopsAfterTheIdleTimeOnceTheLastOneLeft() throws Exception {
        SourceClip clip = SourceClip.get();
        try (NginxRtmp nginx = NginxRtmp.start(Files.createDirectories(dir.resolve("nginx")),
                NginxRtmp.Options.withApps());
             ExternalPeer ffmpeg = clip.publish(dir.resolve("ffmpeg.log"), nginx.url("live/od"), -1);
             Gateway gw = Gateway.start(Relays.config("""
                     onDemandIdle: %dms
                     reconnect: {initialDelay: 100ms, maxDelay: 400ms}
                     """.formatted(IDLE.toMillis()), """
                     - stream: relay/od
                       pull: {url: %s, mode: onDemand}
                     """.formatted(nginx.url("live/od"))))) {
            try (RtmpRecorder upstream = RtmpRecorder.start(nginx.url("live/od"), dir.resolve("upstream.flv"))) {
                Await.until("the upstream to be live at nginx", Duration.ofSeconds(10),
                        () -> upstream.videoFrames() >= SourceClip.FPS, upstream::toString);
            }
            assertEquals(RelayState.IDLE, pull(gw).state(), "no player, no pull: " + pull(gw));
            assertEquals(0, pull(gw).connects(), "no player, no pull: " + pull(gw));
            assertFalse(live(gw), "nothing feeds relay/od yet");

            try (RtmpRecorder first = RtmpRecorder.start(local(gw, "relay/od"), dir.resolve("first.flv"))) {
                Await.until("the first player's frames", Duration.ofSeconds(10),
                        () -> first.videoFrames() >= SourceClip.FPS, () -> describe(gw, first));
                assertEquals(1, pull(gw).connects(), pull(gw).toString());
                assertEquals(RelayState.LIVE, pull(gw).state(), pull(gw).toString());
                RtmpRecorder.Tag firstFrame = first.tags().stream().filter(t -> t.video() && t.frame()).findFirst()
                        .orElseThrow();
                assertTrue(firstFrame.keyframe(), "a player joining a fresh pull starts on a keyframe");
            }
            // A player that comes back within the idle time finds the pull still running.
            try (RtmpRecorder again = RtmpRecorder.start(local(gw, "relay/od"), dir.resolve("again.flv"))) {
                Await.until("frames for the returning player", Duration.ofSeconds(10),
                        () -> again.videoFrames() >= 5, () -> describe(gw, again));
                assertEquals(1, pull(gw).connects(), "the same pull served both: " + pull(gw));
            }
            long lastLeft = System.nanoTime();
            Await.until("the pull to stop after the idle time", Duration.ofSeconds(10),
                    () -> pull(gw).state() == RelayState.IDLE, () -> describe(gw));
            long stoppedAfterMs = (System.nanoTime() - lastLeft) / 1_000_000;
            assertTrue(stoppedAfterMs >= IDLE.toMillis(), "stopped %d ms after the last player left, before the "
                    .formatted(stoppedAfterMs) + "idle time of " + IDLE.toMillis() + " ms");
            assertTrue(stoppedAfterMs <= IDLE.toMillis() + 2_000, "stopped only %d ms after the last player left"
                    .formatted(stoppedAfterMs));
            Await.until("relay/od to lose its source", Duration.ofSeconds(5), () -> !live(gw), () -> describe(gw));
            long framesWhenStopped = pull(gw).frames();

            try (RtmpRecorder later = RtmpRecorder.start(local(gw, "relay/od"), dir.resolve("later.flv"))) {
                Await.until("a later player's frames", Duration.ofSeconds(10),
                        () -> later.videoFrames() >= SourceClip.FPS, () -> describe(gw, later));
                assertEquals(2, pull(gw).connects(), "a new player starts the pull again: " + pull(gw));
                assertTrue(pull(gw).frames() > framesWhenStopped, pull(gw).toString());
            }
        }
    }

    private static boolean live(Gateway gw) {
        return gw.hub().find("relay/od").map(Stream::live).orElse(false);
    }
}
