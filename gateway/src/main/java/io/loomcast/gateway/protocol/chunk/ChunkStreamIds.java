package io.loomcast.gateway.protocol.chunk;

import java.nio.ByteBuffer;

/**
 * Chunk stream id rules and the basic header (RTMP 5.3.1.1). Ids 0 and 1 are escape values of the 6-bit
 * field: 0 means one more byte follows (id 64..319), 1 means two more bytes follow, little-endian
 * (id 64..65599). Id 2 is reserved for protocol control messages but is an ordinary id to this layer.
 */
final class ChunkStreamIds {
    static final int MIN = 2;
    static final int MAX = 65599;
    static final int COUNT = MAX - MIN + 1;

    private ChunkStreamIds() {}

    static boolean valid(int chunkStreamId) {
        return chunkStreamId >= MIN && chunkStreamId <= MAX;
    }

    /** Bytes of the basic header for this id: the smallest form that can carry it. */
    static int basicHeaderBytes(int chunkStreamId) {
        if (chunkStreamId < 64) {
            return 1;
        }
        return chunkStreamId < 320 ? 2 : 3;
    }

    /** Writes the basic header at absolute index {@code at} and returns the index after it. */
    static int writeBasicHeader(ByteBuffer dst, int at, int fmt, int chunkStreamId) {
        if (chunkStreamId < 64) {
            dst.put(at, (byte) (fmt << 6 | chunkStreamId));
            return at + 1;
        }
        int rest = chunkStreamId - 64;
        if (chunkStreamId < 320) {
            dst.put(at, (byte) (fmt << 6));
            dst.put(at + 1, (byte) rest);
            return at + 2;
        }
        dst.put(at, (byte) (fmt << 6 | 1));
        dst.put(at + 1, (byte) rest);
        dst.put(at + 2, (byte) (rest >>> 8));
        return at + 3;
    }
}
