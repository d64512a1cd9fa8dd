package io.loomcast.gateway.protocol.amf;

import io.loomcast.gateway.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The bytes of one payload and the state both AMF readers share while decoding it: the position, the
 * nesting depth and the reference expansion budget. The AVM+ switch (AMF0 0x11) hands the same input to an
 * AMF3 reader, so depth and budget hold across the switch.
 *
 * <p>Every read checks the remaining bytes first; every length or count is checked against the remaining
 * bytes before anything is allocated from it. Offsets in messages are array indexes, like
 * {@code position()}.
 */
final class AmfInput {
    private final byte[] data;
    private final int start;
    private final int end;
    private final AmfLimits limits;
    private int pos;
    private int depth;
    /** Bytes that references added on top of the bytes actually read (see {@link AmfLimits}). */
    private long referencedBytes;

    AmfInput(byte[] data, int offset, int length, AmfLimits limits) {
        Objects.checkFromIndexSize(offset, length, data.length);
        this.data = data;
        this.start = offset;
        this.end = offset + length;
        this.pos = offset;
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    /** Names the length field of {@code what} in a message; joined only when a message is built. */
    static final String LENGTH = " length";
    /** Names the U29 header of {@code what} (AMF3) in a message. */
    static final String HEADER = " header";

    private void need(int bytes, String what, String field) throws ProtocolException {
        if (end - pos < bytes) {
            throw new ProtocolException("%s%s needs %d bytes but %d remain at offset %d"
                    .formatted(what, field, bytes, end - pos, pos));
        }
    }

    int u8(String what) throws ProtocolException {
        return u8(what, "");
    }

    /** A byte of {@code what}'s {@code field} ({@link #HEADER}, ...), without building the name unless it fails. */
    int u8(String what, String field) throws ProtocolException {
        need(1, what, field);
        return data[pos++] & 0xFF;
    }

    /** The next byte, not consumed; -1 at the end of the payload. */
    int peek() {
        return pos < end ? data[pos] & 0xFF : -1;
    }

    void skip(int bytes) {
        pos += bytes;
    }

    int u16(String what) throws ProtocolException {
        return u16(what, "");
    }

    int u16(String what, String field) throws ProtocolException {
        need(2, what, field);
        int v = (data[pos] & 0xFF) << 8 | (data[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    int s32(String what) throws ProtocolException {
        return s32(what, "");
    }

    int s32(String what, String field) throws ProtocolException {
        need(4, what, field);
        int v = (data[pos] & 0xFF) << 24 | (data[pos + 1] & 0xFF) << 16 | (data[pos + 2] & 0xFF) << 8
                | (data[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    long u32(String what) throws ProtocolException {
        return u32(what, "");
    }

    long u32(String what, String field) throws ProtocolException {
        return s32(what, field) & 0xFFFF_FFFFL;
    }

    double f64(String what) throws ProtocolException {
        need(8, what, "");
        long hi = s32(what) & 0xFFFF_FFFFL;
        long lo = s32(what) & 0xFFFF_FFFFL;
        return Double.longBitsToDouble(hi << 32 | lo);
    }

    /**
     * A length that must fit in what is left, checked before any allocation.
     *
     * @param fieldAt offset of the length field, for the message
     */
    int checkLength(long length, String what, int fieldAt) throws ProtocolException {
        if (length > end - pos) {
            throw new ProtocolException("%s length %d exceeds remaining %d bytes at offset %d"
                    .formatted(what, length, end - pos, fieldAt));
        }
        return (int) length;
    }

    /** A count of items that take at least {@code minBytesEach}, checked against what is left. */
    int checkCount(long count, int minBytesEach, String what, int fieldAt) throws ProtocolException {
        if (count * minBytesEach > end - pos) {
            throw new ProtocolException("%s count %d needs at least %d bytes but %d remain at offset %d"
                    .formatted(what, count, count * minBytesEach, end - pos, fieldAt));
        }
        return (int) count;
    }

    /** {@code length} bytes of UTF-8. Malformed sequences become U+FFFD, as {@code new String} does. */
    String utf8(long length, String what, int fieldAt) throws ProtocolException {
        int n = checkLength(length, what, fieldAt);
        String s = new String(data, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    byte[] bytes(long length, String what, int fieldAt) throws ProtocolException {
        int n = checkLength(length, what, fieldAt);
        byte[] b = new byte[n];
        System.arraycopy(data, pos, b, 0, n);
        pos += n;
        return b;
    }

    /** Enters one level of nesting; pair with {@link #leave()}. */
    void enter(String what, int at) throws ProtocolException {
        if (++depth > limits.maxDepth()) {
            throw new ProtocolException("%s at offset %d nests deeper than the limit of %d levels"
                    .formatted(what, at, limits.maxDepth()));
        }
    }

    void leave() {
        depth--;
    }

    /** What references have added so far; a value's expanded size is its span plus the change in this. */
    long referencedBytes() {
        return referencedBytes;
    }

    /** Charges reference {@code index}, found at {@code at}, to a value whose expanded size is {@code bytes}. */
    void expand(long bytes, String what, int index, int at) throws ProtocolException {
        referencedBytes += bytes;
        long total = (pos - start) + referencedBytes;
        if (total > limits.maxExpandedBytes()) {
            throw new ProtocolException("%s %d at offset %d expands the payload to %d bytes, over the limit of %d"
                    .formatted(what, index, at, total, limits.maxExpandedBytes()));
        }
    }
}
