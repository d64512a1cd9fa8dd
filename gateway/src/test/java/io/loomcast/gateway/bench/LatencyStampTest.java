package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.VideoTag;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LatencyStampTest {
    /** An AVC NALU packet: keyframe, AVCPacketType 1, CTS 0, then one 4-length-prefixed IDR NAL unit. */
    private static final byte[] FRAME = {0x17, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x65, (byte) 0x88, 0x42};

    @Test
    void roundTripsTheSendTime() {
        for (long t : new long[] {0, 1, 123_456_789_012L, -5, Long.MAX_VALUE}) {
            byte[] stamped = LatencyStamp.stamp(FRAME, t);
            assertEquals(t, LatencyStamp.read(stamped, 0, stamped.length));
        }
    }

    @Test
    void keepsTheFrameAndItsHeader() throws Exception {
        byte[] stamped = LatencyStamp.stamp(FRAME, 42);
        assertEquals(FRAME.length + LatencyStamp.ADDED_BYTES, stamped.length);
        assertArrayEquals(Arrays.copyOf(FRAME, 5), Arrays.copyOf(stamped, 5));
        assertArrayEquals(Arrays.copyOfRange(FRAME, 5, FRAME.length),
                Arrays.copyOfRange(stamped, 5 + LatencyStamp.ADDED_BYTES, stamped.length));
        VideoTag tag = FlvTags.parseVideo(stamped);
        assertTrue(tag.isKeyframe(), "still a keyframe to a header parser");
    }

    @Test
    void seiNeedsNoEmulationPrevention() {
        byte[] stamped = LatencyStamp.stamp(FRAME, 0);
        // H.264 7.4.1: 00 00 0x (x <= 3) inside a NAL unit would need an emulation prevention byte.
        for (int i = 9; i < 9 + LatencyStamp.NAL_BYTES; i++) {
            assertTrue(stamped[i] != 0, "no zero byte in the SEI NAL unit, offset " + i);
        }
    }

    @Test
    void unstampedFramesReadAsNone() {
        assertEquals(LatencyStamp.NONE, LatencyStamp.read(FRAME, 0, FRAME.length));
        byte[] sequenceHeader = {0x17, 0x00, 0, 0, 0, 1, 0x64, 0, 0x1f, (byte) 0xff};
        assertFalse(LatencyStamp.stampable(sequenceHeader));
        byte[] vp6 = {0x14, 0x00, 0x01, 0x02};
        assertFalse(LatencyStamp.stampable(vp6));
        byte[] stamped = LatencyStamp.stamp(FRAME, 7);
        stamped[12] ^= 1; // the UUID
        assertEquals(LatencyStamp.NONE, LatencyStamp.read(stamped, 0, stamped.length));
    }
}
