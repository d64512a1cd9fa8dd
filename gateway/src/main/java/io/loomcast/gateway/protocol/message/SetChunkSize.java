package io.loomcast.gateway.protocol.message;

/**
 * Set Chunk Size (type 1, RTMP 5.4.1): the sender's chunks carry at most this many payload bytes from now on.
 * A 31-bit value; the top bit of the 4-byte field must be 0.
 *
 * @param sizeBytes 1 .. 2^31-1; values above 16777215 act alike, since no message is longer than that
 */
public record SetChunkSize(int sizeBytes) implements ControlMessage {
    /** RTMP 5.4.1: the chunk size before any Set Chunk Size. */
    public static final int DEFAULT_BYTES = 128;

    public SetChunkSize {
        // An int cannot exceed 2^31-1, so only the lower bound needs checking.
        Checks.range(sizeBytes, 1, Integer.MAX_VALUE, "chunk size");
    }
}
