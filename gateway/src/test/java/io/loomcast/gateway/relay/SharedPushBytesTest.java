package io.loomcast.gateway.relay;

import static io.loomcast.gateway.relay.Relays.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.hub.Delivery;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.SubscriberQueue;
import io.loomcast.gateway.hub.Subscription;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.RtmpRecorder;
import io.loomcast.gateway.testing.SourceClip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes share the chunked bytes as players do (issue 13): three pushes of one stream at the same chunk size
 * each get every frame, and every frame was chunked for them once. A fourth push at another chunk size gets a
 * form of its own.
 */
class SharedPushBytesTest {
    @TempDir
    Path dir;

    @Test
    void pushesWithTheSameChunkSizeAndStreamIdShareEachFramesBytes() throws Exception {
        SourceClip clip = SourceClip.get();
        try (NginxRtmp nginx = NginxRtmp.start(Files.createDirectories(dir.resolve("nginx")),
                NginxRtmp.Options.withApps("a", "b", "c", "d"));
             Gateway gw = Gateway.start(Relays.config(Relays.FAST_RELAY, """
                     - stream: live/src
                       push:
                         - %s
                         - %s
                         - %s
                         - {url: %s, chunkSize: 128}
                     """.formatted(nginx.url("a/src"), nginx.url("b/src"), nginx.url("c/src"), nginx.url("d/src"))))) {
            Subscription tap = gw.hub().subscribePassive("live/src", "test tap",
                    new QueueLimits(1L << 30, 3_600_000, Duration.ofHours(1)), SubscriberQueue.Listener.NONE);
            List<RtmpRecorder> destinations = new ArrayList<>();
            for (String app : List.of("a", "b", "c", "d")) {
                destinations.add(RtmpRecorder.start(nginx.url(app + "/src"), dir.resolve(app + ".flv")));
            }
            try (ExternalPeer ffmpeg = clip.publish(dir.resolve("ffmpeg.log"), local(gw, "live/src"), 0)) {
                ffmpeg.awaitExit();
                Poll.until(() -> destinations.stream().allMatch(r -> r.videoFrames() >= clip.videoFrames()
                                && r.audioFrames() >= clip.audioFrames()), Duration.ofSeconds(15),
                        "every destination to have the whole clip", destinations::toString);
            } finally {
                for (RtmpRecorder r : destinations) {
                    r.close();
                }
            }
            List<Frame> frames = new ArrayList<>();
            for (List<Delivery> batch; (batch = tap.queue().take(1024, 0, TimeUnit.MILLISECONDS)) != null
                    && !batch.isEmpty(); ) {
                batch.stream().filter(d -> d instanceof Frame).map(d -> (Frame) d).forEach(frames::add);
            }
            tap.close();
            assertFalse(frames.isEmpty());
            for (Frame f : frames) {
                // One form at 4096 (the three pushes, all on stream id 1 at nginx), one at 128.
                assertEquals(2, f.wireForms(Frame.Use.PUBLISH), "publish forms of " + f);
            }
        }
    }
}
