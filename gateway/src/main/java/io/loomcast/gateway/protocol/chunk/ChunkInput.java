package io.loomcast.gateway.protocol.chunk;

import java.io.IOException;
import java.io.InputStream;

/**
 * The {@link ChunkReader}'s byte source: a blocking stream behind one array, so headers are parsed with
 * plain array reads instead of a virtual call per byte. Offsets of the field readers are relative to the
 * next unread byte and must lie within what {@link #fill(int)} made available.
 */
final class ChunkInput {
    private static final int BUFFER_BYTES = 32 * 1024;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER_BYTES];
    private int pos;
    private int end;
    private long bytesConsumed;

    ChunkInput(InputStream in) {
        this.in = in;
    }

    /** Makes at least {@code count} (at most a header's worth) bytes available; false if the input ends first. */
    boolean fill(int count) throws IOException {
        if (end - pos >= count) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            end -= pos;
            pos = 0;
        }
        while (end < count) {
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                return false;
            }
            end += n;
        }
        return true;
    }

    void skip(int count) {
        pos += count;
        bytesConsumed += count;
    }

    /**
     * Copies the next {@code count} bytes into {@code dst}, reading large runs straight from the stream to
     * save a copy. Returns how many bytes it copied: fewer than {@code count} only if the input ended.
     */
    int readFully(byte[] dst, int off, int count) throws IOException {
        int done = 0;
        while (done < count) {
            int left = count - done;
            if (pos == end && left >= buf.length) {
                int n = in.read(dst, off + done, left);
                if (n < 0) {
                    return done;
                }
                bytesConsumed += n;
                done += n;
            } else {
                if (!fill(1)) {
                    return done;
                }
                int n = Math.min(left, end - pos);
                System.arraycopy(buf, pos, dst, off + done, n);
                skip(n);
                done += n;
            }
        }
        return done;
    }

    /** True when every byte read from the stream has been consumed. */
    boolean drained() {
        return pos == end;
    }

    long bytesConsumed() {
        return bytesConsumed;
    }

    int uint8(int offset) {
        return buf[pos + offset] & 0xFF;
    }

    int uint24(int offset) {
        int at = pos + offset;
        return (buf[at] & 0xFF) << 16 | (buf[at + 1] & 0xFF) << 8 | buf[at + 2] & 0xFF;
    }

    long uint32(int offset) {
        int at = pos + offset;
        return (long) (buf[at] & 0xFF) << 24 | (buf[at + 1] & 0xFF) << 16 | (buf[at + 2] & 0xFF) << 8
                | buf[at + 3] & 0xFF;
    }

    /** RTMP 5.3.1.2.1: the message stream id is the one little-endian field of the chunk header. */
    int int32LittleEndian(int offset) {
        int at = pos + offset;
        return buf[at] & 0xFF | (buf[at + 1] & 0xFF) << 8 | (buf[at + 2] & 0xFF) << 16 | (buf[at + 3] & 0xFF) << 24;
    }
}
