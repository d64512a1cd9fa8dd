package io.loomcast.gateway.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The RTMP server: where it listens, what it announces to peers, how long it waits, and how much it holds.
 *
 * @param chunkSizeBytes     the chunk size we send (Set Chunk Size) to peers
 * @param windowAckSizeBytes the acknowledgement window we announce (Window Acknowledgement Size)
 * @param peerBandwidthBytes the bandwidth limit we announce (Set Peer Bandwidth, dynamic)
 * @param handshakeTimeout   a peer that has not finished the handshake by then is closed
 * @param idleTimeout        a publisher or pull that sends no bytes for this long is closed; players are judged
 *                           by acks and ping replies instead, since they rightly send almost nothing
 * @param writeTimeout       a write that makes no progress this long means the peer is half-open: close it
 * @param pingInterval       how often we ping a peer (User Control Ping Request); zero turns pings off
 * @param maxConnections     connections beyond this are refused at accept
 * @param shutdownGrace      on SIGTERM, how long pushes, players and publishers get to be told and closed before
 *                           the process exits anyway
 * @param unpublishGrace     how long players hear nothing after their publisher left, so one that reconnects
 *                           within it continues the stream; zero tells them at once (NetStream.Play.UnpublishNotify)
 * @param maxConnectionsPerIp connections from one address beyond this are refused at accept; 0: no limit
 * @param tls                the RTMPS listener, when there is one
 * @param mergeWrites        how long a player's media may wait to go out in one write with what follows it;
 *                           zero writes each frame as it comes
 */
public record ServerConfig(
        ListenAddress listen,
        int chunkSizeBytes,
        long windowAckSizeBytes,
        long peerBandwidthBytes,
        Duration handshakeTimeout,
        Duration idleTimeout,
        Duration writeTimeout,
        Duration pingInterval,
        int maxConnections,
        InboundLimits limits,
        GopCacheConfig gopCache,
        SubscriberQueueConfig subscriberQueue,
        Duration shutdownGrace,
        Duration unpublishGrace,
        int maxConnectionsPerIp,
        Optional<ServerTlsConfig> tls,
        Duration mergeWrites) {

    /** The default {@link #shutdownGrace}. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
    /** The default {@link #unpublishGrace}. */
    public static final Duration DEFAULT_UNPUBLISH_GRACE = Duration.ofSeconds(10);
    /** The default {@link #mergeWrites}: every frame goes out as it comes. */
    public static final Duration DEFAULT_MERGE_WRITES = Duration.ZERO;

    /** With the default shutdown and unpublish graces, no per-address limit, no RTMPS and no merge window. */
    public ServerConfig(ListenAddress listen, int chunkSizeBytes, long windowAckSizeBytes, long peerBandwidthBytes,
            Duration handshakeTimeout, Duration idleTimeout, Duration writeTimeout, Duration pingInterval,
            int maxConnections, InboundLimits limits, GopCacheConfig gopCache, SubscriberQueueConfig subscriberQueue) {
        this(listen, chunkSizeBytes, windowAckSizeBytes, peerBandwidthBytes, handshakeTimeout, idleTimeout,
                writeTimeout, pingInterval, maxConnections, limits, gopCache, subscriberQueue, DEFAULT_SHUTDOWN_GRACE,
                DEFAULT_UNPUBLISH_GRACE, 0, Optional.empty(), DEFAULT_MERGE_WRITES);
    }

    /** What the gateway uses for every key the file leaves out. */
    public static final ServerConfig DEFAULT = new ServerConfig(
            new ListenAddress("127.0.0.1", 1935),
            4096,
            2_500_000,
            2_500_000,
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofSeconds(10),
            Duration.ofSeconds(10),
            10_000,
            InboundLimits.DEFAULT,
            GopCacheConfig.DEFAULT,
            SubscriberQueueConfig.DEFAULT,
            DEFAULT_SHUTDOWN_GRACE,
            DEFAULT_UNPUBLISH_GRACE,
            0,
            Optional.empty(),
            DEFAULT_MERGE_WRITES);
}
