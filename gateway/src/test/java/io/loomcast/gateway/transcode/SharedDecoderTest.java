package io.loomcast.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.VideoMessage;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpClient;
import io.loomcast.gateway.testing.NginxRtmp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One source, two profiles, three destinations (two share a profile): exactly one decoder and two encoders
 * run, every destination plays, and a local player can watch a rendition. The smaller profile is scaled from
 * the larger one's pictures (cascade scaling), live. Low resolutions: the point is the
 * sharing, not the picture.
 */
class SharedDecoderTest {

    @Test
    void oneDecoderTwoEncodersThreeDestinations(@TempDir Path dir) throws Exception {
        List<FlvReader.Tag> source = Fixtures.flv(dir, "src270", 480, 270, 30, 9);
        try (Fixtures.ChildWatch children = new Fixtures.ChildWatch();
             NginxRtmp nginx = NginxRtmp.start(dir);
             Gateway gateway = Gateway.start(ConfigLoader.parse("""
                     server: {listen: 127.0.0.1:0}
                     transcode:
                       profiles:
                         small:
                           video: {width: 320, height: 180, bitrate: 300k, preset: ultrafast}
                         tiny:
                           video: {height: 90, bitrate: 100k, fps: 15}
                           audio: {bitrate: 64k, sampleRate: 44100, channels: 1}
                     routes:
                       - stream: live/src
                         push:
                           - {url: "%s", transcode: small}
                           - {url: "%s", transcode: small}
                           - {url: "%s", transcode: tiny}
                     """.formatted(nginx.url("live/d1"), nginx.url("live/d2"), nginx.url("live/d3")), "t.yaml", Map.of()))) {
            String base = "rtmp://127.0.0.1:" + gateway.rtmpAddress().getPort() + "/live/";
            try (Fixtures.ProbeRun p1 = new Fixtures.ProbeRun(dir, nginx.url("live/d1"), 5);
                 Fixtures.ProbeRun p2 = new Fixtures.ProbeRun(dir, nginx.url("live/d2"), 5);
                 Fixtures.ProbeRun p3 = new Fixtures.ProbeRun(dir, nginx.url("live/d3"), 5)) {
                for (String d : List.of("d1", "d2", "d3")) {
                    Fixtures.awaitPlayer(dir, d);
                }
                Fixtures.Publisher publisher = new Fixtures.Publisher(base + "src", source);
                TranscodeMetrics m = gateway.transcoder().metrics();
                long deadline = System.nanoTime() + 8_000_000_000L;
                while (m.videoEncodersOpen() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20); // polling pace
                }
                assertEquals(1, m.videoDecodersOpen(), "one decoder for the source: " + m);
                assertEquals(2, m.videoEncodersOpen(), "one encoder per profile, not per destination: " + m);
                assertEquals(1, m.audioEncodersOpen(), "only the tiny profile re-encodes audio: " + m);
                assertEquals(Map.of("live/src", List.of("live/src@small", "live/src@tiny")), gateway.transcoder().running());

                assertPlaysLocally(base + "src@tiny");

                for (Fixtures.ProbeRun p : List.of(p1, p2, p3)) {
                    Fixtures.Probe probe = p.result();
                    Map<String, String> v = probe.stream("video");
                    assertNotNull(v, "video on nginx; ffprobe said:\n" + probe.raw());
                    assertEquals("h264", v.get("codec_name"));
                    boolean tiny = p == p3;
                    assertEquals(tiny ? "160" : "320", v.get("width"));
                    assertEquals(tiny ? "90" : "180", v.get("height"));
                    assertNotNull(probe.stream("audio"), "audio on nginx");
                    assertTrue(probe.packets("video").size() > (tiny ? 40 : 80), probe.packets("video").size() + " video packets");
                }
                assertEquals(1, m.videoDecoderOpens(), "the decoder was opened once: " + m);
                // tiny (160x90, 15 fps) fits inside small (320x180, every picture): cascade scaling, on by default.
                assertTrue(m.cascadedPictures() > 40, "tiny scaled from small's pictures: " + m.cascadedPictures());
                assertEquals(2, m.videoEncoderOpens(), "two encoders were opened: " + m);
                System.out.println("shared decoder: " + m);
                publisher.join();
                publisher.close();
            }
            assertEquals(Set.of(), children.ffmpegSeen(), "the gateway never starts an ffmpeg process");
        }
    }

    /** A local RTMP player of a rendition gets its sequence header and then a keyframe. */
    private static void assertPlaysLocally(String url) throws Exception {
        RtmpUrl u = RtmpUrl.parse(url);
        try (RtmpClient player = RtmpClient.connect(u, ClientOptions.DEFAULT)) {
            int id = player.createStream();
            player.play(id, u.streamName(), -1);
            boolean header = false;
            while (true) {
                Message msg = player.read();
                if (msg instanceof VideoMessage v) {
                    var tag = FlvTags.parseVideo(v.data());
                    if (tag.isSequenceHeader()) {
                        header = true;
                    } else if (tag.isKeyframe()) {
                        assertTrue(header, "the sequence header comes before the first keyframe");
                        return;
                    }
                }
            }
        }
    }
}
