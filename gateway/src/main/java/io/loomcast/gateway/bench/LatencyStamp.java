package io.loomcast.gateway.bench;

import java.nio.charset.StandardCharsets;

/**
 * The send time a latency-mode publisher puts into each H.264 video frame, and the player's reading of it.
 *
 * <p>The stamp is an SEI NAL unit of type user_data_unregistered (H.264 7.3.2.3, D.1.6) with a UUID of our
 * own, inserted as the first NAL unit of an AVC NALU packet (FLV 10.1 E.4.3.1, AVCPacketType 1). Origins
 * relay video payloads as they are, so the stamp survives any of them, where a data message might be
 * dropped. Decoders skip SEI they do not know. The time is 16 ASCII hex digits, so the NAL unit holds no
 * zero byte and needs no emulation prevention (H.264 7.4.1). The NAL unit is 4-length-prefixed, as an
 * AVCDecoderConfigurationRecord with lengthSizeMinusOne = 3 says; {@link MediaFile} checks that.
 *
 * <p>The clock is {@link System#nanoTime()}: the publisher and the players run in one process.
 */
final class LatencyStamp {
    /** Returned by {@link #read} for a frame without our stamp. */
    static final long NONE = Long.MIN_VALUE;

    private static final int AVC_CODEC_ID = 7;
    private static final int AVC_NALU = 1;
    /** FLV VideoTagHeader for AVC: FrameType/CodecID, AVCPacketType, CompositionTime (3). */
    private static final int VIDEO_HEADER_BYTES = 5;
    private static final int NAL_TYPE_SEI = 6;
    private static final int SEI_USER_DATA_UNREGISTERED = 5;
    /** "loomcast-bench:1" in ASCII: a UUID with no zero byte, so the stamp needs no emulation prevention. */
    private static final byte[] UUID = "loomcast-bench:1".getBytes(StandardCharsets.US_ASCII);
    private static final int TIME_DIGITS = 16;
    private static final int SEI_PAYLOAD_BYTES = UUID.length + TIME_DIGITS;
    /** NAL header, payloadType, payloadSize, payload, rbsp_stop_one_bit with alignment (0x80). */
    static final int NAL_BYTES = 3 + SEI_PAYLOAD_BYTES + 1;
    /** What a stamp adds to a video message: the 4-byte length and the NAL unit. */
    static final int ADDED_BYTES = 4 + NAL_BYTES;

    private LatencyStamp() {}

    /** Whether {@code body} is a legacy AVC NALU packet, the only kind that gets a stamp. */
    static boolean stampable(byte[] body) {
        return body.length > VIDEO_HEADER_BYTES && (body[0] & 0x0F) == AVC_CODEC_ID && body[1] == AVC_NALU;
    }

    /** A copy of an AVC NALU packet with the stamp as its first NAL unit. */
    static byte[] stamp(byte[] body, long sentNanos) {
        byte[] out = new byte[body.length + ADDED_BYTES];
        System.arraycopy(body, 0, out, 0, VIDEO_HEADER_BYTES);
        int p = VIDEO_HEADER_BYTES;
        out[p++] = 0;
        out[p++] = 0;
        out[p++] = 0;
        out[p++] = (byte) NAL_BYTES;
        out[p++] = NAL_TYPE_SEI;
        out[p++] = SEI_USER_DATA_UNREGISTERED;
        out[p++] = (byte) SEI_PAYLOAD_BYTES;
        System.arraycopy(UUID, 0, out, p, UUID.length);
        p += UUID.length;
        for (int shift = 60; shift >= 0; shift -= 4) {
            out[p++] = (byte) Character.forDigit((int) (sentNanos >>> shift) & 0xF, 16);
        }
        out[p++] = (byte) 0x80;
        System.arraycopy(body, VIDEO_HEADER_BYTES, out, p, body.length - VIDEO_HEADER_BYTES);
        return out;
    }

    /** The send time stamped into the video message at {@code buf[offset, offset+length)}, or {@link #NONE}. */
    static long read(byte[] buf, int offset, int length) {
        if (length < VIDEO_HEADER_BYTES + ADDED_BYTES || (buf[offset] & 0x0F) != AVC_CODEC_ID
                || buf[offset + 1] != AVC_NALU) {
            return NONE;
        }
        int p = offset + VIDEO_HEADER_BYTES;
        if (buf[p] != 0 || buf[p + 1] != 0 || buf[p + 2] != 0 || buf[p + 3] != NAL_BYTES
                || buf[p + 4] != NAL_TYPE_SEI || buf[p + 5] != SEI_USER_DATA_UNREGISTERED
                || buf[p + 6] != SEI_PAYLOAD_BYTES) {
            return NONE;
        }
        p += 7;
        for (byte b : UUID) {
            if (buf[p++] != b) {
                return NONE;
            }
        }
        long nanos = 0;
        for (int i = 0; i < TIME_DIGITS; i++) {
            int digit = Character.digit(buf[p++], 16);
            if (digit < 0) {
                return NONE;
            }
            nanos = nanos << 4 | digit;
        }
        return nanos;
    }
}
