package io.loomcast.gateway.transcode;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_buffer_get_ref_count;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.VideoProfile;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.Test;

/**
 * The hand-over of a scaled picture between two encoder threads: by reference, never copied, never drawn over
 * while the smaller rendition holds it, and freed whichever side lets go last.
 */
class ScaledHandoffTest {

    @Test
    void aPictureGoesOverByReferenceAndIsFreedByTheLastHolder() throws Exception {
        FfmpegRuntime.load(Optional.empty());
        AVFrame scaled = picture(64, 36, 10);
        ScaledHandoff h = new ScaledHandoff();
        h.offer(scaled);
        assertEquals(2, av_buffer_get_ref_count(scaled.buf(0)), "a new reference, not a copy");
        assertTrue(h.await(0, TimeUnit.MILLISECONDS));
        AVFrame taken = h.take();
        assertEquals(scaled.data(0).address(), taken.data(0).address(), "the same pixels");
        h.close();
        assertEquals(2, av_buffer_get_ref_count(scaled.buf(0)), "what was taken is the taker's to free");
        av_frame_free(taken);
        assertEquals(1, av_buffer_get_ref_count(scaled.buf(0)));

        ScaledHandoff untaken = new ScaledHandoff();
        untaken.offer(scaled);
        untaken.close(); // the smaller rendition dropped its item without looking
        assertEquals(1, av_buffer_get_ref_count(scaled.buf(0)), "closing frees a picture nobody took");
        untaken.offer(scaled);
        assertEquals(1, av_buffer_get_ref_count(scaled.buf(0)), "an offer after close is ignored");
        av_frame_free(scaled);
    }

    @Test
    void aDeclinedOrLatePictureLeavesTheSmallerSideToTheSource() throws Exception {
        ScaledHandoff declined = new ScaledHandoff();
        declined.decline();
        assertTrue(declined.await(1, TimeUnit.SECONDS), "settled at once");
        assertNull(declined.take());

        ScaledHandoff late = new ScaledHandoff();
        assertFalse(late.await(20, TimeUnit.MILLISECONDS), "nothing within the wait");
        assertNull(late.take());

        ScaledHandoff waited = new ScaledHandoff();
        Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50); // the larger side is busy encoding its previous picture
            } catch (InterruptedException e) {
                return;
            }
            waited.decline();
        });
        assertTrue(waited.await(10, TimeUnit.SECONDS), "woken when the larger side settles");
    }

    @Test
    void theEncodersPoolNeverDrawsIntoAPictureSomeoneHolds() throws Exception {
        FfmpegRuntime ffmpeg = FfmpegRuntime.load(Optional.empty());
        VideoProfile p = ConfigLoader.parse("transcode: {profiles: {p: {video: {width: 64, height: 36, bitrate: 100k}}}}",
                "t.yaml", Map.of()).transcode().profiles().get("p").video();
        AVFrame source = picture(128, 72, 200);
        try (VideoEncoder e = VideoEncoder.open("test", ffmpeg.h264Encoder(p.encoder()), p, 64, 36, 30,
                new TranscodeMetrics())) {
            AVFrame first = e.picture(source);
            e.encodePicture(first, 0, pkt -> { });
            long firstPixels = first.data(0).address();
            assertEquals(200, new BytePointer(first.data(0)).get(0) & 0xFF, "scaled from the source");
            assertEquals(firstPixels, e.picture(source).data(0).address(), "unshared: the same buffer is reused");

            ScaledHandoff h = new ScaledHandoff();
            h.offer(e.picture(source)); // a smaller rendition holds this one now
            AVFrame held = h.take();
            AVFrame next = e.picture(picture(128, 72, 30));
            assertNotEquals(held.data(0).address(), next.data(0).address(), "another buffer while it is held");
            assertEquals(200, new BytePointer(held.data(0)).get(0) & 0xFF, "the held picture is untouched");
            av_frame_free(held);
        } finally {
            av_frame_free(source);
        }
    }

    /** A grey YUV 4:2:0 picture of luma {@code y}. */
    private static AVFrame picture(int width, int height, int y) throws TranscodeException {
        AVFrame f = av_frame_alloc();
        f.format(AV_PIX_FMT_YUV420P).width(width).height(height);
        TranscodeException.check(av_frame_get_buffer(f, 0), "av_frame_get_buffer");
        new BytePointer(f.data(0)).capacity((long) f.linesize(0) * height).fill(y);
        for (int plane = 1; plane < 3; plane++) {
            new BytePointer(f.data(plane)).capacity((long) f.linesize(plane) * height / 2).fill(128);
        }
        return f;
    }
}
