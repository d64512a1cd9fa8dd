package io.loomcast.gateway.cli;

import io.loomcast.gateway.auth.Authenticator;
import io.loomcast.gateway.auth.HttpCallbacks;
import io.loomcast.gateway.cluster.Shard;
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
import io.loomcast.gateway.transcode.FfmpegRuntime;
import io.loomcast.gateway.transcode.TranscodeException;
import io.loomcast.gateway.transcode.Transcoder;
import io.loomcast.gateway.api.ApiServer;
import io.loomcast.gateway.api.ControlPlane;
import io.loomcast.gateway.api.GatewayControl;
import io.loomcast.gateway.config.ApiConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * A running gateway assembled from a config: the hub, the RTMP server on it, the relay's pulls and pushes, the
 * transcoder, and (with an {@code api} section and a {@link ControlPlane}) the HTTP API over them.
 */
public final class Gateway implements AutoCloseable, GatewayControl {
    private final StreamHub hub;
    private final RtmpServer rtmp;
    private final InetSocketAddress rtmpAddress;
    private final InetSocketAddress rtmpsAddress;
    private final HttpCallbacks callbacks;
    private final Relay relay;
    private final SessionSettings session;
    private volatile Transcoder transcoder;
    private volatile GatewayConfig config;
    private ApiServer api;
    private InetSocketAddress apiAddress;

    private Gateway(StreamHub hub, RtmpServer rtmp, InetSocketAddress rtmpAddress, InetSocketAddress rtmpsAddress,
            HttpCallbacks callbacks, Relay relay, SessionSettings session, Transcoder transcoder, GatewayConfig config) {
        this.hub = hub;
        this.rtmp = rtmp;
        this.rtmpAddress = rtmpAddress;
        this.rtmpsAddress = rtmpsAddress;
        this.callbacks = callbacks;
        this.relay = relay;
        this.session = session;
        this.transcoder = transcoder;
        this.config = config;
    }

    /** Starts everything the config asks for, without the HTTP API. */
    public static Gateway start(GatewayConfig config) throws IOException {
        return start(config, null);
    }

    /**
     * Starts everything the config asks for; with an {@code api} section and {@code control} (which every API
     * write and every reload goes through), the HTTP API too, last, once RTMP listens.
     */
    public static Gateway start(GatewayConfig config, ControlPlane control) throws IOException {
        Gateway g = startRtmp(config);
        if (control != null && config.api().isPresent()) {
            control.attach(g);
            ApiConfig a = config.api().get();
            ApiServer server = new ApiServer(a, g, control);
            try {
                g.apiAddress = server.start(new InetSocketAddress(a.listen().host(), a.listen().port()));
            } catch (IOException e) {
                server.close();
                g.close();
                throw new IOException("cannot listen for HTTP on %s: %s".formatted(a.listen(), e.getMessage()), e);
            }
            g.api = server;
        } else if (control != null) {
            control.attach(g);
        }
        return g;
    }

    private static Gateway startRtmp(GatewayConfig config) throws IOException {
        ServerConfig s = config.server();
        GopCacheLimits gop = new GopCacheLimits(s.gopCache().enabled(), s.gopCache().maxBytes(),
                s.gopCache().maxDuration().toMillis());
        StreamHub hub = new StreamHub(gop, s.unpublishGrace());
        SessionSettings session = sessionSettings(s);
        RoutingTable table = RoutingTable.from(config);
        // Before anything listens: a profile these natives cannot encode fails startup, not a stream later.
        Transcoder transcoder = transcoderFor(config, table, hub, session, null);
        Shard shard = Shard.of(config);
        config.cluster().ifPresent(c -> LoggerFactory.getLogger(Gateway.class).info(
                "cluster: shard {} (from {}); runs {} of the {} routes that pull and push", shard, c.shard(),
                shard.ownedRoutes(config).size(), Shard.shardedRoutes(config).size()));
        Relay relay = new Relay(hub, relaySettings(config, session), shard::owns);
        HttpCallbacks callbacks = new HttpCallbacks();
        RtmpServer rtmp = new RtmpServer(session, hub, new ServerCounters(),
                Authenticator.from(config.auth(), callbacks, InstantSource.system()));
        InetSocketAddress bound;
        InetSocketAddress boundTls = null;
        try {
            bound = rtmp.start(new InetSocketAddress(s.listen().host(), s.listen().port()));
        } catch (IOException e) {
            closeAll(relay, transcoder, rtmp, callbacks);
            throw new IOException("cannot listen for RTMP on %s:%d: %s".formatted(s.listen().host(), s.listen().port(),
                    e.getMessage()), e);
        }
        if (s.tls().isPresent()) {
            try {
                boundTls = rtmp.startTls(s.tls().get());
            } catch (IOException e) {
                closeAll(relay, transcoder, rtmp, callbacks);
                throw new IOException("cannot start RTMPS on %s: %s".formatted(s.tls().get().listen(), e.getMessage()), e);
            }
        }
        if (transcoder != null) {
            transcoder.apply(table, config.transcode());
        }
        relay.apply(table);
        return new Gateway(hub, rtmp, bound, boundTls, callbacks, relay, session, transcoder, config);
    }

    private static void closeAll(Relay relay, Transcoder transcoder, RtmpServer rtmp, HttpCallbacks callbacks)
            throws IOException {
        relay.close();
        if (transcoder != null) {
            transcoder.close();
        }
        rtmp.close();
        callbacks.close();
    }

    /**
     * The transcoder when some profile may run: a push asks for one, or players may start the profiles defined
     * ({@code transcode.playerRenditions}). The FFmpeg natives load only then. Returns {@code existing}
     * (checked against the new config) when there is one.
     *
     * @throws IllegalArgumentException when the natives do not load or cannot encode a profile
     */
    static Transcoder transcoderFor(GatewayConfig config, RoutingTable table, StreamHub hub, SessionSettings session,
            Transcoder existing) {
        if (!transcodes(config) && existing == null) {
            return null;
        }
        try {
            Transcoder t = existing;
            if (t == null) {
                FfmpegRuntime ffmpeg = FfmpegRuntime.load(config.transcode().nativeCacheDir());
                t = new Transcoder(hub, ffmpeg, session.queueLimits());
            }
            t.check(table, config.transcode());
            return t;
        } catch (TranscodeException e) {
            throw new IllegalArgumentException("transcoding cannot start: " + e.getMessage(), e);
        }
    }

    /** Whether {@code config} may run any rendition, so the FFmpeg natives are needed. */
    static boolean transcodes(GatewayConfig config) {
        boolean pushes = config.routes().stream()
                .anyMatch(r -> r.pushes().stream().anyMatch(p -> p.transcode().isPresent()));
        boolean players = config.transcode().playerRenditions() && !config.transcode().profiles().isEmpty();
        return pushes || players;
    }

    static RelaySettings relaySettings(GatewayConfig config, SessionSettings s) {
        ClientOptions client = ClientOptions.DEFAULT
                .withTimeouts(s.handshakeTimeout(), s.handshakeTimeout(), s.handshakeTimeout().multipliedBy(2))
                .withReadTimeout(s.idleTimeout());
        return new RelaySettings(client, s.writeTimeout(), s.queueLimits(), config.relay(), s.mergeWrites());
    }

    /**
     * Applies a reloaded config: the routes are reconciled (unchanged pulls and pushes keep their sessions);
     * server settings need a restart and are only reported.
     */
    @Override
    public void reload(GatewayConfig next) {
        RoutingTable table = RoutingTable.from(next);
        Transcoder t = transcoderFor(next, table, hub, session, transcoder);
        transcoder = t;
        ServerConfig after = next.server();
        if (!after.equals(config.server())) {
            LoggerFactory.getLogger(Gateway.class).warn("reload: the server section changed; apart from "
                    + "server.tls's certificate files, those settings take effect on restart only");
        }
        // Auth rules apply to the next connection and the next publish or play; TLS files are read again.
        rtmp.authenticator(Authenticator.from(next.auth(), callbacks, InstantSource.system()));
        if (after.tls().isPresent() && rtmp.tls().isPresent()) {
            rtmp.tls().get().reload(after.tls().get(), "reload");
        }
        if (!Shard.of(next).equals(Shard.of(config))) {
            LoggerFactory.getLogger(Gateway.class).warn(
                    "reload: the cluster section changed; this replica keeps shard {} until restarted", Shard.of(config));
        }
        if (t != null) {
            t.apply(table, next.transcode());
        }
        relay.apply(table);
        config = next;
    }

    /** Reads the RTMPS certificate files of the running config again, if there is an RTMPS listener. */
    public void reloadCertificate(String why) {
        config.server().tls().ifPresent(t -> rtmp.tls().ifPresent(tls -> tls.reload(t, why)));
    }

    @Override
    public GatewayConfig config() {
        return config;
    }

    @Override
    public Optional<Transcoder> runningTranscoder() {
        return Optional.ofNullable(transcoder);
    }

    @Override
    public boolean nativesReady() {
        return !transcodes(config) || transcoder != null;
    }

    /** Where the HTTP API listens; null without one. */
    public InetSocketAddress apiAddress() {
        return apiAddress;
    }

    /**
     * SIGTERM: stop accepting; every push unpublishes (FCUnpublish, deleteStream); every player and publisher is
     * told (NetStream.Play.Stop, NetStream.Unpublish.Success) and closed; all within {@code grace}, after which
     * whatever is left is closed regardless.
     */
    public void shutdown(Duration grace) throws IOException {
        long deadline = System.nanoTime() + grace.toNanos();
        if (api != null) {
            api.draining();
        }
        rtmp.stopAccepting();
        relay.close(remaining(deadline, grace.dividedBy(2)));
        Transcoder t = transcoder;
        if (t != null) {
            t.close();
        }
        rtmp.shutdown(remaining(deadline, grace));
        if (api != null) {
            api.close();
        }
        callbacks.close();
    }

    private static Duration remaining(long deadlineNanos, Duration cap) {
        long left = Math.max(0, deadlineNanos - System.nanoTime());
        return Duration.ofNanos(Math.min(left, cap.toNanos()));
    }

    /** The transcoder, or null while no rendition may run (see {@link #transcodes}). */
    public Transcoder transcoder() {
        return transcoder;
    }

    static SessionSettings sessionSettings(ServerConfig s) {
        ChunkLimits limits = new ChunkLimits((int) Math.min(Integer.MAX_VALUE, s.limits().maxMessageSizeBytes()),
                s.limits().maxChunkStreams(), s.limits().maxIncomingChunkSizeBytes());
        QueueLimits queue = new QueueLimits(s.subscriberQueue().maxBytes(), s.subscriberQueue().maxDuration().toMillis(),
                s.subscriberQueue().stallTimeout());
        return new SessionSettings(s.chunkSizeBytes(), (int) Math.min(Integer.MAX_VALUE, s.windowAckSizeBytes()),
                (int) Math.min(Integer.MAX_VALUE, s.peerBandwidthBytes()), s.handshakeTimeout(), s.idleTimeout(),
                s.writeTimeout(), s.pingInterval(), s.maxConnections(), limits, queue, s.maxConnectionsPerIp(),
                s.limits().maxStreamsPerConnection(), s.limits().maxControlBacklogBytes(), s.mergeWrites());
    }

    /** Where RTMPS is accepted, when {@code server.tls} asks for it. */
    public Optional<InetSocketAddress> rtmpsAddress() {
        return Optional.ofNullable(rtmpsAddress);
    }

    @Override
    public StreamHub hub() {
        return hub;
    }

    @Override
    public Relay relay() {
        return relay;
    }

    @Override
    public RtmpServer rtmp() {
        return rtmp;
    }

    public InetSocketAddress rtmpAddress() {
        return rtmpAddress;
    }

    @Override
    public void close() throws IOException {
        if (api != null) {
            api.close();
        }
        relay.close();
        Transcoder t = transcoder;
        if (t != null) {
            t.close();
        }
        rtmp.close();
        callbacks.close();
    }
}
