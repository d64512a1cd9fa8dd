package io.loomcast.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.VideoTag;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The H.264 decoder runs on one thread up to 1080p and leaves the thread count to FFmpeg above it. */
class DecoderThreadsTest {

    @Test
    void oneThreadUpTo1080pFrameThreadsAbove(@TempDir Path dir) throws Exception {
        byte[] fullHd = record(Fixtures.flv(dir, "fhd", 1920, 1080, 1, 1));
        byte[] qhd = record(Fixtures.flv(dir, "qhd", 2560, 1440, 1, 1));
        assertEquals(1, PacketDecoder.threadsFor(avcodec.AV_CODEC_ID_H264, fullHd));
        assertEquals(0, PacketDecoder.threadsFor(avcodec.AV_CODEC_ID_H264, qhd));
        // A record our parser refuses: FFmpeg decides (it may still decode what we cannot parse).
        assertEquals(0, PacketDecoder.threadsFor(avcodec.AV_CODEC_ID_H264, Arrays.copyOf(fullHd, 5)));
        assertEquals(0, PacketDecoder.threadsFor(avcodec.AV_CODEC_ID_AAC, new byte[] {0x11, (byte) 0x90}));
    }

    private static byte[] record(List<FlvReader.Tag> tags) throws Exception {
        for (FlvReader.Tag t : tags) {
            if (t.type() == 9) {
                VideoTag v = FlvTags.parseVideo(t.body());
                if (v.isSequenceHeader()) {
                    return Arrays.copyOfRange(t.body(), v.payloadOffset(), v.payloadOffset() + v.payloadLength());
                }
            }
        }
        throw new AssertionError("no AVC sequence header");
    }
}
