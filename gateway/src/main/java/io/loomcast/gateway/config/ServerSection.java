package io.loomcast.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Binds {@code server}, {@code api} and {@code logging}. The bounds here are the documented ones in README.md ("Configuration reference"). */
final class ServerSection {
    /** RTMP 5.4.1: the chunk size is at least 128 by default; past 64 KiB some players choke, and it buys little. */
    static final long MIN_CHUNK_SIZE = 128;
    static final long MAX_CHUNK_SIZE = 65_536;
    /** Window and bandwidth go out as 4-byte fields with the top bit clear. */
    static final long MIN_WINDOW = 1024;
    static final long MAX_WINDOW = Integer.MAX_VALUE;
    /** RTMP 5.3.1.2: a message length is 3 bytes, so 16 MiB is more than any message can be. */
    static final long MAX_MESSAGE_SIZE = 16L << 20;

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final long KIB = 1L << 10;
    private static final long GIB = 1L << 30;

    private ServerSection() {}

    static ServerConfig bind(YamlMapping m) {
        ServerConfig d = ServerConfig.DEFAULT;
        // Read in the order the keys are documented, which is the order "known: ..." hints list them.
        ListenAddress listen = m.listen("listen", d.listen());
        Optional<ServerTlsConfig> tls = m.node("tls").flatMap(n -> tls(m.binder().mapping(n, m.path("tls")), listen));
        int chunkSize = (int) m.bytes("chunkSize", d.chunkSizeBytes(), MIN_CHUNK_SIZE, MAX_CHUNK_SIZE);
        long window = m.bytes("windowAckSize", d.windowAckSizeBytes(), MIN_WINDOW, MAX_WINDOW);
        long bandwidth = m.bytes("peerBandwidth", d.peerBandwidthBytes(), MIN_WINDOW, MAX_WINDOW);
        Duration handshake = m.duration("handshakeTimeout", d.handshakeTimeout(), Duration.ofMillis(100),
                Duration.ofMinutes(5));
        Duration idle = m.duration("idleTimeout", d.idleTimeout(), SECOND, HOUR);
        Duration write = m.duration("writeTimeout", d.writeTimeout(), SECOND, HOUR);
        Duration ping = m.duration("pingInterval", d.pingInterval(), Duration.ZERO, HOUR);
        int maxConnections = (int) m.integer("maxConnections", d.maxConnections(), 1, 1_000_000);
        int maxPerIp = (int) m.integer("maxConnectionsPerIp", d.maxConnectionsPerIp(), 0, 1_000_000);
        InboundLimits limits = limits(m.mapping("limits"));
        GopCacheConfig gop = gopCache(m.mapping("gopCache"));
        SubscriberQueueConfig queue = subscriberQueue(m.mapping("subscriberQueue"));
        Duration grace = m.duration("shutdownGrace", d.shutdownGrace(), Duration.ZERO, Duration.ofMinutes(10));
        Duration unpublishGrace = m.duration("unpublishGrace", d.unpublishGrace(), Duration.ZERO, HOUR);
        Duration mergeWrites = m.duration("mergeWrites", d.mergeWrites(), Duration.ZERO, SECOND);
        ServerConfig server = new ServerConfig(listen, chunkSize, window, bandwidth, handshake, idle, write, ping,
                maxConnections, limits, gop, queue, grace, unpublishGrace, maxPerIp, tls, mergeWrites);
        m.finish();
        return server;
    }

    /** {@code server.tls}: the RTMPS listener; all three keys are required. The files are not opened here. */
    private static Optional<ServerTlsConfig> tls(YamlMapping m, ListenAddress plain) {
        Optional<ListenAddress> listen = m.required("listen").flatMap(n -> m.binder().listen(n, m.path("listen")));
        Optional<Path> certificate = m.required("certificate")
                .flatMap(n -> m.binder().string(n, m.path("certificate"))).map(Path::of);
        Optional<Path> privateKey = m.required("privateKey")
                .flatMap(n -> m.binder().string(n, m.path("privateKey"))).map(Path::of);
        m.finish();
        if (listen.isPresent() && listen.get().port() != 0 && listen.get().equals(plain)) {
            Node at = m.node("listen").orElseThrow();
            m.binder().errors.add(at, m.path("listen"), "the same address as server.listen",
                    "RTMPS needs a port of its own, e.g. 1936 (or 443)");
            return Optional.empty();
        }
        if (listen.isEmpty() || certificate.isEmpty() || privateKey.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ServerTlsConfig(listen.get(), certificate.get(), privateKey.get()));
    }

    static ApiConfig api(YamlMapping m) {
        Binder binder = m.binder();
        ListenAddress listen = m.listen("listen", ApiConfig.DEFAULT.listen());
        Optional<String> token = m.node("token").flatMap(n -> binder.string(n, m.path("token")).filter(t -> {
            if (t.length() < ApiConfig.MIN_TOKEN_CHARS || t.chars().anyMatch(Character::isWhitespace)) {
                // Never the token itself, nor its length: either helps whoever reads the log.
                binder.errors.add(n, m.path("token"), "a token is at least " + ApiConfig.MIN_TOKEN_CHARS
                        + " characters without spaces", "e.g. the output of: openssl rand -hex 24");
                return false;
            }
            return true;
        }));
        boolean insecure = m.bool("insecure", false);
        Optional<Path> stateFile = m.node("stateFile").flatMap(n -> binder.string(n, m.path("stateFile")))
                .map(Path::of);
        if (token.isEmpty() && m.node("token").isEmpty() && !insecure && !ApiConfig.loopback(listen.host())) {
            Node at = m.node("listen").orElse(m.at());
            binder.errors.add(at, m.path("listen"), listen + " is reachable from other machines and api.token is not set",
                    "set api.token (e.g. token: ${API_TOKEN}), or api.insecure: true to serve it without one");
        }
        m.finish();
        return new ApiConfig(listen, token, insecure, stateFile);
    }

    static LoggingConfig logging(YamlMapping m) {
        LoggingConfig logging = new LoggingConfig(m.choice("format", LoggingConfig.DEFAULT.format(), "log format",
                LoggingConfig.Format.values(), LoggingConfig.Format::configName));
        m.finish();
        return logging;
    }

    private static InboundLimits limits(YamlMapping m) {
        InboundLimits d = InboundLimits.DEFAULT;
        InboundLimits limits = new InboundLimits(
                m.bytes("maxMessageSize", d.maxMessageSizeBytes(), KIB, MAX_MESSAGE_SIZE),
                // Chunk stream ids run from 2 to 65599 (RTMP 5.3.1.1).
                (int) m.integer("maxChunkStreams", d.maxChunkStreams(), 2, 65_598),
                (int) m.bytes("maxIncomingChunkSize", d.maxIncomingChunkSizeBytes(), MIN_CHUNK_SIZE, MAX_MESSAGE_SIZE),
                (int) m.integer("maxStreamsPerConnection", d.maxStreamsPerConnection(), 1, 1024),
                // Below 16 KiB a burst of ordinary replies (connect's five) on a slow link could trip it.
                (int) m.bytes("maxControlBacklog", d.maxControlBacklogBytes(), 16 * KIB, 64 * KIB * KIB));
        m.finish();
        return limits;
    }

    private static GopCacheConfig gopCache(YamlMapping m) {
        GopCacheConfig d = GopCacheConfig.DEFAULT;
        GopCacheConfig gop = new GopCacheConfig(
                m.bool("enabled", d.enabled()),
                m.bytes("maxBytes", d.maxBytes(), 64 * KIB, GIB),
                m.duration("maxDuration", d.maxDuration(), SECOND, Duration.ofMinutes(5)));
        m.finish();
        return gop;
    }

    private static SubscriberQueueConfig subscriberQueue(YamlMapping m) {
        SubscriberQueueConfig d = SubscriberQueueConfig.DEFAULT;
        SubscriberQueueConfig queue = new SubscriberQueueConfig(
                m.bytes("maxBytes", d.maxBytes(), 64 * KIB, GIB),
                m.duration("maxDuration", d.maxDuration(), Duration.ofMillis(100), Duration.ofMinutes(5)),
                m.duration("stallTimeout", d.stallTimeout(), SECOND, HOUR));
        m.finish();
        return queue;
    }
}
