package io.loomcast.gateway.cli;

import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.config.ServerConfig;
import io.loomcast.gateway.hub.GopCacheLimits;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.protocol.chunk.ChunkLimits;
import io.loomcast.gateway.routing.Relay;
import io.loomcast.gateway.routing.RelaySettings;
import io.loomcast.gateway.routing.RoutingTable;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpServer;
import io.loomcast.gateway.session.ServerCounters;
import io.loomcast.gateway.session.SessionSettings;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A running gateway assembled from a config: the hub, the RTMP server on it, and the relay's pulls and pushes. */
public final class Gateway implements AutoCloseable {
    private final StreamHub hub;
    private final RtmpServer rtmp;
    private final InetSocketAddress rtmpAddress;
    private final Relay relay;
    private volatile GatewayConfig config;

    private Gateway(StreamHub hub, RtmpServer rtmp, InetSocketAddress rtmpAddress, Relay relay, GatewayConfig config) {
        this.hub = hub;
        this.rtmp = rtmp;
        this.rtmpAddress = rtmpAddress;
        this.relay = relay;
        this.config = config;
    }

    /** Starts everything the config asks for. */
    public static Gateway start(GatewayConfig config) throws IOException {
        refuseWhatIsNotBuiltYet(config);
        ServerConfig s = config.server();
        GopCacheLimits gop = new GopCacheLimits(s.gopCache().enabled(), s.gopCache().maxBytes(),
                s.gopCache().maxDuration().toMillis());
        StreamHub hub = new StreamHub(gop);
        SessionSettings session = sessionSettings(s);
        Relay relay = new Relay(hub, relaySettings(config, session));
        RtmpServer rtmp = new RtmpServer(session, hub, new ServerCounters());
        InetSocketAddress bound;
        try {
            bound = rtmp.start(new InetSocketAddress(s.listen().host(), s.listen().port()));
        } catch (IOException e) {
            relay.close();
            throw new IOException("cannot listen for RTMP on %s:%d: %s".formatted(s.listen().host(), s.listen().port(),
                    e.getMessage()), e);
        }
        relay.apply(RoutingTable.from(config));
        return new Gateway(hub, rtmp, bound, relay, config);
    }

    /** Transcoding arrives with its own issue; until then a route asking for it must not start half-working. */
    static void refuseWhatIsNotBuiltYet(GatewayConfig config) {
        config.routes().forEach(r -> r.pushes().forEach(p -> p.transcode().ifPresent(t -> {
            throw new IllegalArgumentException("route %s: push %s asks for transcode profile '%s', but in-process "
                    .formatted(r.stream(), io.loomcast.gateway.config.Redaction.url(p.url()), t.name())
                    + "transcoding is not available in this build");
        })));
    }

    static RelaySettings relaySettings(GatewayConfig config, SessionSettings s) {
        ClientOptions client = ClientOptions.DEFAULT
                .withTimeouts(s.handshakeTimeout(), s.handshakeTimeout(), s.handshakeTimeout().multipliedBy(2))
                .withReadTimeout(s.idleTimeout());
        return new RelaySettings(client, s.writeTimeout(), s.queueLimits(), config.relay());
    }

    /**
     * Applies a reloaded config: the routes are reconciled (unchanged pulls and pushes keep their sessions);
     * server settings need a restart and are only reported.
     */
    public void reload(GatewayConfig next) {
        refuseWhatIsNotBuiltYet(next);
        if (!next.server().equals(config.server())) {
            org.slf4j.LoggerFactory.getLogger(Gateway.class).warn(
                    "reload: the server section changed; those settings take effect on restart only");
        }
        relay.apply(RoutingTable.from(next));
        config = next;
    }

    public Relay relay() {
        return relay;
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
        relay.close();
        rtmp.close();
    }
}
