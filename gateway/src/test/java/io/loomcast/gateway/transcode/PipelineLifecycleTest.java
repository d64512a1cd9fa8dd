package io.loomcast.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.hub.Delivery;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.GopCacheLimits;
import io.loomcast.gateway.hub.Publication;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.hub.SubscriberQueue;
import io.loomcast.gateway.hub.Subscription;
import io.loomcast.gateway.media.AvcDecoderConfig;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.VideoTag;
import io.loomcast.gateway.routing.RoutingTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's life against a hub, without sockets: a source that changes resolution mid-stream and sends a
 * corrupt frame carries on; a source that stops ends the rendition and frees every codec; one that comes back
 * starts it again.
 */
class PipelineLifecycleTest {

    @Test
    void resolutionChangeCorruptFrameStopAndRestart(@TempDir Path dir) throws Exception {
        List<FlvReader.Tag> wide = Fixtures.flv(dir, "wide", 320, 180, 30, 3);
        List<FlvReader.Tag> square = Fixtures.flv(dir, "square", 240, 240, 30, 3);
        StreamHub hub = new StreamHub(GopCacheLimits.DEFAULT);
        var config = ConfigLoader.parse("""
                transcode:
                  profiles:
                    p:
                      video: {height: 90, bitrate: 100k}
                      audio: {bitrate: 64k}
                routes:
                  - stream: live/chg
                    push: [{url: "rtmp://127.0.0.1:9/live/x", transcode: p}]
                """, "t.yaml", Map.of());
        FfmpegRuntime ffmpeg = FfmpegRuntime.load(Optional.empty());
        try (Transcoder transcoder = new Transcoder(hub, ffmpeg, QueueLimits.DEFAULT)) {
            transcoder.apply(RoutingTable.from(config));
            TranscodeMetrics m = transcoder.metrics();
            Subscription out = hub.subscribe("live/chg@p", "test player", QueueLimits.DEFAULT, SubscriberQueue.Listener.NONE);

            Publication source = hub.publish("live/chg", "test").orElseThrow();
            List<FlvReader.Tag> tags = Fixtures.concat(wide, square);
            long switchMs = wide.stream().mapToLong(FlvReader.Tag::timestampMs).max().orElseThrow();
            int half = tags.size() / 4;
            play(source, tags.subList(0, half));
            // A coded frame whose NAL is garbage: counted and skipped, the pipeline lives on.
            source.push(Frame.Kind.VIDEO, tags.get(half).timestampMs(),
                    new byte[] {0x27, 1, 0, 0, 0, 0, 0, 0, 5, 0x41, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x13}, false, false);
            play(source, tags.subList(half, tags.size()));
            await("the last frames encoded", () -> m.encodedVideoFrames() > 120);
            source.close();
            await("the codecs freed after the source stopped", () -> m.videoDecodersOpen() == 0
                    && m.videoEncodersOpen() == 0 && m.audioEncodersOpen() == 0 && m.audioDecodersOpen() == 0);
            assertFalse(hub.find("live/chg@p").map(s -> s.live()).orElse(false), "the rendition ended with its source");

            List<String> sizes = new ArrayList<>();
            long lastVideoMs = -1;
            for (List<Delivery> batch; (batch = out.queue().take(1000, 200, TimeUnit.MILLISECONDS)) != null
                    && !batch.isEmpty(); ) {
                for (Delivery d : batch) {
                    if (d instanceof Frame f && f.kind() == Frame.Kind.VIDEO) {
                        VideoTag tag = FlvTags.parseVideo(f.payload());
                        if (tag.isSequenceHeader()) {
                            AvcDecoderConfig c = AvcDecoderConfig.parse(f.payload(), tag.payloadOffset(), tag.payloadLength());
                            sizes.add(c.width() + "x" + c.height());
                        } else {
                            lastVideoMs = f.timestampMs();
                        }
                    }
                }
            }
            assertEquals(List.of("160x90", "90x90"), sizes, "a new sequence header for the new aspect ratio");
            assertTrue(lastVideoMs > switchMs + 2_000, "the output carried on after the change: last video at "
                    + lastVideoMs + " ms, change at " + switchMs + " ms");
            assertTrue(m.corruptInputs() >= 1, "the corrupt frame was counted: " + m);
            assertEquals(2, m.videoDecoderOpens(), "the decoder reopened for the new configuration: " + m);

            // The source comes back: the rendition starts again.
            Publication again = hub.publish("live/chg", "test again").orElseThrow();
            play(again, wide.subList(0, wide.size() / 2));
            await("the rendition live again", () -> hub.find("live/chg@p").map(s -> s.live()).orElse(false));
            again.close();
            await("freed again", () -> m.videoDecodersOpen() == 0 && m.videoEncodersOpen() == 0);
            out.close();
            System.out.println("lifecycle: " + m);
        }
    }

    /** Pushes tags at twice real time: fast, but within what a 90-line encoder keeps up with. */
    private static void play(Publication p, List<FlvReader.Tag> tags) throws InterruptedException {
        long start = System.nanoTime();
        long first = tags.get(0).timestampMs();
        for (FlvReader.Tag t : tags) {
            long due = start + (t.timestampMs() - first) * 500_000;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // pacing to the media clock
            }
            Frame.Kind kind = t.type() == 8 ? Frame.Kind.AUDIO : t.type() == 9 ? Frame.Kind.VIDEO : Frame.Kind.DATA;
            boolean config = false;
            boolean key = false;
            if (kind == Frame.Kind.VIDEO) {
                VideoTag v = parse(t.body());
                config = v.isSequenceHeader();
                key = v.isKeyframe() && !config;
            } else if (kind == Frame.Kind.AUDIO) {
                config = t.body().length > 1 && t.body()[1] == 0;
            }
            p.push(kind, t.timestampMs(), t.body(), key, config);
        }
    }

    private static VideoTag parse(byte[] body) {
        try {
            return FlvTags.parseVideo(body);
        } catch (io.loomcast.gateway.protocol.ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20); // polling pace; the condition decides
        }
    }
}
