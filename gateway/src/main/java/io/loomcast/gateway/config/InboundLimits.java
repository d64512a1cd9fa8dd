package io.loomcast.gateway.config;

/**
 * Bounds on what a peer may make us hold, checked before anything is allocated.
 *
 * @param maxMessageSizeBytes       a message longer than this closes the connection
 * @param maxChunkStreams           distinct chunk stream ids a peer may keep open at once
 * @param maxIncomingChunkSizeBytes the largest Set Chunk Size we accept from a peer
 * @param maxStreamsPerConnection   message streams (createStream, publish, play) one connection may hold open
 * @param maxControlBacklogBytes    replies and control messages queued for a peer that does not read them;
 *                                  past this the connection is closed
 */
public record InboundLimits(long maxMessageSizeBytes, int maxChunkStreams, int maxIncomingChunkSizeBytes,
                            int maxStreamsPerConnection, int maxControlBacklogBytes) {
    public static final InboundLimits DEFAULT = new InboundLimits(16L << 20, 64, 16 << 20, 16, 1 << 20);
}
