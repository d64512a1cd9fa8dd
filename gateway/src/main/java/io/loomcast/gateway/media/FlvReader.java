package io.loomcast.gateway.media;

import io.loomcast.gateway.protocol.PeerClosedException;
import io.loomcast.gateway.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an FLV file (FLV 10.1 annex E): the header, then tag after tag with each one's type, 32-bit
 * timestamp and body. For the benchmark's publishers and for test recordings; the bodies are RTMP message
 * payloads as they are. Tag sizes are checked against {@code maxTagBytes} before anything is allocated.
 */
public final class FlvReader implements AutoCloseable {
    /** One tag: type 8 audio, 9 video, 18 script data; the timestamp with its extension byte. */
    public record Tag(int type, long timestampMs, byte[] body) {}

    private final InputStream in;
    private final int maxTagBytes;
    private final byte[] header = new byte[15];
    private final boolean hasAudio;
    private final boolean hasVideo;

    public FlvReader(InputStream in, int maxTagBytes) throws IOException {
        this.in = in;
        this.maxTagBytes = maxTagBytes;
        byte[] h = new byte[9];
        readFully(h, 9, "FLV header");
        if (h[0] != 'F' || h[1] != 'L' || h[2] != 'V') {
            throw new ProtocolException("not an FLV file: signature %02x %02x %02x".formatted(h[0], h[1], h[2]));
        }
        hasAudio = (h[4] & 0x04) != 0;
        hasVideo = (h[4] & 0x01) != 0;
        long dataOffset = BigEndian.u32(h, 5, 9, "FLV DataOffset") & 0xFFFF_FFFFL;
        if (dataOffset < 9 || dataOffset > 1024) {
            throw new ProtocolException("FLV header size %d outside 9..1024".formatted(dataOffset));
        }
        in.skipNBytes(dataOffset - 9);
        byte[] previousTagSize0 = new byte[4];
        readFully(previousTagSize0, 4, "PreviousTagSize0");
    }

    public boolean hasAudio() {
        return hasAudio;
    }

    public boolean hasVideo() {
        return hasVideo;
    }

    /** The next tag, or null at a clean end of file. */
    public Tag next() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        header[0] = (byte) first;
        readFully(header, 1, 10, "tag header");
        int type = header[0] & 0x1F;
        if ((header[0] & 0x20) != 0) {
            throw new ProtocolException("encrypted FLV tags are not supported");
        }
        int size = BigEndian.u24(header, 1, 11, "tag DataSize");
        if (size > maxTagBytes) {
            throw new ProtocolException("FLV tag of %d bytes exceeds limit %d".formatted(size, maxTagBytes));
        }
        long ts = (BigEndian.u24(header, 4, 11, "tag Timestamp") | (header[7] & 0xFFL) << 24) & 0xFFFF_FFFFL;
        byte[] body = new byte[size];
        readFully(body, size, "tag body");
        readFully(header, 11, 4, "PreviousTagSize");
        return new Tag(type, ts, body);
    }

    private void readFully(byte[] b, int len, String what) throws IOException {
        readFully(b, 0, len, what);
    }

    private void readFully(byte[] b, int off, int len, String what) throws IOException {
        int n = in.readNBytes(b, off, len);
        if (n < len) {
            throw new PeerClosedException("FLV ends inside the %s (%d of %d bytes)".formatted(what, n, len));
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
