package io.loomcast.gateway.protocol.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The {@link ChunkReader}'s byte source: a blocking stream behind one array, so headers are parsed with
 * plain array reads instead of a virtual call per byte. Offsets of the field readers are relative to the
 * next unread byte and must lie within what {@link #fill(int)} made available.
 *
 * <p>Once {@link #detach() detached} from its stream it is fed instead ({@link #feed}): whoever reads the socket
 * (a selector thread serving many connections) hands it the bytes, and {@link #fill} never waits; the reader
 * only parses a chunk once all of it is here ({@link ChunkReader#tryRead()}).
 */
final class ChunkInput {
    /**
     * The buffer starts small and doubles while reads fill it, up to {@link #MAX_BUFFER_BYTES}: a player sends a
     * few hundred bytes in a session, and thousands of players each holding 32 KiB they never use were the
     * largest live object per connection (issue 13, "RSS growth per player").
     */
    private static final int INITIAL_BUFFER_BYTES = 512;
    private static final int MAX_BUFFER_BYTES = 32 * 1024;

    private InputStream in;
    private byte[] buf = new byte[INITIAL_BUFFER_BYTES];
    private int pos;
    private int end;
    private long bytesConsumed;

    ChunkInput(InputStream in) {
        this.in = in;
    }

    /** From now on bytes come only through {@link #feed}; what is buffered stays. */
    void detach() {
        in = null;
    }

    boolean detached() {
        return in == null;
    }

    /** Appends {@code src}'s remaining bytes (fed mode), growing the buffer when a chunk needs more room. */
    void feed(ByteBuffer src) {
        int n = src.remaining();
        if (buf.length - end < n && pos > 0) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            end -= pos;
            pos = 0;
        }
        if (buf.length - end < n) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, end + n));
        }
        src.get(buf, end, n);
        end += n;
    }

    /** Bytes buffered and not yet consumed. */
    int available() {
        return end - pos;
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
            if (in == null) {
                return false; // fed mode: never reached, the reader checks a whole chunk is here first
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                return false;
            }
            end += n;
            if (end == buf.length && buf.length < MAX_BUFFER_BYTES) {
                buf = Arrays.copyOf(buf, buf.length * 2); // the peer sends more than fits: read more at a time
            }
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
            if (pos == end && left >= buf.length && in != null) {
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
