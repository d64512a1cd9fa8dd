package io.loomcast.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.TranscodeProfile;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cascade scaling end to end, offline: with it on, the smaller renditions are drawn from the larger one's
 * scaled pictures (counted), picture for picture the same ones as with it off (same count, same timestamps,
 * and the same content within coding noise, which a picture paired with its neighbour's would not be).
 */
class CascadeScalingTest {
    private static final QueueLimits KEEP_ALL = new QueueLimits(1L << 30, 3_600_000, Duration.ofHours(1));

    @Test
    void smallerRenditionsScaleTheLargerOnesPictureFrameForFrame(@TempDir Path dir) throws Exception {
        List<FlvReader.Tag> source = Fixtures.flv(dir, "src360", 640, 360, 30, 3);
        Map<String, TranscodeProfile> profiles = ConfigLoader.parse("""
                transcode:
                  profiles:
                    big:   {video: {width: 320, height: 180, bitrate: 400k, preset: ultrafast}}
                    small: {video: {width: 160, height: 90, bitrate: 150k, preset: ultrafast}}
                    twin:  {video: {width: 320, height: 180, bitrate: 200k, preset: ultrafast}}
                """, "t.yaml", Map.of()).transcode().profiles();
        FfmpegRuntime ffmpeg = FfmpegRuntime.load(Optional.empty());
        Run on = run(ffmpeg, profiles, source, true);
        Run off = run(ffmpeg, profiles, source, false);

        int pictures = on.timestamps.get("small").size();
        assertTrue(pictures >= 85, pictures + " pictures in 3 s at 30 fps");
        assertEquals(0, off.result.cascadedPictures(), "off: every rendition scales the source");
        // small from big (scaled further), twin from big (its picture as it is): two per source picture. A
        // picture big was late with is scaled from the source instead, which a heavily loaded machine may cause.
        assertTrue(on.result.cascadedPictures() >= 2L * pictures * 9 / 10 && on.result.cascadedPictures() <= 2L * pictures,
                on.result.cascadedPictures() + " cascaded of " + 2 * pictures);
        for (String name : profiles.keySet()) {
            assertEquals(off.timestamps.get(name), on.timestamps.get(name), name + ": the same pictures at the same times");
        }
        for (String name : List.of("small", "twin")) {
            List<byte[]> a = on.luma.get(name);
            List<byte[]> b = off.luma.get(name);
            double worst = Double.MAX_VALUE;
            double neighbours = 0;
            for (int i = 0; i < a.size(); i++) {
                worst = Math.min(worst, psnr(a.get(i), b.get(i)));
                if (i > 0) {
                    neighbours = Math.max(neighbours, psnr(a.get(i), b.get(i - 1)));
                }
            }
            System.out.printf("cascade %s: worst PSNR against the source-scaled rendition %.1f dB, best against the"
                    + " neighbouring picture %.1f dB%n", name, worst, neighbours);
            assertTrue(worst > 30, name + ": each picture is the same picture, worst Y PSNR " + worst);
            assertTrue(worst > neighbours + 3, name + ": a picture paired with its neighbour would show: same "
                    + worst + " dB, neighbour " + neighbours + " dB");
        }
    }

    private record Run(OfflineTranscode.Result result, Map<String, List<Long>> timestamps, Map<String, List<byte[]>> luma) {}

    private static Run run(FfmpegRuntime ffmpeg, Map<String, TranscodeProfile> profiles, List<FlvReader.Tag> source,
            boolean cascade) throws Exception {
        StreamHub hub = new StreamHub(GopCacheLimits.OFF);
        Map<String, Subscription> outs = new LinkedHashMap<>();
        for (String name : profiles.keySet()) {
            outs.put(name, hub.subscribePassive("t/src@" + name, "test", KEEP_ALL, SubscriberQueue.Listener.NONE));
        }
        OfflineTranscode.Result r = OfflineTranscode.run(ffmpeg, hub, "t/src", List.copyOf(profiles.values()), source,
                cascade);
        Map<String, List<Long>> timestamps = new LinkedHashMap<>();
        Map<String, List<byte[]>> luma = new LinkedHashMap<>();
        for (Map.Entry<String, Subscription> e : outs.entrySet()) {
            List<Long> ts = new ArrayList<>();
            List<byte[]> planes = new ArrayList<>();
            try (PacketDecoder decoder = PacketDecoder.h264("check", new TranscodeMetrics())) {
                java.util.function.Consumer<AVFrame> sink = f -> planes.add(luma(f));
                for (List<Delivery> batch; (batch = e.getValue().queue().take(1000, 200, TimeUnit.MILLISECONDS)) != null
                        && !batch.isEmpty(); ) {
                    for (Delivery d : batch) {
                        if (d instanceof Frame f && f.kind() == Frame.Kind.VIDEO) {
                            byte[] b = f.payload();
                            VideoTag tag = FlvTags.parseVideo(b);
                            if (tag.isSequenceHeader()) {
                                decoder.configure(Arrays.copyOfRange(b, tag.payloadOffset(),
                                        tag.payloadOffset() + tag.payloadLength()), sink);
                            } else if (tag.isCodedFrame()) {
                                ts.add(f.timestampMs());
                                decoder.decode(b, tag.payloadOffset(), tag.payloadLength(), f.timestampMs(),
                                        f.timestampMs() + tag.compositionTimeMs(), tag.isKeyframe(), sink);
                            }
                        }
                    }
                }
                decoder.drain(sink);
            }
            e.getValue().close();
            timestamps.put(e.getKey(), ts);
            luma.put(e.getKey(), planes);
        }
        return new Run(r, timestamps, luma);
    }

    private static byte[] luma(AVFrame f) {
        int w = f.width();
        int h = f.height();
        byte[] out = new byte[w * h];
        BytePointer y = new BytePointer(f.data(0)).capacity((long) f.linesize(0) * h);
        for (int r = 0; r < h; r++) {
            y.position((long) r * f.linesize(0)).get(out, r * w, w);
        }
        return out;
    }

    private static double psnr(byte[] a, byte[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            int d = (a[i] & 0xFF) - (b[i] & 0xFF);
            se += d * d;
        }
        double mse = se / a.length;
        return mse == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
