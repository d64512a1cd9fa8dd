package io.loomcast.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.TranscodeProfile;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The queue in front of an encoder: behind real time it drops to the next keyframe, counted, and frees what it drops. */
class EncoderQueueTest {

    @BeforeAll
    static void natives() throws Exception {
        FfmpegRuntime.load(Optional.empty());
    }

    private static WorkItem.Video picture(long ptsMs, boolean key) {
        return new WorkItem.Video(avutil.av_frame_alloc(), ptsMs, key, 30);
    }

    @Test
    void aFullQueueDropsPicturesUpToTheNextKeyframeButKeepsAudio() throws Exception {
        EncoderQueue q = new EncoderQueue(2, 100, false);
        assertEquals(EncoderQueue.Outcome.QUEUED, q.offer(picture(0, true)));
        assertEquals(EncoderQueue.Outcome.QUEUED, q.offer(picture(33, false)));
        assertEquals(EncoderQueue.Outcome.DROPPED_NEW_BURST, q.offer(picture(66, false)), "full: a burst starts");
        assertEquals(EncoderQueue.Outcome.QUEUED, q.offer(new WorkItem.AudioCopy(70, new byte[] {(byte) 0xAF, 1}, false)));
        q.take(0, TimeUnit.MILLISECONDS).release();
        q.take(0, TimeUnit.MILLISECONDS).release();
        assertEquals(EncoderQueue.Outcome.DROPPED, q.offer(picture(100, false)), "room again, but no keyframe yet");
        assertEquals(EncoderQueue.Outcome.QUEUED, q.offer(picture(133, true)), "resumes at a keyframe");
        assertEquals(2, q.dropped());
        assertEquals(1, q.dropBursts());
        assertInstanceOf(WorkItem.AudioCopy.class, q.take(0, TimeUnit.MILLISECONDS));
        WorkItem.Video v = (WorkItem.Video) q.take(0, TimeUnit.MILLISECONDS);
        assertEquals(133, v.ptsMs());
        v.release();
        q.close();
        assertNull(q.take(0, TimeUnit.MILLISECONDS));
    }

    @Test
    void closingReleasesWhatIsQueuedAndLaterOffers() {
        EncoderQueue q = new EncoderQueue(4, 10, false);
        q.offer(picture(0, true));
        q.close();
        assertEquals(EncoderQueue.Outcome.DROPPED, q.offer(picture(33, false)));
    }

    @Test
    void theTimestampShiftCoversBFramesAndAacPriming() throws Exception {
        Map<String, TranscodeProfile> p = ConfigLoader.parse("""
                transcode:
                  profiles:
                    plain: {video: {bitrate: 800k}}
                    bframes: {video: {bitrate: 800k, fps: 25, bframes: 2}}
                    aac: {video: {bitrate: 800k}, audio: {sampleRate: 48000}}
                """, "t.yaml", Map.of()).transcode().profiles();
        assertEquals(0, RenditionWorker.shiftMs(p.get("plain")));
        assertEquals(80, RenditionWorker.shiftMs(p.get("bframes")), "two frames of reordering at 25 fps");
        assertEquals(22, RenditionWorker.shiftMs(p.get("aac")), "1024 priming samples at 48 kHz");
        assertTrue(RenditionWorker.shiftMs(p.get("aac")) >= 1024 * 1000 / 48000);
    }
}
