package io.loomcast.gateway.session;

import io.loomcast.gateway.hub.StreamHub;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTMP listener: accepts on one virtual thread and runs each connection's {@link ServerSession} on a
 * virtual thread of its own. Connections beyond {@link SessionSettings#maxConnections()} are closed at once.
 */
public final class RtmpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtmpServer.class);

    private final SessionSettings settings;
    private final StreamHub hub;
    private final ServerCounters counters;
    private final Watchdog watchdog;
    private final FanOut fanOut;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    /** The sessions by connection name, for the API's list and kicks. */
    private final Map<String, ServerSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private ServerSocketChannel listener;
    private Thread acceptor;

    public RtmpServer(SessionSettings settings, StreamHub hub, ServerCounters counters) {
        this.settings = settings;
        this.hub = hub;
        this.counters = counters;
        this.watchdog = new Watchdog(settings.idleTimeout(), settings.pingInterval(), settings.writeTimeout());
        this.fanOut = new FanOut(settings.mergeWrites());
    }

    /** Binds and starts accepting; returns the bound address (port 0 binds an ephemeral port). */
    public InetSocketAddress start(InetSocketAddress bind) throws IOException {
        listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(bind, 1024);
        InetSocketAddress bound = (InetSocketAddress) listener.getLocalAddress();
        acceptor = Thread.ofVirtual().name("rtmp-accept").start(this::acceptLoop);
        log.info("RTMP listening on {}:{}", bound.getAddress().getHostAddress(), bound.getPort());
        return bound;
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.warn("accept failed: {}", e.getMessage());
                continue;
            }
            try {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (open.size() >= settings.maxConnections()) {
                    counters.connectionsRejected.increment();
                    log.warn("refusing {}: {} connections open, limit {}", ch.getRemoteAddress(), open.size(),
                            settings.maxConnections());
                    ch.close();
                    continue;
                }
                Connection c = new Connection(ids.incrementAndGet(), ch);
                counters.connectionsAccepted.increment();
                open.add(c);
                ServerSession session = new ServerSession(c, settings, hub, counters, watchdog, fanOut);
                sessions.put(c.name(), session);
                Thread.ofVirtual().name(c.name()).start(() -> {
                    try {
                        session.run();
                    } finally {
                        sessions.remove(c.name());
                        open.remove(c);
                    }
                });
            } catch (IOException e) {
                log.warn("could not set up a connection: {}", e.getMessage());
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // Already failing; nothing more to do with it.
                }
            }
        }
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
        if (listener != null) {
            listener.close();
        }
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

    /** Closes the listener: no new connection, the open ones carry on. */
    public void stopAccepting() throws IOException {
        if (listener != null) {
            listener.close();
        }
    }

    /** Whether the listener accepts connections. */
    public boolean listening() {
        return listener != null && listener.isOpen();
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
        for (Connection c : open) {
            c.close("server shutting down");
        }
        watchdog.close();
    }
}
