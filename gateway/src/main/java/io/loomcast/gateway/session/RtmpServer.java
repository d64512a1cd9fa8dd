package io.loomcast.gateway.session;

import io.loomcast.gateway.auth.Authenticator;
import io.loomcast.gateway.config.ServerTlsConfig;
import io.loomcast.gateway.hub.StreamHub;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTMP listener, and the RTMPS one when asked for: each accepts on a virtual thread of its own and runs
 * each connection's {@link ServerSession} on a virtual thread of its own. Every accepted socket passes the
 * {@link AcceptGate} (address rules, total and per-address limits) before a byte is read; a refused one is
 * closed at once. TLS handshakes run in the session's thread, under its handshake deadline, never in the
 * accept loop.
 */
public final class RtmpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtmpServer.class);
    /** How often the certificate files are checked for changes. */
    private static final Duration CERTIFICATE_POLL = Duration.ofSeconds(1);
    /** How long accepting rests after a failed accept (nginx: 500 ms); connections wait in the backlog. */
    private static final Duration ACCEPT_PAUSE = Duration.ofMillis(100);

    private final SessionSettings settings;
    private final StreamHub hub;
    private final ServerCounters counters;
    private final Watchdog watchdog;
    private final FanOut fanOut;
    private final AtomicReference<Authenticator> auth;
    private final AcceptGate gate;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    /** The sessions by connection name, for the API's list and kicks. */
    private final Map<String, ServerSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private ServerSocketChannel listener;
    private ServerSocketChannel tlsListener;
    private ServerTls tls;
    /** The selector threads that read publishers once they publish; made with the plain listener. */
    private volatile SelectorReads ingestReads;
    /** Why an accept loop ended other than by closing, or null. */
    private volatile Throwable acceptDied;

    public RtmpServer(SessionSettings settings, StreamHub hub, ServerCounters counters) {
        this(settings, hub, counters, Authenticator.OPEN);
    }

    /** @param auth the address, publish and play rules; {@link #authenticator(Authenticator)} swaps them */
    public RtmpServer(SessionSettings settings, StreamHub hub, ServerCounters counters, Authenticator auth) {
        this.settings = settings;
        this.hub = hub;
        this.counters = counters;
        this.auth = new AtomicReference<>(auth);
        this.gate = new AcceptGate(settings.maxConnections(), settings.maxConnectionsPerIp(),
                () -> this.auth.get().addresses(), counters);
        this.watchdog = new Watchdog(settings.idleTimeout(), settings.pingInterval(), settings.writeTimeout());
        this.fanOut = new FanOut(settings.mergeWrites());
    }

    /** Binds and starts accepting; returns the bound address (port 0 binds an ephemeral port). */
    public InetSocketAddress start(InetSocketAddress bind) throws IOException {
        // One selector thread per core reads the plain listener's publishers; RTMPS sessions read on their own.
        ingestReads = new SelectorReads(Runtime.getRuntime().availableProcessors(), "ingest-reads");
        listener = bind(bind);
        InetSocketAddress bound = (InetSocketAddress) listener.getLocalAddress();
        Thread.ofVirtual().name("rtmp-accept").start(() -> acceptLoop(listener, null));
        log.info("RTMP listening on {}:{}", bound.getAddress().getHostAddress(), bound.getPort());
        return bound;
    }

    /**
     * Loads the certificate, binds the RTMPS listener and starts accepting; the certificate files are then
     * watched for changes.
     *
     * @throws IOException when the certificate or key cannot be used, or the address cannot be bound
     */
    public InetSocketAddress startTls(ServerTlsConfig config) throws IOException {
        tls = new ServerTls(config);
        tlsListener = bind(config.listen().socketAddress());
        InetSocketAddress bound = (InetSocketAddress) tlsListener.getLocalAddress();
        Thread.ofVirtual().name("rtmps-accept").start(() -> acceptLoop(tlsListener, tls));
        tls.watch(CERTIFICATE_POLL);
        log.info("RTMPS listening on {}:{} ({})", bound.getAddress().getHostAddress(), bound.getPort(), tls.subject());
        return bound;
    }

    private static ServerSocketChannel bind(InetSocketAddress address) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(address, 1024);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    private void acceptLoop(ServerSocketChannel server, ServerTls certificates) {
        try {
            acceptUntilClosed(server, certificates);
        } catch (RuntimeException | Error e) {
            // Nothing accepts on this listener any more: say so loudly, and /readyz turns 503 so that the
            // process is replaced, instead of a live process that silently takes no connection.
            acceptDied = e;
            log.error("the accept loop died; this gateway takes no new connection", e);
        }
    }

    private void acceptUntilClosed(ServerSocketChannel server, ServerTls certificates) {
        long failingSince = 0;
        long failures = 0;
        while (server.isOpen()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // Out of file descriptors (EMFILE, ENFILE) or memory: accept fails at once until something
                // frees one, so pause instead of spinning, as nginx does, and log once per streak.
                failures++;
                if (failingSince == 0) {
                    failingSince = System.nanoTime();
                    log.warn("accept failed: {}; pausing accepts for {} ms at a time until it works again",
                            e.getMessage(), ACCEPT_PAUSE.toMillis());
                }
                counters.acceptFailures.increment();
                LockSupport.parkNanos(ACCEPT_PAUSE.toNanos());
                continue;
            }
            if (failingSince != 0) {
                log.info("accepting again after {} failed accepts over {} ms", failures,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - failingSince));
                failingSince = 0;
                failures = 0;
            }
            InetAddress peer;
            try {
                peer = ((InetSocketAddress) ch.getRemoteAddress()).getAddress();
            } catch (IOException e) {
                closeQuietly(ch);
                continue;
            }
            if (gate.admit(peer).isPresent()) {
                closeQuietly(ch);
                continue;
            }
            try {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                // The context of this moment: a reload later changes new connections only.
                SSLContext ctx = certificates == null ? null : certificates.context();
                Connection c = new Connection(ids.incrementAndGet(), ch, ctx);
                counters.connectionsAccepted.increment();
                open.add(c);
                ServerSession session = new ServerSession(c, settings, hub, counters, watchdog, auth::get, fanOut,
                        ingestReads);
                sessions.put(c.name(), session);
                Thread.ofVirtual().name(c.name()).start(() -> {
                    try {
                        session.run();
                    } finally {
                        sessions.remove(c.name());
                        open.remove(c);
                        gate.release(peer);
                    }
                });
            } catch (IOException | RuntimeException e) {
                gate.release(peer);
                log.warn("could not set up a connection: {}", e.getMessage());
                closeQuietly(ch);
            }
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // Refused or failing already; nothing more to do with it.
        }
    }

    /** New rules for connections and requests from now on; sessions already publishing or playing go on. */
    public void authenticator(Authenticator next) {
        auth.set(next);
    }

    /** The RTMPS certificate, when there is an RTMPS listener. */
    public Optional<ServerTls> tls() {
        return Optional.ofNullable(tls);
    }

    /** Every session now, oldest first. */
    public List<SessionInfo> sessions() {
        return sessions.values().stream().map(ServerSession::info)
                .sorted(Comparator.comparingLong(SessionInfo::startMillis).thenComparing(SessionInfo::id)).toList();
    }

    /**
     * Ends session {@code id} ({@code c42}), telling the peer {@code message} first (NetStream.Play.Stop or
     * NetStream.Unpublish.Success). Returns false when there is no such session.
     */
    public boolean kick(String id, String message) {
        ServerSession s = sessions.get(id);
        if (s == null) {
            return false;
        }
        log.info("{}: kicked by the operator: {}", id, message);
        s.end("kicked: " + message);
        return true;
    }

    /**
     * Stops accepting, tells every session that the server is going away and lets it flush, then closes what is
     * still open when {@code grace} is over.
     */
    public void shutdown(Duration grace) throws IOException {
        long deadline = System.nanoTime() + grace.toNanos();
        stopAccepting();
        sessions.values().forEach(s -> s.end("server shutting down"));
        while (!open.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20); // pacing the check of sessions that are flushing; each closes by itself
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    /** Closes the listeners (RTMP and RTMPS): no new connection, the open ones carry on. */
    public void stopAccepting() throws IOException {
        if (listener != null) {
            listener.close();
        }
        if (tlsListener != null) {
            tlsListener.close();
        }
    }

    /** Whether the listener accepts connections. */
    public boolean listening() {
        return listener != null && listener.isOpen() && acceptDied == null;
    }

    public int openConnections() {
        return open.size();
    }

    /** The stream flushers and their counters. */
    public FanOut fanOut() {
        return fanOut;
    }

    public ServerCounters counters() {
        return counters;
    }

    @Override
    public void close() throws IOException {
        if (listener != null) {
            listener.close();
        }
        if (tlsListener != null) {
            tlsListener.close();
        }
        if (tls != null) {
            tls.close();
        }
        for (Connection c : open) {
            c.close("server shutting down");
        }
        watchdog.close();
        if (ingestReads != null) {
            ingestReads.close();
        }
    }
}
