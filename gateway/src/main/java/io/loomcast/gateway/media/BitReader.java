package io.loomcast.gateway.media;

import io.loomcast.gateway.protocol.ProtocolException;

/**
 * Reads bit fields MSB first, as the H.264, H.265, AV1 and MPEG-4 audio syntax tables are written, with
 * Exp-Golomb codes (H.264 9.1, H.265 9.2) and AV1 uvlc (AV1 4.10.3). Reading past the end is a
 * {@link ProtocolException} naming the field, so a truncated parameter set can never escape as an index error.
 */
final class BitReader {
    private final byte[] data;
    private final long endBit;
    private final String context;
    private long bitPos;

    BitReader(byte[] data, int offset, int length, String context) {
        this.data = data;
        this.bitPos = (long) offset * 8;
        this.endBit = (long) (offset + length) * 8;
        this.context = context;
    }

    /**
     * A reader over a NAL unit's payload with emulation prevention bytes removed (H.264 7.4.1, H.265 7.4.2):
     * inside a NAL unit, {@code 00 00 03} stands for {@code 00 00}. Copies, so only for parameter sets.
     */
    static BitReader rbsp(byte[] nal, int offset, int length, String context) {
        byte[] out = new byte[length];
        int n = 0;
        int zeros = 0;
        for (int i = offset; i < offset + length; i++) {
            int v = nal[i] & 0xFF;
            if (zeros >= 2 && v == 3) {
                zeros = 0;
                continue;
            }
            zeros = v == 0 ? zeros + 1 : 0;
            out[n++] = (byte) v;
        }
        return new BitReader(out, 0, n, context);
    }

    long bitsLeft() {
        return endBit - bitPos;
    }

    boolean flag(String what) throws ProtocolException {
        return bits(1, what) == 1;
    }

    /** An unsigned field of {@code count} bits, 0..32. */
    long bits(int count, String what) throws ProtocolException {
        if (count > bitsLeft()) {
            throw shortBy(what, count);
        }
        long v = 0;
        for (int i = 0; i < count; i++) {
            int bit = (data[(int) (bitPos >>> 3)] >>> (7 - (int) (bitPos & 7))) & 1;
            v = v << 1 | bit;
            bitPos++;
        }
        return v;
    }

    int u(int count, String what) throws ProtocolException {
        return (int) bits(count, what);
    }

    void skip(long count, String what) throws ProtocolException {
        if (count > bitsLeft()) {
            throw shortBy(what, count);
        }
        bitPos += count;
    }

    private ProtocolException shortBy(String what, long count) {
        return new ProtocolException("%s: %s needs %d bit%s, only %d left"
                .formatted(context, what, count, count == 1 ? "" : "s", bitsLeft()));
    }

    /** ue(v), H.264 9.1: leading zeros, a one, then as many info bits. Values past 2^31-2 are rejected. */
    int ue(String what) throws ProtocolException {
        int zeros = 0;
        while (bits(1, what) == 0) {
            if (++zeros > 30) {
                throw new ProtocolException("%s: %s Exp-Golomb code longer than 31 bits".formatted(context, what));
            }
        }
        return (int) ((1L << zeros) - 1 + bits(zeros, what));
    }

    /** se(v), H.264 9.1.1: ue mapped 0, 1, -1, 2, -2, ... */
    int se(String what) throws ProtocolException {
        int k = ue(what);
        return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }

    /** ue(v) that must not exceed {@code max}; the syntax tables bound most of them. */
    int ue(String what, int max) throws ProtocolException {
        int v = ue(what);
        if (v > max) {
            throw new ProtocolException("%s: %s is %d, above its limit %d".formatted(context, what, v, max));
        }
        return v;
    }

    /** uvlc(), AV1 4.10.3: 32 or more leading zeros mean the largest value. */
    long uvlc(String what) throws ProtocolException {
        int zeros = 0;
        while (bits(1, what) == 0) {
            zeros++;
        }
        if (zeros >= 32) {
            return 0xFFFF_FFFFL;
        }
        return bits(zeros, what) + (1L << zeros) - 1;
    }
}
