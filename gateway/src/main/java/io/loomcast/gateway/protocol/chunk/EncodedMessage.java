package io.loomcast.gateway.protocol.chunk;

import java.util.Objects;

/**
 * A message chunked once, to be shared by many connections (DESIGN.md, "Shared bytes for fan-out").
 * {@link #bytes()} start with a fmt-0 header carrying the absolute timestamp, so they need no header state
 * from the connection they are sent on; only the connection's outgoing chunk size must equal
 * {@link #chunkSizeBytes()}. Made by {@link ChunkWriter#encodeStandalone(RawMessage, int)}; sent with
 * {@link ChunkWriter#write(EncodedMessage, java.io.OutputStream)} or
 * {@link ChunkWriter#markWritten(EncodedMessage)}.
 *
 * <p>The header fields are kept so a writer can update its per-chunk-stream state; the payload is not kept
 * apart from {@code bytes}. The array is shared, never copied: nobody may change it. Equality of the array
 * component is identity, as for any record.
 *
 * @param chunkStreamId   chunk stream the bytes are framed for
 * @param typeId          message type id
 * @param messageStreamId message stream id
 * @param timestamp       absolute timestamp, unsigned 32-bit
 * @param payloadLength   message length in bytes
 * @param chunkSizeBytes  the chunk size the bytes were split at
 * @param bytes           every chunk of the message, headers included
 */
public record EncodedMessage(int chunkStreamId, int typeId, int messageStreamId, long timestamp, int payloadLength,
                             int chunkSizeBytes, byte[] bytes) {
    public EncodedMessage {
        Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public String toString() {
        return "EncodedMessage[csid=%d, type=%d, msid=%d, ts=%d, %d bytes as %d at chunk size %d]"
                .formatted(chunkStreamId, typeId, messageStreamId, timestamp, payloadLength, bytes.length,
                        chunkSizeBytes);
    }
}
