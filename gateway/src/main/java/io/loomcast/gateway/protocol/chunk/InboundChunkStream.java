package io.loomcast.gateway.protocol.chunk;

/**
 * The {@link ChunkReader}'s state for one chunk stream: the header fields that fmt 1/2/3 chunks inherit
 * (RTMP 5.3.1.2) and the message being reassembled, if any.
 */
final class InboundChunkStream {
    int messageLength;
    int typeId;
    int messageStreamId;
    /** Absolute timestamp of the current (or last) message, unsigned 32-bit. */
    long timestamp;
    /**
     * What a fmt-3 chunk that starts a new message adds to {@link #timestamp}: the last fmt 1/2 delta, or
     * the last fmt 0 timestamp (fmt 3 takes "the values of the preceding chunk", FFmpeg and SRS read it so).
     */
    long timestampDelta;
    /** Whether the last fmt 0/1/2 header used the extended timestamp (RTMP 5.3.1.3). */
    boolean extended;
    /** The 32-bit value of that extended field: the absolute timestamp after fmt 0, the delta after 1/2. */
    long extendedValue;
    /** The message being reassembled; null between messages. Grows as chunks arrive, up to its length. */
    byte[] payload;
    int receivedBytes;

    boolean messageInProgress() {
        return payload != null;
    }
}
