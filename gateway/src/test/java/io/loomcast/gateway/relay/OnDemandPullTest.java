package io.loomcast.gateway.relay;

import static io.loomcast.gateway.relay.Relays.describe;
import static io.loomcast.gateway.relay.Relays.local;
import static io.loomcast.gateway.relay.Relays.pull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.hub.Stream;
import io.loomcast.gateway.media.AvcDecoderConfig;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.VideoTag;
import io.loomcast.gateway.routing.RelayState;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.RtmpRecorder;
import io.loomcast.gateway.testing.SourceClip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
                Poll.until(() -> upstream.videoFrames() >= SourceClip.FPS, Duration.ofSeconds(10),
                        "the upstream to be live at nginx", upstream::toString);
            }
            assertEquals(RelayState.IDLE, pull(gw).state(), "no player, no pull: " + pull(gw));
            assertEquals(0, pull(gw).connects(), "no player, no pull: " + pull(gw));
            assertFalse(live(gw), "nothing feeds relay/od yet");

            try (RtmpRecorder first = RtmpRecorder.start(local(gw, "relay/od"), dir.resolve("first.flv"))) {
                Poll.until(() -> first.videoFrames() >= SourceClip.FPS, Duration.ofSeconds(10),
                        "the first player's frames", () -> describe(gw, first));
                assertEquals(1, pull(gw).connects(), pull(gw).toString());
                assertEquals(RelayState.LIVE, pull(gw).state(), pull(gw).toString());
                RtmpRecorder.Tag firstFrame = first.tags().stream().filter(t -> t.video() && t.frame()).findFirst()
                        .orElseThrow();
                assertTrue(firstFrame.keyframe(), "a player joining a fresh pull starts on a keyframe");
            }
            // A player that comes back within the idle time finds the pull still running.
            try (RtmpRecorder again = RtmpRecorder.start(local(gw, "relay/od"), dir.resolve("again.flv"))) {
                Poll.until(() -> again.videoFrames() >= 5, Duration.ofSeconds(10), "frames for the returning player",
                        () -> describe(gw, again));
                assertEquals(1, pull(gw).connects(), "the same pull served both: " + pull(gw));
            }
            long lastLeft = System.nanoTime();
            Poll.until(() -> pull(gw).state() == RelayState.IDLE, Duration.ofSeconds(10),
                    "the pull to stop after the idle time", () -> describe(gw));
            long stoppedAfterMs = (System.nanoTime() - lastLeft) / 1_000_000;
            assertTrue(stoppedAfterMs >= IDLE.toMillis(), "stopped %d ms after the last player left, before the "
                    .formatted(stoppedAfterMs) + "idle time of " + IDLE.toMillis() + " ms");
            assertTrue(stoppedAfterMs <= IDLE.toMillis() + 2_000, "stopped only %d ms after the last player left"
                    .formatted(stoppedAfterMs));
            Poll.until(() -> !live(gw), Duration.ofSeconds(5), "relay/od to lose its source", () -> describe(gw));
            long framesWhenStopped = pull(gw).frames();

            try (RtmpRecorder later = RtmpRecorder.start(local(gw, "relay/od"), dir.resolve("later.flv"))) {
                Poll.until(() -> later.videoFrames() >= SourceClip.FPS, Duration.ofSeconds(10),
                        "a later player's frames", () -> describe(gw, later));
                assertEquals(2, pull(gw).connects(), "a new player starts the pull again: " + pull(gw));
                assertTrue(pull(gw).frames() > framesWhenStopped, pull(gw).toString());
            }
        }
    }

    /**
     * A player of a rendition of an onDemand-pulled stream: the transcoder's hold on the source counts as a
     * player, so the pull starts for it, and stops once the rendition has stopped for want of players.
     */
    @Test
    void aPlayerOfARenditionStartsThePullOfItsSource() throws Exception {
        SourceClip clip = SourceClip.get();
        try (NginxRtmp nginx = NginxRtmp.start(Files.createDirectories(dir.resolve("nginx")),
                NginxRtmp.Options.withApps());
             ExternalPeer ffmpeg = clip.publish(dir.resolve("ffmpeg.log"), nginx.url("live/odr"), -1);
             Gateway gw = Gateway.start(ConfigLoader.parse("""
                     server: {listen: 127.0.0.1:0}
                     relay:
                       onDemandIdle: %dms
                       reconnect: {initialDelay: 100ms, maxDelay: 400ms}
                     transcode:
                       onDemandIdle: 300ms
                       profiles:
                         small: {video: {height: 90, bitrate: 100k}}
                     routes:
                       - stream: relay/odr
                         pull: {url: %s, mode: onDemand}
                     """.formatted(IDLE.toMillis(), nginx.url("live/odr")), "t.yaml", Map.of()))) {
            try (RtmpRecorder upstream = RtmpRecorder.start(nginx.url("live/odr"), dir.resolve("upstream.flv"))) {
                Poll.until(() -> upstream.videoFrames() >= SourceClip.FPS, Duration.ofSeconds(10),
                        "the upstream to be live at nginx", upstream::toString);
            }
            assertEquals(0, pull(gw).connects(), "no player, no pull: " + pull(gw));

            RtmpRecorder player = RtmpRecorder.start(local(gw, "relay/odr@small"), dir.resolve("rendition.flv"));
            try (player) {
                Poll.until(() -> player.videoFrames() >= SourceClip.FPS, Duration.ofSeconds(20),
                        "the rendition's frames, transcoded from the pulled source", () -> describe(gw, player));
                assertEquals(1, pull(gw).connects(), pull(gw).toString());
                assertEquals(RelayState.LIVE, pull(gw).state(), pull(gw).toString());
            }
            assertEquals("160x90", firstPictureSize(player.finish()), "the profile's size, not the source's");
            Poll.until(() -> pull(gw).state() == RelayState.IDLE, Duration.ofSeconds(10),
                    "the pull to stop once the rendition had no player", () -> describe(gw));
            Poll.until(() -> gw.transcoder().metrics().videoEncodersOpen() == 0, Duration.ofSeconds(5),
                    "the rendition's encoder freed", () -> gw.transcoder().metrics().toString());
        }
    }

    private static String firstPictureSize(Path flv) throws Exception {
        try (FlvReader r = new FlvReader(Files.newInputStream(flv), 1 << 24)) {
            for (FlvReader.Tag t; (t = r.next()) != null; ) {
                if (t.type() == 9) {
                    VideoTag v = FlvTags.parseVideo(t.body());
                    if (v.isSequenceHeader()) {
                        AvcDecoderConfig c = AvcDecoderConfig.parse(t.body(), v.payloadOffset(), v.payloadLength());
                        return c.width() + "x" + c.height();
                    }
                }
            }
        }
        return "no sequence header in " + flv;
    }

    private static boolean live(Gateway gw) {
        return gw.hub().find("relay/od").map(Stream::live).orElse(false);
    }
}
