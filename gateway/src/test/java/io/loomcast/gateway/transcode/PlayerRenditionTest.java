package io.loomcast.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.hub.Stream;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.testing.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real player (ffprobe over RTMP) asks for {@code live/src@profile} that no push uses: the gateway runs that
 * profile for it, and frees the encoder an idle time after it left, while the source is still live. Beside a
 * push's running rendition, a player's profile is added without restarting the push's.
 */
class PlayerRenditionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aPlayerStartsARenditionThatStopsOnceItHasBeenIdle(@TempDir Path dir) throws Exception {
        List<FlvReader.Tag> source = Fixtures.flv(dir, "src180", 320, 180, 15, 16);
        try (Fixtures.ChildWatch children = new Fixtures.ChildWatch();
             Gateway gateway = Gateway.start(ConfigLoader.parse("""
                     server: {listen: 127.0.0.1:0}
                     transcode:
                       onDemandIdle: 1s
                       profiles:
                         small: {video: {height: 90, bitrate: 100k}}
                     """, "t.yaml", Map.of()))) {
            assertNotNull(gateway.transcoder(), "no push uses a profile, but players may start one");
            TranscodeMetrics m = gateway.transcoder().metrics();
            String base = "rtmp://127.0.0.1:" + gateway.rtmpAddress().getPort() + "/live/";
            try (Fixtures.Publisher publisher = new Fixtures.Publisher(base + "src", source)) {
                Poll.until(() -> live(gateway, "live/src"), WAIT, "the source live", m::toString);
                assertEquals(Map.of(), gateway.transcoder().running(), "nothing runs before a player asks");

                long playerLeftNanos;
                try (Fixtures.ProbeRun player = new Fixtures.ProbeRun(dir, base + "src@small", 3)) {
                    Poll.until(() -> m.videoEncodersOpen() == 1, WAIT, "the player's encoder open", m::toString);
                    assertEquals(1, m.videoDecodersOpen(), m.toString());
                    assertEquals(1, gateway.hub().find("live/src").map(Stream::demand).orElse(0),
                            "the rendition counts as a player of its source");
                    Fixtures.Probe probe = player.result();
                    playerLeftNanos = System.nanoTime();
                    Map<String, String> v = probe.stream("video");
                    assertNotNull(v, "video for the player; ffprobe said:\n" + probe.raw());
                    assertEquals("h264", v.get("codec_name"));
                    assertEquals(List.of("160", "90"), List.of(v.get("width"), v.get("height")), "the profile's size");
                    assertNotNull(probe.stream("audio"), "audio copied from the source");
                    assertTrue(probe.packets("video").size() >= 30, probe.packets("video").size() + " video packets");
                }
                Poll.until(() -> m.videoEncodersOpen() == 0 && m.videoDecodersOpen() == 0, WAIT,
                        "the encoder and the decoder freed once the player had been gone 1 s", m::toString);
                long stoppedAfterMs = (System.nanoTime() - playerLeftNanos) / 1_000_000;
                assertTrue(stoppedAfterMs >= 800, "kept for the idle time after the player left, stopped after "
                        + stoppedAfterMs + " ms");
                assertTrue(live(gateway, "live/src") && !publisher.done(), "stopped for idleness, not by the source ending");
                assertEquals(Map.of(), gateway.transcoder().running());
                assertEquals(0, gateway.hub().find("live/src").map(Stream::demand).orElse(0), "its hold released");
            }
            assertEquals(Set.of(), children.ffmpegSeen(), "the gateway never starts an ffmpeg process");
        }
    }

    @Test
    void aPlayersProfileIsAddedBesideAPushsWithoutRestartingIt(@TempDir Path dir) throws Exception {
        List<FlvReader.Tag> source = Fixtures.flv(dir, "src180", 320, 180, 15, 16);
        try (Gateway gateway = Gateway.start(ConfigLoader.parse("""
                     server: {listen: 127.0.0.1:0}
                     transcode:
                       onDemandIdle: 1s
                       profiles:
                         a: {video: {height: 90, bitrate: 100k}}
                         b: {video: {height: 72, bitrate: 80k}}
                     routes:
                       - stream: live/src
                         push: [{url: "rtmp://127.0.0.1:9/out/a", transcode: a}]
                     """, "t.yaml", Map.of()));
             RenditionWatch a = new RenditionWatch(gateway.hub(), "live/src@a")) {
            TranscodeMetrics m = gateway.transcoder().metrics();
            String base = "rtmp://127.0.0.1:" + gateway.rtmpAddress().getPort() + "/live/";
            try (Fixtures.Publisher publisher = new Fixtures.Publisher(base + "src", source)) {
                Poll.until(() -> a.videoFrames() >= 15, WAIT, "the push's rendition running", () -> a + "; " + m);
                assertEquals(1, m.videoEncoderOpens(), m.toString());

                try (Fixtures.ProbeRun player = new Fixtures.ProbeRun(dir, base + "src@b", 3)) {
                    Poll.until(() -> m.videoEncodersOpen() == 2, WAIT, "b's encoder open beside a's", m::toString);
                    Fixtures.Probe probe = player.result();
                    Map<String, String> v = probe.stream("video");
                    assertNotNull(v, "video for the player; ffprobe said:\n" + probe.raw());
                    assertEquals(List.of("h264", "128", "72"), List.of(v.get("codec_name"), v.get("width"),
                            v.get("height")), "b's codec and size");
                }
                assertEquals(2, m.videoEncoderOpens(), "a's encoder was not reopened when b joined: " + m);
                assertEquals(1, m.videoDecoderOpens(), "one decoder throughout: " + m);
                assertEquals(List.of(1, 0, 1), List.of(a.started(), a.ended(), a.videoHeaders()),
                        "a's rendition: one publication, never ended, one sequence header: " + a);

                Poll.until(() -> m.videoEncodersOpen() == 1, WAIT, "b freed once its player had been gone 1 s",
                        m::toString);
                int aFrames = a.videoFrames();
                Poll.until(() -> a.videoFrames() > aFrames + 15, WAIT, "a going on after b left", a::toString);
                assertEquals(List.of(1, 0, 1), List.of(a.started(), a.ended(), a.videoHeaders()),
                        "a's rendition untouched by b leaving: " + a);
                assertEquals(2, m.videoEncoderOpens(), m.toString());
                assertEquals(Map.of("live/src", List.of("live/src@a")), gateway.transcoder().running());
                RenditionStatus status = gateway.transcoder().renditions().getFirst();
                assertEquals(List.of("live/src", "live/src@a", "a"), List.of(status.source(), status.rendition(),
                        status.profile()), "what the API shows of it");
                assertTrue(status.framesOut() > 15 && status.lastOutMs() > 0 && !status.encoder().isEmpty(),
                        status.toString());
                assertTrue(!publisher.done(), "all of it while the source was live");
            }
        }
    }

    private static boolean live(Gateway gateway, String stream) {
        return gateway.hub().find(stream).map(Stream::live).orElse(false);
    }
}
