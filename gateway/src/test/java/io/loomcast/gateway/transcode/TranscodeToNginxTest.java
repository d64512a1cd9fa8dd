package io.loomcast.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.testing.NginxRtmp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end case: a 720p30 H.264 + AAC stream published to Loomcast, transcoded in-process to
 * 640x360 at 800k and pushed to nginx-rtmp, where ffprobe checks codec, size, bitrate and A/V start.
 */
class TranscodeToNginxTest {

    @Test
    void transcodes720pTo360pAndNginxServesIt(@TempDir Path dir) throws Exception {
        List<FlvReader.Tag> source = Fixtures.flv(dir, "src720", 1280, 720, 30, 16);
        try (Fixtures.ChildWatch children = new Fixtures.ChildWatch();
             NginxRtmp nginx = NginxRtmp.start(dir);
             Gateway gateway = Gateway.start(ConfigLoader.parse("""
                     server: {listen: 127.0.0.1:0}
                     transcode:
                       profiles:
                         360p:
                           video: {width: 640, height: 360, fps: 30, bitrate: 800k, gop: 2s, profile: high}
                           audio: copy
                     routes:
                       - stream: live/src
                         push:
                           - url: %s
                             transcode: 360p
                     """.formatted(nginx.url("live/out")), "t.yaml", Map.of()))) {
            String ingest = "rtmp://127.0.0.1:" + gateway.rtmpAddress().getPort() + "/live/src";
            // The probe waits on nginx before anything is published, as a player would: it sees the output from
            // its first frame, so A/V start shows our alignment rather than where nginx let a late joiner in.
            try (Fixtures.ProbeRun probeRun = new Fixtures.ProbeRun(dir, nginx.url("live/out"), 11)) {
                Fixtures.awaitPlayer(dir, "out");
                try (Fixtures.Publisher publisher = new Fixtures.Publisher(ingest, source)) {
                    Fixtures.Probe probe = probeRun.result();

                    Map<String, String> v = probe.stream("video");
                    assertNotNull(v, "a video stream on nginx; ffprobe said:\n" + probe.raw());
                    assertEquals("h264", v.get("codec_name"));
                    assertEquals("640", v.get("width"));
                    assertEquals("360", v.get("height"));
                    Map<String, String> a = probe.stream("audio");
                    assertNotNull(a, "an audio stream on nginx");
                    assertEquals("aac", a.get("codec_name"));

                    List<Fixtures.Packet> video = probe.packets("video");
                    List<Fixtures.Packet> audio = probe.packets("audio");
                    assertTrue(video.size() > 200 && audio.size() > 200, video.size() + " video, " + audio.size() + " audio");
                    double videoStart = video.stream().mapToDouble(Fixtures.Packet::ptsSeconds).min().orElseThrow();
                    double audioStart = audio.stream().mapToDouble(Fixtures.Packet::ptsSeconds).min().orElseThrow();
                    assertTrue(Math.abs(videoStart - audioStart) <= 0.100,
                            "A/V start within 100 ms: video %.3f s, audio %.3f s".formatted(videoStart, audioStart));

                    // Bitrate over 10 s of media, from the first keyframe on.
                    double from = video.stream().filter(Fixtures.Packet::keyframe).mapToDouble(Fixtures.Packet::ptsSeconds)
                            .min().orElseThrow();
                    long bytes = video.stream().filter(p -> p.ptsSeconds() >= from && p.ptsSeconds() < from + 10)
                            .mapToLong(Fixtures.Packet::sizeBytes).sum();
                    double kbps = bytes * 8 / 10.0 / 1000;
                    assertTrue(kbps > 600 && kbps < 1000, "video bitrate about 800 kb/s over 10 s, got %.0f".formatted(kbps));

                    System.out.printf("transcode 720p->360p via nginx: %.0f kb/s over 10 s, A/V start %.3f/%.3f s, %d/%d packets%n",
                            kbps, videoStart, audioStart, video.size(), audio.size());
                    TranscodeMetrics m = gateway.transcoder().metrics();
                    assertEquals(0, m.corruptInputs(), m.toString());
                    publisher.join();
                }
            }
            assertEquals(Set.of(), children.ffmpegSeen(), "the gateway never starts an ffmpeg process");
        }
    }
}
