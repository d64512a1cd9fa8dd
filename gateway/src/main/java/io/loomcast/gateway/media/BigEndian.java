package io.loomcast.gateway.media;

import io.loomcast.gateway.protocol.ProtocolException;

/**
 * Bounds-checked big-endian field reads over a slice {@code [pos, end)} of a byte array. FLV and the
 * ISO/IEC 14496-15 records are big-endian throughout. Every read names what it was reading, so a short
 * input fails with a {@link ProtocolException} that says which field was cut off, never an index error.
 */
final class BigEndian {
    private BigEndian() {}

    /** Fails unless {@code count} bytes remain between {@code pos} and {@code end}. */
    static void need(int pos, int end, int count, String what) throws ProtocolException {
        if (count < 0 || count > end - pos) {
            throw new ProtocolException("%s: needs %d byte%s at offset %d, only %d left"
                    .formatted(what, count, count == 1 ? "" : "s", pos, Math.max(0, end - pos)));
        }
    }

    static int u8(byte[] b, int pos, int end, String what) throws ProtocolException {
        need(pos, end, 1, what);
        return b[pos] & 0xFF;
    }

    static int u16(byte[] b, int pos, int end, String what) throws ProtocolException {
        need(pos, end, 2, what);
        return (b[pos] & 0xFF) << 8 | (b[pos + 1] & 0xFF);
    }

    static int u24(byte[] b, int pos, int end, String what) throws ProtocolException {
        need(pos, end, 3, what);
        return (b[pos] & 0xFF) << 16 | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF);
    }

    /** FLV SI24: a 24-bit two's complement value, sign-extended (used for composition time offsets). */
    static int si24(byte[] b, int pos, int end, String what) throws ProtocolException {
        return u24(b, pos, end, what) << 8 >> 8;
    }

    /** A 32-bit value such as a FourCC; returned as the raw int bits. */
    static int u32(byte[] b, int pos, int end, String what) throws ProtocolException {
        need(pos, end, 4, what);
        return (b[pos] & 0xFF) << 24 | (b[pos + 1] & 0xFF) << 16 | (b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF);
    }

    /** Copies {@code count} bytes after checking they exist; used only for decoder configs, never per frame. */
    static byte[] copy(byte[] b, int pos, int end, int count, String what) throws ProtocolException {
        need(pos, end, count, what);
        byte[] out = new byte[count];
        System.arraycopy(b, pos, out, 0, count);
        return out;
    }

    /** Validates an (offset, length) slice of an array before any parser touches it. */
    static void checkSlice(byte[] b, int offset, int length) {
        if (offset < 0 || length < 0 || offset > b.length - length) {
            throw new IndexOutOfBoundsException("slice [%d, +%d) outside array of %d bytes"
                    .formatted(offset, length, b.length));
        }
    }
}
