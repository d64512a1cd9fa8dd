package io.loomcast.gateway.protocol.message;

/**
 * Abort Message (type 2, RTMP 5.4.2): discard the partly received message on this chunk stream.
 *
 * @param chunkStreamId the chunk stream to abort, 2..65599 (RTMP 5.3.1.1: 0 and 1 are header forms, not ids)
 */
public record Abort(int chunkStreamId) implements ControlMessage {
    public static final int MIN_CHUNK_STREAM_ID = 2;
    public static final int MAX_CHUNK_STREAM_ID = 65599;

    public Abort {
        Checks.range(chunkStreamId, MIN_CHUNK_STREAM_ID, MAX_CHUNK_STREAM_ID, "chunk stream id");
    }
}
