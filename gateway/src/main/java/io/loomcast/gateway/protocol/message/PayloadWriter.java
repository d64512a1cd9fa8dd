package io.loomcast.gateway.protocol.message;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable big-endian byte sink for building payloads (RTMP 4: network byte order). */
final class PayloadWriter {
    private byte[] buf;
    private int size;

    PayloadWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    PayloadWriter u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
        return this;
    }

    PayloadWriter u16(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    PayloadWriter u24(int v) {
        ensure(3);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    PayloadWriter u32(long v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    PayloadWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    /** 16-bit byte length, then UTF-8: the AMF0 string body without its marker. */
    PayloadWriter utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("string of %d UTF-8 bytes exceeds the 16-bit length field"
                    .formatted(b.length));
        }
        return u16(b.length).bytes(b);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
