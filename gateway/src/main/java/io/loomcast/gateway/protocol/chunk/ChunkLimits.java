package io.loomcast.gateway.protocol.chunk;

/**
 * What one connection's peer may make the {@link ChunkReader} hold. Every value is checked before anything
 * is allocated for it, and a breach is a {@link io.loomcast.gateway.protocol.ProtocolException} naming the
 * value and the limit.
 *
 * @param maxMessageBytes    largest message length a fmt 0/1 header may announce (the wire field is 24-bit,
 *                           so values from 16 MiB on never bind)
 * @param maxChunkStreams    how many distinct chunk stream ids one connection may use; a chunk stream's
 *                           header state lives for the whole connection (RTMP 5.3.1.2 keeps it for fmt 1/2/3)
 * @param maxChunkSizeBytes  largest Set Chunk Size we accept from the peer (RTMP 5.4.1 allows up to
 *                           0x7FFFFFFF); a chunk never carries more than the rest of its message, so this
 *                           bounds no allocation, it only rejects peers far outside normal use
 */
public record ChunkLimits(int maxMessageBytes, int maxChunkStreams, int maxChunkSizeBytes) {
    /** 16 MiB messages, 64 chunk streams, 16 MiB chunk size: far above what encoders send. */
    public static final ChunkLimits DEFAULT = new ChunkLimits(16 * 1024 * 1024, 64, 16 * 1024 * 1024);

    public ChunkLimits {
        if (maxMessageBytes < 1) {
            throw new IllegalArgumentException("maxMessageBytes must be positive, was " + maxMessageBytes);
        }
        if (maxChunkStreams < 1 || maxChunkStreams > ChunkStreamIds.COUNT) {
            throw new IllegalArgumentException("maxChunkStreams must be 1..%d, was %d"
                    .formatted(ChunkStreamIds.COUNT, maxChunkStreams));
        }
        if (maxChunkSizeBytes < 1) {
            throw new IllegalArgumentException("maxChunkSizeBytes must be positive, was " + maxChunkSizeBytes);
        }
    }
}
