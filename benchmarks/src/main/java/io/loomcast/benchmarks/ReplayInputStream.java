package io.loomcast.benchmarks;

import java.io.InputStream;
import java.util.Objects;

/**
 * An input stream over a fixed array that can be rewound, so one recording of chunked bytes is read again on
 * every benchmark invocation. Unlike {@link java.io.ByteArrayInputStream} it takes no lock per read, which
 * would be part of what a benchmark measures.
 */
final class ReplayInputStream extends InputStream {
    private final byte[] bytes;
    private int pos;

    ReplayInputStream(byte[] bytes) {
        this.bytes = Objects.requireNonNull(bytes, "bytes");
    }

    /** Starts over at the first byte. */
    void rewind() {
        pos = 0;
    }

    @Override
    public int read() {
        return pos < bytes.length ? bytes[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        if (length == 0) {
            return 0;
        }
        if (pos == bytes.length) {
            return -1;
        }
        int n = Math.min(length, bytes.length - pos);
        System.arraycopy(bytes, pos, dst, offset, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return bytes.length - pos;
    }
}
