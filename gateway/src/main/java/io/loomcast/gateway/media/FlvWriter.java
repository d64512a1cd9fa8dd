package io.loomcast.gateway.media;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes tags to an FLV file exactly as given (FLV 10.1 annex E), timestamps included: a recording that
 * shows what a peer really sent, unlike a muxer that repairs non-monotonic timestamps on the way.
 */
public final class FlvWriter implements AutoCloseable {
    private final OutputStream out;
    private final byte[] header = new byte[11];
    private final byte[] trailer = new byte[4];

    public FlvWriter(OutputStream out, boolean audio, boolean video) throws IOException {
        this.out = out;
        out.write(new byte[] {'F', 'L', 'V', 1, (byte) ((audio ? 4 : 0) | (video ? 1 : 0)), 0, 0, 0, 9, 0, 0, 0, 0});
    }

    /** One tag: type 8, 9 or 18, timestamp modulo 2^32, body as the RTMP message payload. */
    public void write(int type, long timestampMs, byte[] body) throws IOException {
        int size = body.length;
        header[0] = (byte) type;
        header[1] = (byte) (size >>> 16);
        header[2] = (byte) (size >>> 8);
        header[3] = (byte) size;
        header[4] = (byte) (timestampMs >>> 16);
        header[5] = (byte) (timestampMs >>> 8);
        header[6] = (byte) timestampMs;
        header[7] = (byte) (timestampMs >>> 24);
        header[8] = 0;
        header[9] = 0;
        header[10] = 0;
        out.write(header);
        out.write(body);
        int previous = size + 11;
        trailer[0] = (byte) (previous >>> 24);
        trailer[1] = (byte) (previous >>> 16);
        trailer[2] = (byte) (previous >>> 8);
        trailer[3] = (byte) previous;
        out.write(trailer);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
