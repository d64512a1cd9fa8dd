package io.loomcast.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.hub.Delivery;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.GopCacheLimits;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.hub.SubscriberQueue;
import io.loomcast.gateway.hub.Subscription;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.VideoTag;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendition's frame types are the encoder's own choice within the profile, not copied from the source:
 * a decoded picture carries the source's frame type, and an encoder handed that type as a forced one codes
 * the source's pattern (here: no B-frames at all, since the source has none) instead of the profile's.
 */
class EncoderFrameTypesTest {
    private static final QueueLimits KEEP_ALL = new QueueLimits(1L << 30, 3_600_000, Duration.ofHours(1));

    @Test
    void framesFollowTheProfileNotTheSource(@TempDir Path dir) throws Exception {
        // Source: keyframes every second (gop = fps in the fixture), no B-frames (zerolatency). The profile
        // keeps its size, so the decoded picture itself goes to the encoder, frame type and all; a scaled
        // picture is a new frame that never had one.
        List<FlvReader.Tag> tags = Fixtures.flv(dir, "gop1s", 320, 240, 30, 6);
        GatewayConfig config = ConfigLoader.parse("""
                transcode:
                  profiles:
                    p:
                      video: {width: 320, fps: 30, bitrate: 200k, gop: 2s, bframes: 2, preset: veryfast}
                """, "t.yaml", Map.of());
        StreamHub hub = new StreamHub(GopCacheLimits.OFF);
        FfmpegRuntime ffmpeg = FfmpegRuntime.load(Optional.empty());
        String encoder = ffmpeg.h264Encoder(config.transcode().profiles().get("p").video().encoder());
        Subscription out = hub.subscribePassive("t/src@p", "test", KEEP_ALL, SubscriberQueue.Listener.NONE);
        OfflineTranscode.run(ffmpeg, hub, "t/src", List.of(config.transcode().profiles().get("p")), tags);

        List<Long> keyframes = new ArrayList<>();
        int pictures = 0;
        int reordered = 0;
        for (List<Delivery> batch; (batch = out.queue().take(1000, 200, TimeUnit.MILLISECONDS)) != null
                && !batch.isEmpty(); ) {
            for (Delivery d : batch) {
                if (d instanceof Frame f && f.kind() == Frame.Kind.VIDEO) {
                    VideoTag tag = FlvTags.parseVideo(f.payload());
                    if (!tag.isSequenceHeader()) {
                        pictures++;
                        reordered += tag.compositionTimeMs() > 0 ? 1 : 0;
                        if (tag.isKeyframe()) {
                            keyframes.add(f.timestampMs());
                        }
                    }
                }
            }
        }
        out.close();
        assertTrue(pictures > 150, "the rendition carried " + pictures + " pictures");
        // 6 s at a 2 s gop: keyframes at 0, 2 and 4 s, not at every source keyframe.
        assertEquals(3, keyframes.size(), "keyframes at " + keyframes);
        for (int i = 1; i < keyframes.size(); i++) {
            assertTrue(Math.abs(keyframes.get(i) - keyframes.get(i - 1) - 2000) <= 50, "keyframes at " + keyframes);
        }
        if (encoder.equals("libx264")) { // libopenh264 codes no B-frames at all
            assertTrue(reordered > pictures / 10, reordered + " of " + pictures
                    + " pictures have a composition offset: the profile's B-frames are missing");
        }
    }
}
