package io.loomcast.gateway.config;

/**
 * Bounds on what a peer may make us hold, checked before anything is allocated.
 *
 * @param maxMessageSizeBytes       a message longer than this closes the connection
 * @param maxChunkStreams           distinct chunk stream ids a peer may keep open at once
 * @param maxIncomingChunkSizeBytes the largest Set Chunk Size we accept from a peer
 */
public record InboundLimits(long maxMessageSizeBytes, int maxChunkStreams, int maxIncomingChunkSizeBytes) {
    public static final InboundLimits DEFAULT = new InboundLimits(16L << 20, 64, 16 << 20);
}
