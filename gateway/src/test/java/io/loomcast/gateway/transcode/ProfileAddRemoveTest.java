package io.loomcast.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.hub.GopCacheLimits;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.routing.RoutingTable;
import io.loomcast.gateway.testing.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload that adds profiles to a live source adds their encoders beside the running one, and one that removes
 * profiles stops only theirs: the rendition that stays keeps its publication (no end, no second sequence
 * header) and its encoder (not reopened), and the source keeps its one decoder. Profiles joining mid-stream
 * start on a keyframe and get the audio sequence header they missed, copied or re-encoded.
 */
class ProfileAddRemoveTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aReloadAddsAndRemovesProfilesWithoutRestartingTheOthers(@TempDir Path dir) throws Exception {
        List<FlvReader.Tag> tags = Fixtures.flv(dir, "src", 320, 180, 15, 14);
        StreamHub hub = new StreamHub(GopCacheLimits.DEFAULT);
        GatewayConfig onlyA = config("a");
        GatewayConfig all = config("a", "b", "c");
        GatewayConfig onlyC = config("c");
        try (Transcoder transcoder = new Transcoder(hub, FfmpegRuntime.load(Optional.empty()), QueueLimits.DEFAULT);
             RenditionWatch a = new RenditionWatch(hub, "live/src@a");
             RenditionWatch b = new RenditionWatch(hub, "live/src@b");
             RenditionWatch c = new RenditionWatch(hub, "live/src@c")) {
            TranscodeMetrics m = transcoder.metrics();
            transcoder.apply(RoutingTable.from(onlyA), onlyA.transcode());
            try (HubSource source = new HubSource(hub, "live/src", tags)) {
                Poll.until(() -> a.videoFrames() >= 30, WAIT, "two seconds of a", () -> a + "; " + m);

                transcoder.apply(RoutingTable.from(all), all.transcode());
                Poll.until(() -> b.videoFrames() >= 30 && c.videoFrames() >= 30 && b.audioFrames() >= 20
                        && c.audioFrames() >= 20, WAIT, "two seconds of b and c", () -> b + "; " + c + "; " + m);
                assertEquals(3, m.videoEncoderOpens(), "a's encoder was not reopened: " + m);
                assertEquals(1, m.videoDecoderOpens(), "one decoder throughout: " + m);
                assertEquals(1, m.videoDecodersOpen(), m.toString());
                assertEquals(1, m.audioEncodersOpen(), "b re-encodes audio: " + m);
                assertEquals(List.of(1, 0, 1), List.of(a.started(), a.ended(), a.videoHeaders()),
                        "a's rendition went on untouched: " + a);
                for (RenditionWatch joined : List.of(b, c)) {
                    assertEquals(Boolean.TRUE, joined.videoStartedWithKeyframe(), "starts on a keyframe: " + joined);
                    assertEquals(Boolean.TRUE, joined.audioStartedWithHeader(),
                            "gets the audio sequence header it joined too late for: " + joined);
                }
                assertEquals(Map.of("live/src", List.of("live/src@a", "live/src@b", "live/src@c")), transcoder.running());

                transcoder.apply(RoutingTable.from(onlyC), onlyC.transcode());
                assertEquals(1, m.videoEncodersOpen(), "a and b freed by the time apply returns: " + m);
                assertEquals(0, m.audioEncodersOpen(), m.toString());
                assertFalse(hub.find("live/src@a").orElseThrow().live(), "a's rendition ended");
                int cBefore = c.videoFrames();
                Poll.until(() -> c.videoFrames() > cBefore + 15 && m.audioDecodersOpen() == 0, WAIT,
                        "c going on, and the audio decoder freed with b, the only profile re-encoding audio",
                        () -> c + "; " + m);
                assertEquals(List.of(1, 0, 1), List.of(c.started(), c.ended(), c.videoHeaders()),
                        "c's rendition went on untouched: " + c);
                assertEquals(3, m.videoEncoderOpens(), m.toString());
                assertEquals(1, m.videoDecoderOpens(), m.toString());
                assertEquals(Map.of("live/src", List.of("live/src@c")), transcoder.running());
                Poll.until(() -> a.ended() == 1 && b.ended() == 1, WAIT, "a and b ended", () -> a + "; " + b);
            }
            Poll.until(() -> m.videoDecodersOpen() == 0 && m.videoEncodersOpen() == 0, WAIT,
                    "everything freed once the source left", m::toString);
        }
    }

    /** Profiles a, b (re-encoding audio) and c, and one push of live/src per profile named. */
    private static GatewayConfig config(String... pushed) throws Exception {
        String pushes = Arrays.stream(pushed).map(p -> "      - {url: \"rtmp://127.0.0.1:9/out/%s\", transcode: %s}"
                .formatted(p, p)).collect(Collectors.joining("\n"));
        return ConfigLoader.parse("""
                transcode:
                  profiles:
                    a: {video: {height: 90, bitrate: 100k}}
                    b: {video: {height: 72, bitrate: 80k}, audio: {bitrate: 64k, sampleRate: 44100, channels: 1}}
                    c: {video: {height: 64, bitrate: 60k}}
                routes:
                  - stream: live/src
                    push:
                %s
                """.formatted(pushes), "t.yaml", Map.of());
    }
}
