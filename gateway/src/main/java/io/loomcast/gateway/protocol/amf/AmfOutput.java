package io.loomcast.gateway.protocol.amf;

import java.util.Arrays;

/**
 * A growable big-endian byte buffer for the AMF writers. Cheaper than a ByteArrayOutputStream wrapped in a
 * DataOutputStream (no synchronization, no per-call stream layers) and it encodes UTF-8 in place, so an
 * ASCII property name costs no allocation.
 */
final class AmfOutput {
    private byte[] buf = new byte[256];
    private int size;

    int size() {
        return size;
    }

    private void ensure(int more) {
        if (buf.length - size < more) {
            long want = Math.max((long) buf.length * 2, (long) size + more);
            if (want > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("AMF output over 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    void u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    void u16(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    void u32(long v) {
        ensure(4);
        putU32(size, v);
        size += 4;
    }

    void f64(double v) {
        long bits = Double.doubleToRawLongBits(v);
        u32(bits >>> 32);
        u32(bits);
    }

    void bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    void putU16(int at, int v) {
        buf[at] = (byte) (v >>> 8);
        buf[at + 1] = (byte) v;
    }

    void putU8(int at, int v) {
        buf[at] = (byte) v;
    }

    void putU32(int at, long v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    /** Moves the bytes from {@code at} to the end {@code gap} bytes later, leaving a hole to fill. */
    void insertGap(int at, int gap) {
        ensure(gap);
        System.arraycopy(buf, at, buf, at + gap, size - at);
        size += gap;
    }

    /**
     * Appends s as UTF-8 and returns the byte count. Unpaired surrogates become '?', exactly as
     * {@code String.getBytes(UTF_8)} does, so {@link #utf8Length} always agrees.
     */
    int utf8(String s) {
        int n = s.length();
        ensure((int) Math.min(3L * n, Integer.MAX_VALUE));
        int begin = size;
        int i = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                break;
            }
            buf[size++] = (byte) c;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buf[size++] = (byte) c;
            } else if (c < 0x800) {
                buf[size++] = (byte) (0xC0 | c >> 6);
                buf[size++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                buf[size++] = (byte) (0xF0 | cp >> 18);
                buf[size++] = (byte) (0x80 | cp >> 12 & 0x3F);
                buf[size++] = (byte) (0x80 | cp >> 6 & 0x3F);
                buf[size++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                buf[size++] = '?';
            } else {
                buf[size++] = (byte) (0xE0 | c >> 12);
                buf[size++] = (byte) (0x80 | c >> 6 & 0x3F);
                buf[size++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return size - begin;
    }

    /** What {@link #utf8} would write for s. */
    static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // two chars, four bytes
                i++;
            } else if (!Character.isSurrogate(c)) {
                bytes += 2;
            }
        }
        return bytes;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
