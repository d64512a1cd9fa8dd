package io.loomcast.gateway.testing;

import java.io.InputStream;
import java.util.Arrays;

/**
 * An input stream over fixed bytes whose reads never cross the given cut offsets, the way a socket delivers
 * a unit in pieces. Feeding a decoder through every cut checks it reassembles correctly wherever TCP splits.
 */
public final class SplitInputStream extends InputStream {
    private final byte[] data;
    private final int[] cuts;
    private int pos;

    /** @param cuts offsets, ascending, at which a read must stop; 0 and data.length are implied */
    public SplitInputStream(byte[] data, int... cuts) {
        this.data = data;
        this.cuts = cuts.clone();
        Arrays.sort(this.cuts);
    }

    /** Reads of at most {@code pieceBytes} each: the worst case is a piece of 1. */
    public static SplitInputStream pieces(byte[] data, int pieceBytes) {
        int n = Math.max(0, (data.length - 1) / pieceBytes);
        int[] cuts = new int[n];
        for (int i = 0; i < n; i++) {
            cuts[i] = (i + 1) * pieceBytes;
        }
        return new SplitInputStream(data, cuts);
    }

    private int limit() {
        for (int c : cuts) {
            if (c > pos) {
                return Math.min(c, data.length);
            }
        }
        return data.length;
    }

    @Override
    public int read() {
        return pos < data.length ? data[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        if (pos >= data.length) {
            return -1;
        }
        int n = Math.min(len, limit() - pos);
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return limit() - pos;
    }

    /** Bytes consumed so far. */
    public int position() {
        return pos;
    }
}
