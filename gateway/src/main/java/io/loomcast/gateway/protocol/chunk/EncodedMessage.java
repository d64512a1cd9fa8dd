package io.loomcast.gateway.protocol.chunk;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A message chunked once, to be shared by many connections (DESIGN.md, "Shared bytes for fan-out").
 * {@link #bytes()} start with a fmt-0 header carrying the absolute timestamp, so they need no header state
 * from the connection they are sent on; only the connection's outgoing chunk size must equal
 * {@link #chunkSizeBytes()}. Made by {@link ChunkWriter#encodeStandalone(RawMessage, int)}, or straight into
 * direct memory by {@link ChunkWriter#encodeStandalone(RawMessage, int, java.util.function.IntFunction)}; sent
 * with {@link ChunkWriter#write(EncodedMessage, java.io.OutputStream)}, or by the caller followed by
 * {@link ChunkWriter#markWritten(EncodedMessage)}.
 *
 * <p>The header fields are kept so a writer can update its per-chunk-stream state; the payload is not kept
 * apart from {@code bytes}. The buffer is read-only and shared: its position is 0 and its limit the length, and
 * each reader takes a {@link ByteBuffer#duplicate()} to consume. Equality of the buffer component is by
 * content, as {@link ByteBuffer#equals} defines it.
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
                             int chunkSizeBytes, ByteBuffer bytes) {
    public EncodedMessage {
        Objects.requireNonNull(bytes, "bytes");
        if (!bytes.isReadOnly() || bytes.position() != 0) {
            throw new IllegalArgumentException("shared bytes must be read-only and start at position 0: " + bytes);
        }
    }

    /** Bytes on the wire: the headers and the payload. */
    public int length() {
        return bytes.limit();
    }

    @Override
    public String toString() {
        return "EncodedMessage[csid=%d, type=%d, msid=%d, ts=%d, %d bytes as %d at chunk size %d]"
                .formatted(chunkStreamId, typeId, messageStreamId, timestamp, payloadLength, length(),
                        chunkSizeBytes);
    }
}
