package io.loomcast.gateway.cli;

import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.config.ServerConfig;
import io.loomcast.gateway.hub.GopCacheLimits;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.protocol.chunk.ChunkLimits;
import io.loomcast.gateway.session.RtmpServer;
import io.loomcast.gateway.session.ServerCounters;
import io.loomcast.gateway.session.SessionSettings;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A running gateway assembled from a config: the hub and the RTMP server on it. */
public final class Gateway implements AutoCloseable {
    private final StreamHub hub;
    private final RtmpServer rtmp;
    private final InetSocketAddress rtmpAddress;

    private Gateway(StreamHub hub, RtmpServer rtmp, InetSocketAddress rtmpAddress) {
        this.hub = hub;
        this.rtmp = rtmp;
        this.rtmpAddress = rtmpAddress;
    }

    /** Starts everything the config asks for. */
    public static Gateway start(GatewayConfig config) throws IOException {
        ServerConfig s = config.server();
        GopCacheLimits gop = new GopCacheLimits(s.gopCache().enabled(), s.gopCache().maxBytes(),
                s.gopCache().maxDuration().toMillis());
        StreamHub hub = new StreamHub(gop);
        RtmpServer rtmp = new RtmpServer(sessionSettings(s), hub, new ServerCounters());
        InetSocketAddress bound = rtmp.start(new InetSocketAddress(s.listen().host(), s.listen().port()));
        return new Gateway(hub, rtmp, bound);
    }

    static SessionSettings sessionSettings(ServerConfig s) {
        ChunkLimits limits = new ChunkLimits((int) Math.min(Integer.MAX_VALUE, s.limits().maxMessageSizeBytes()),
                s.limits().maxChunkStreams(), s.limits().maxIncomingChunkSizeBytes());
        QueueLimits queue = new QueueLimits(s.subscriberQueue().maxBytes(), s.subscriberQueue().maxDuration().toMillis(),
                s.subscriberQueue().stallTimeout());
        return new SessionSettings(s.chunkSizeBytes(), (int) Math.min(Integer.MAX_VALUE, s.windowAckSizeBytes()),
                (int) Math.min(Integer.MAX_VALUE, s.peerBandwidthBytes()), s.handshakeTimeout(), s.idleTimeout(),
                s.writeTimeout(), s.pingInterval(), s.maxConnections(), limits, queue);
    }

    public InetSocketAddress rtmpAddress() {
        return rtmpAddress;
    }

    public StreamHub hub() {
        return hub;
    }

    public RtmpServer rtmp() {
        return rtmp;
    }

    @Override
    public void close() throws IOException {
        rtmp.close();
    }
}
