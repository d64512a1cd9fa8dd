package io.loomcast.gateway.transcode;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.config.AudioProfile;
import io.loomcast.gateway.config.Bitrate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;

/**
 * The re-encoded audio's timestamps against its input's, frame by frame, at each kind of jump: jitter is
 * ignored, gaps and overlaps are repaired so the output stays continuous, a long jump re-anchors the count.
 */
class AudioTimelineTest {
    /** 48 kHz input in 1024-sample frames, as an AAC source decodes. */
    private static final double FRAME_MS = 1024 * 1000.0 / 48_000;

    @Test
    void eachJumpIsHandledAsItsSizeSays() throws Exception {
        FfmpegRuntime.load(Optional.empty());
        TranscodeMetrics metrics = new TranscodeMetrics();
        List<AudioEncoder.Packet> out = new ArrayList<>();
        AVFrame in = silence(1024);
        try (AudioEncoder e = AudioEncoder.open("t", new AudioProfile.Encode(new Bitrate(64_000), 44_100, 1),
                metrics)) {
            double t = 1000;
            for (int i = 0; i < 50; i++, t += FRAME_MS) {
                e.encode(in, Math.round(t) + (i % 3 == 1 ? 4 : 0), out::add); // whole ms, and jitter within 10 ms
            }
            assertEquals(0, metrics.audioTimelineRepairs(), "jitter is not a jump");
            assertOnTime(e, t, "steady input");

            t -= 20; // a looped file: the audio steps back 20 ms
            feed(e, in, t, out);
            t += 50 * FRAME_MS;
            assertEquals(1, metrics.audioTimelineRepairs(), "the overlap was trimmed once");
            assertOnTime(e, t, "after the overlap");

            t += 300; // 300 ms of audio lost
            feed(e, in, t, out);
            t += 50 * FRAME_MS;
            assertEquals(2, metrics.audioTimelineRepairs(), "the gap was filled once");
            assertOnTime(e, t, "after the gap");
            assertContinuous(out, out.size(), "through the overlap and the gap");

            t += 5_000; // the source paused: too long to fill
            int before = out.size();
            feed(e, in, t, out);
            t += 50 * FRAME_MS;
            assertEquals(3, metrics.audioTimelineRepairs(), "re-anchored once");
            assertOnTime(e, t, "after the pause");
            assertContinuous(out.subList(before + 3, out.size()), out.size() - before - 3, "after the pause");
        } finally {
            av_frame_free(in);
        }
    }

    private static void feed(AudioEncoder e, AVFrame in, double fromMs, List<AudioEncoder.Packet> out)
            throws TranscodeException {
        double t = fromMs;
        for (int i = 0; i < 50; i++, t += FRAME_MS) {
            e.encode(in, Math.round(t), out::add);
        }
    }

    /** The count puts the next input where its timestamp will: within FLV's millisecond rounding. */
    private static void assertOnTime(AudioEncoder e, double nextInputMs, String when) {
        double off = e.countedMs() - nextInputMs;
        assertTrue(Math.abs(off) <= 1.5, when + ": the count is " + off + " ms off the timestamps");
    }

    /** Each packet starts one AAC frame (1024 samples at 44.1 kHz, 23.2 ms) after the one before. */
    private static void assertContinuous(List<AudioEncoder.Packet> out, int n, String when) {
        assertTrue(n > 10, when + ": " + n + " packets");
        for (int i = 1; i < out.size(); i++) {
            long step = out.get(i).ptsMs() - out.get(i - 1).ptsMs();
            assertTrue(step == 23 || step == 24, when + ": packet " + i + " starts " + step + " ms after the one before");
        }
    }

    private static AVFrame silence(int samples) throws TranscodeException {
        AVFrame f = av_frame_alloc();
        f.nb_samples(samples).format(AV_SAMPLE_FMT_FLTP).sample_rate(48_000);
        av_channel_layout_default(f.ch_layout(), 2);
        TranscodeException.check(av_frame_get_buffer(f, 0), "av_frame_get_buffer");
        for (int c = 0; c < 2; c++) {
            new FloatPointer(f.extended_data(c)).capacity(samples).fill(0);
        }
        return f;
    }
}
