package io.loomcast.gateway.media;

import io.loomcast.gateway.protocol.ProtocolException;

/**
 * A read position over {@code [pos, end)} of an array, for decoder configuration records, which are parsed
 * once per sequence header (the per-message tag path uses {@link BigEndian} on plain ints instead). Every
 * read is bounds-checked and names the record and field on failure.
 */
final class ByteCursor {
    private final byte[] b;
    private final int end;
    private final String record;
    private int pos;

    ByteCursor(byte[] b, int offset, int length, String record) {
        BigEndian.checkSlice(b, offset, length);
        this.b = b;
        this.pos = offset;
        this.end = offset + length;
        this.record = record;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    byte[] array() {
        return b;
    }

    int u8(String field) throws ProtocolException {
        need(1, field);
        return b[pos++] & 0xFF;
    }

    int u16(String field) throws ProtocolException {
        need(2, field);
        int v = (b[pos] & 0xFF) << 8 | (b[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    long u32(String field) throws ProtocolException {
        need(4, field);
        long v = (long) (b[pos] & 0xFF) << 24
                | (b[pos + 1] & 0xFF) << 16 | (b[pos + 2] & 0xFF) << 8 | (b[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    /** {@code count} bytes, copied. */
    byte[] bytes(int count, String field) throws ProtocolException {
        need(count, field);
        byte[] v = new byte[count];
        System.arraycopy(b, pos, v, 0, count);
        pos += count;
        return v;
    }

    void skip(int count, String field) throws ProtocolException {
        need(count, field);
        pos += count;
    }

    /** The error text is built only on failure: the record name, the field, what was needed and what is left. */
    private void need(int count, String field) throws ProtocolException {
        if (count > end - pos) {
            throw new ProtocolException("%s %s: needs %d byte%s at offset %d, only %d left"
                    .formatted(record, field, count, count == 1 ? "" : "s", pos, end - pos));
        }
    }

    /** A length-prefixed NAL unit as 14496-15 stores parameter sets: UI16 length, then the unit. */
    byte[] nalUnit(String field) throws ProtocolException {
        int len = u16(field + " length");
        if (len == 0) {
            throw new ProtocolException("%s %s is empty".formatted(record, field));
        }
        return bytes(len, field);
    }

    ProtocolException error(String message) {
        return new ProtocolException(record + ": " + message);
    }
}
