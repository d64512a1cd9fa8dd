package io.loomcast.gateway.session;

import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.protocol.chunk.ChunkLimits;
import java.time.Duration;

/**
 * What a server session needs to know, taken from the {@code server} section of the config.
 *
 * @param chunkSizeBytes       the chunk size we send, announced with Set Chunk Size after connect
 * @param windowAckSizeBytes   the Window Acknowledgement Size we announce
 * @param peerBandwidthBytes   the Set Peer Bandwidth we send (limit type dynamic)
 * @param handshakeTimeout     the whole handshake must finish within this
 * @param idleTimeout          a connection with no byte from the peer for this long is closed
 * @param writeTimeout         a write that makes no progress for this long means the peer stopped reading
 * @param pingInterval         a quiet peer is pinged this often, so a live one answers before the idle timeout
 * @param maxConnections       connections beyond this are closed at once
 * @param chunkLimits          incoming message size, chunk stream count and chunk size limits
 * @param queueLimits          each player's queue bounds
 * @param maxConnectionsPerIp  connections from one address beyond this are closed at once; 0: no limit
 * @param maxStreamsPerConnection message streams one connection may hold (created, publishing or playing)
 * @param maxControlBacklogBytes  replies a peer may leave unread before its connection is closed
 * @param mergeWrites          how long a player's media may wait to be written with what follows it; zero: at once
 */
public record SessionSettings(
        int chunkSizeBytes,
        int windowAckSizeBytes,
        int peerBandwidthBytes,
        Duration handshakeTimeout,
        Duration idleTimeout,
        Duration writeTimeout,
        Duration pingInterval,
        int maxConnections,
        ChunkLimits chunkLimits,
        QueueLimits queueLimits,
        int maxConnectionsPerIp,
        int maxStreamsPerConnection,
        int maxControlBacklogBytes,
        Duration mergeWrites) {

    public static final SessionSettings DEFAULT = new SessionSettings(4096, 2_500_000, 2_500_000,
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(10), 10_000,
            ChunkLimits.DEFAULT, QueueLimits.DEFAULT, 0, 16, 1 << 20, Duration.ZERO);

    public SessionSettings {
        if (chunkSizeBytes < 1 || chunkSizeBytes > chunkLimits.maxChunkSizeBytes()) {
            throw new IllegalArgumentException("chunk size %d outside 1..%d".formatted(chunkSizeBytes,
                    chunkLimits.maxChunkSizeBytes()));
        }
    }
}
