package io.loomcast.gateway.protocol.chunk;

/** The {@link ChunkWriter}'s memory of the last header it sent on one chunk stream (RTMP 5.3.1.2). */
final class OutboundChunkStream {
    /** {@link #timestampDelta} after a fmt-0 header: the next message on this stream gets fmt 2, not fmt 3. */
    static final long NO_DELTA = -1;

    int messageLength;
    int typeId;
    int messageStreamId;
    long timestamp;
    long timestampDelta = NO_DELTA;

    void remember(int messageLength, int typeId, int messageStreamId, long timestamp, long timestampDelta) {
        this.messageLength = messageLength;
        this.typeId = typeId;
        this.messageStreamId = messageStreamId;
        this.timestamp = timestamp;
        this.timestampDelta = timestampDelta;
    }
}
