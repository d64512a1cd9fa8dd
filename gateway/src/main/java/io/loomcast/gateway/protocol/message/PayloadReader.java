package io.loomcast.gateway.protocol.message;

import io.loomcast.gateway.protocol.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A big-endian cursor over one slice of a payload (RTMP 4: network byte order). Every read checks the bytes
 * are there first, and a failed check names what was being read, so no decoder can read past its slice or
 * allocate more than the slice holds.
 */
final class PayloadReader {
    private final byte[] data;
    private final int end;
    private final String unit;
    private int pos;

    /** @param unit what the slice is, for error texts: "Shared Object message", "aggregate sub-message 2" */
    PayloadReader(byte[] data, int offset, int length, String unit) {
        this.data = data;
        this.pos = offset;
        this.end = offset + length;
        this.unit = unit;
    }

    PayloadReader(byte[] data, String unit) {
        this(data, 0, data.length, unit);
    }

    int remaining() {
        return end - pos;
    }

    boolean hasRemaining() {
        return pos < end;
    }

    /** Offset of the next unread byte in the whole array. */
    int position() {
        return pos;
    }

    /** What this slice is, as given to the constructor, for error texts. */
    String unit() {
        return unit;
    }

    byte[] array() {
        return data;
    }

    void skipTo(int position) {
        if (position < pos || position > end) {
            throw new IllegalArgumentException("position %d outside %d..%d".formatted(position, pos, end));
        }
        pos = position;
    }

    private void need(int bytes, String field) throws ProtocolException {
        if (bytes > remaining()) {
            throw new ProtocolException("%s: %s needs %d bytes, %d remain".formatted(unit, field, bytes, remaining()));
        }
    }

    int u8(String field) throws ProtocolException {
        need(1, field);
        return data[pos++] & 0xFF;
    }

    int u16(String field) throws ProtocolException {
        need(2, field);
        int v = (data[pos] & 0xFF) << 8 | (data[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    int u24(String field) throws ProtocolException {
        need(3, field);
        int v = (data[pos] & 0xFF) << 16 | (data[pos + 1] & 0xFF) << 8 | (data[pos + 2] & 0xFF);
        pos += 3;
        return v;
    }

    long u32(String field) throws ProtocolException {
        need(4, field);
        long v = (long) (data[pos] & 0xFF) << 24 | (data[pos + 1] & 0xFF) << 16 | (data[pos + 2] & 0xFF) << 8
                | (data[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    /** A copy of the next {@code length} bytes; the length is checked against what remains before allocating. */
    byte[] bytes(int length, String field) throws ProtocolException {
        need(length, field);
        byte[] out = Arrays.copyOfRange(data, pos, pos + length);
        pos += length;
        return out;
    }

    /** The rest of the slice, copied. */
    byte[] rest() {
        byte[] out = Arrays.copyOfRange(data, pos, end);
        pos = end;
        return out;
    }

    /**
     * A string as the AMF0 string body: 16-bit byte length, then UTF-8 (AMF0 2.4, used without the type marker
     * by shared object messages). Malformed UTF-8 is an error rather than replaced, so what decodes re-encodes
     * to the same bytes.
     */
    String utf8(String field) throws ProtocolException {
        int length = u16(field + " length");
        need(length, field);
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, pos, length))
                    .toString();
            pos += length;
            return s;
        } catch (CharacterCodingException e) {
            throw new ProtocolException("%s: %s is not valid UTF-8".formatted(unit, field), e);
        }
    }

    /** Fails if bytes are left: every message layout we parse accounts for its whole slice. */
    void expectEnd() throws ProtocolException {
        if (hasRemaining()) {
            throw new ProtocolException("%s: %d unexpected bytes after the last field".formatted(unit, remaining()));
        }
    }
}
