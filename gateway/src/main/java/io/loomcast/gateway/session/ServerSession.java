package io.loomcast.gateway.session;

import io.loomcast.gateway.auth.Authenticator;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.protocol.PeerClosedException;
import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.chunk.AckWindow;
import io.loomcast.gateway.protocol.chunk.ChunkReader;
import io.loomcast.gateway.protocol.chunk.ControlReply;
import io.loomcast.gateway.protocol.chunk.PeerBandwidth;
import io.loomcast.gateway.protocol.chunk.ProtocolControl;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.handshake.Handshake;
import io.loomcast.gateway.protocol.handshake.HandshakeOptions;
import io.loomcast.gateway.protocol.handshake.HandshakeResult;
import io.loomcast.gateway.protocol.message.Abort;
import io.loomcast.gateway.protocol.message.Acknowledgement;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.ControlMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.MessageCodec;
import io.loomcast.gateway.protocol.message.PingRequest;
import io.loomcast.gateway.protocol.message.SetChunkSize;
import io.loomcast.gateway.protocol.message.SetPeerBandwidth;
import io.loomcast.gateway.protocol.message.StreamMessage;
import io.loomcast.gateway.protocol.message.UserControlEvent;
import io.loomcast.gateway.protocol.message.WindowAcknowledgementSize;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to our RTMP server, on its own virtual thread: handshake, then a plain loop of
 * read a message, decode it, act on it. Protocol control is applied by {@link ProtocolControl} (the one
 * place chunk size, windows and acks change); commands go to the {@link CommandHandler}; a publisher's
 * media goes to its hub stream. A second virtual thread runs the connection's {@link Outbound} writer, until the
 * session publishes or plays: a selector then reads it, and this thread does the writing as well
 * ({@link SelectedReads}), so a steady session holds one virtual thread.
 *
 * <p>Every way a session ends goes through one catch, which logs the reason once at a level that fits.
 */
public final class ServerSession implements Runnable, Watchdog.Watched {
    private static final Logger log = LoggerFactory.getLogger(ServerSession.class);
    private static final String PEER_GONE = "peer went away";

    private final Connection connection;
    private final SessionSettings settings;
    private final ServerCounters counters;
    private final Watchdog watchdog;
    private final Outbound outbound;
    private final CommandHandler commands;
    /** The selector threads that read publishers, or null to read every connection on its own thread. */
    private final SelectorReads ingestReads;
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    private volatile long handshakeDeadlineNanos;
    /**
     * The connection's writer thread once the handshake is done; null again when this session's own thread took
     * its place ({@link SelectedReads}). Only this session's thread touches it.
     */
    private Thread writer;
    private boolean writerStarted;

    /** @param auth the current publish and play rules (swapped whole on reload) */
    public ServerSession(Connection connection, SessionSettings settings, StreamHub hub, ServerCounters counters,
            Watchdog watchdog, Supplier<Authenticator> auth, FanOut fanOut, SelectorReads ingestReads) {
        this.connection = connection;
        this.ingestReads = ingestReads;
        this.settings = settings;
        this.counters = counters;
        this.watchdog = watchdog;
        this.outbound = new Outbound(connection, settings.maxControlBacklogBytes(), counters, fanOut,
                settings.mergeWrites().toNanos());
        this.commands = new CommandHandler(connection, settings, hub, outbound, counters,
                new StreamAdmission(connection, auth, counters));
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public long handshakeDeadlineNanos() {
        return handshakeDeadlineNanos;
    }

    /** What this session is doing now; any thread. */
    public SessionInfo info() {
        var activities = commands.activities();
        String kind = activities.isEmpty() ? "connected"
                : activities.stream().anyMatch(a -> a.publishing()) ? "publisher" : "player";
        return new SessionInfo(connection.name(), connection.remote(), kind,
                activities.stream().map(a -> a.path()).distinct().toList(), startMillis, connection.bytesRead(),
                connection.bytesWritten());
    }

    /**
     * Ends the session from another thread, telling the peer why first: each NetStream gets a status with
     * {@code reason}, the writer flushes it, then the connection closes with {@code reason} in the log.
     */
    public void end(String reason) {
        commands.farewell(reason);
        connection.closeAfterFlush(reason);
    }

    @Override
    public void ping() {
        long uptimeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        outbound.send(Replies.raw(new PingRequest(uptimeMs & 0xFFFF_FFFFL)));
    }

    @Override
    public void run() {
        String name = connection.name();
        handshakeDeadlineNanos = System.nanoTime() + settings.handshakeTimeout().toNanos() + 1;
        watchdog.watch(this);
        String outcome;
        String doing = "";
        boolean quiet = false;
        boolean timedOut = false;
        boolean tlsDone = !connection.isTls();
        try {
            if (!tlsDone) {
                // The TLS handshake spends from the same budget as the RTMP one after it.
                connection.readTimeoutMillis((int) Math.max(1, settings.handshakeTimeout().toMillis()));
                connection.startTls();
                tlsDone = true;
            }
            HandshakeResult hs = Handshake.server(connection.input(), connection.handshakeOutput(),
                    HandshakeOptions.defaults().withTimeout(remainingHandshake()), connection::readTimeoutMillis);
            connection.readTimeoutMillis(0);
            handshakeDeadlineNanos = 0;
            log.debug("{}: handshake done from {} ({}{})", name, connection.remote(), hs.mode(),
                    connection.isTls() ? ", " + connection.tlsProtocol() : "");
            writerStarted = true;
            writer = Thread.ofVirtual().name(name + "-writer").start(this::runWriter);
            readLoop();
            outcome = commands.closingReason() != null ? commands.closingReason() : "closed by peer";
        } catch (PeerClosedException e) {
            timedOut = countIfHandshakeDeadline();
            outcome = connection.closeReason() != null ? connection.closeReason() : "closed by peer: " + e.getMessage();
            quiet = connection.closeReason() == null && handshakeDeadlineNanos == 0;
        } catch (ProtocolException e) {
            (handshakeDeadlineNanos != 0 ? counters.handshakeFailures : counters.protocolErrors).increment();
            outcome = "protocol error: " + e.getMessage();
        } catch (SocketTimeoutException e) {
            counters.handshakeFailures.increment();
            counters.refused(Refusal.HANDSHAKE_TIMEOUT);
            outcome = (tlsDone ? "handshake" : "TLS handshake") + " timed out: " + e.getMessage();
            timedOut = true;
        } catch (SSLException e) {
            if (countIfHandshakeDeadline()) {
                outcome = Watchdog.HANDSHAKE_DEADLINE + " (TLS)";
                timedOut = true;
            } else {
                counters.handshakeFailures.increment();
                counters.refused(Refusal.TLS_HANDSHAKE_FAILED);
                outcome = "TLS " + (tlsDone ? "error: " : "handshake failed: ") + e.getMessage();
            }
        } catch (IOException e) {
            timedOut = countIfHandshakeDeadline();
            if (connection.closeReason() == null && handshakeDeadlineNanos == 0 && resetByPeer(e)) {
                outcome = PEER_GONE + " (" + e.getMessage() + ")";
            } else {
                outcome = connection.closeReason() != null ? connection.closeReason() : "I/O error: " + e.getMessage();
            }
        } catch (RuntimeException e) {
            outcome = "internal error: " + e;
            log.error("{}: session failed", name, e);
        } finally {
            doing = commands.describe();
            commands.close();
            watchdog.forget(this);
        }
        String reason = connection.closeReason();
        if (reason != null && !outcome.equals(reason) && !outcome.startsWith("protocol error")) {
            outcome = reason;
        }
        finishWriter();
        connection.close(outcome);
        counters.bytesIn.add(connection.bytesRead());
        counters.bytesOut.add(connection.bytesWritten());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        // The session's one closing line: peer, what it did, how long, how many bytes, why it ended.
        boolean ordinary = quiet || outcome.startsWith(PEER_GONE) || outcome.startsWith("server shutting down")
                || outcome.startsWith("kicked");
        org.slf4j.event.Level level = ordinary ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.WARN;
        String more = "";
        if (timedOut) {
            // Port scanners and half-open floods: counted, and logged one a second, saying how many more.
            long skipped = watchdog.handshakeTimeouts().next();
            level = skipped >= 0 ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.DEBUG;
            more = BurstLog.since(skipped, "handshake timeouts");
        }
        log.atLevel(level)
                .addKeyValue("session", name).addKeyValue("peer", connection.remote())
                .addKeyValue("durationMs", ms).addKeyValue("bytesIn", connection.bytesRead())
                .addKeyValue("bytesOut", connection.bytesWritten()).addKeyValue("reason", outcome)
                .log("{}: closed {} after {} ms: {} ({} in, {} out){}{}", name, connection.remote(), ms, outcome,
                        connection.bytesRead(), connection.bytesWritten(), doing, more);
    }

    /**
     * Counts a handshake the watchdog cut off at its deadline (the blocked read then fails with whatever the
     * closed socket gives). Such peers are the commonest noise on a public port, so they are logged at INFO.
     */
    private boolean countIfHandshakeDeadline() {
        if (handshakeDeadlineNanos != 0 && Watchdog.HANDSHAKE_DEADLINE.equals(connection.closeReason())) {
            counters.handshakeFailures.increment();
            counters.refused(Refusal.HANDSHAKE_TIMEOUT);
            return true;
        }
        return false;
    }

    /** What is left of the handshake budget after TLS took its share; at least a millisecond. */
    private java.time.Duration remainingHandshake() {
        return java.time.Duration.ofNanos(Math.max(1_000_000, handshakeDeadlineNanos - System.nanoTime()));
    }

    private void runWriter() {
        try {
            outbound.run();
        } catch (IOException e) {
            connection.close(PEER_GONE + " while we were writing (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The peer reset the connection, as a read reports it. Clients reset more often than they close: ffmpeg
     * sends FCUnpublish and deleteStream and closes with our replies unread, and unread bytes at close make
     * the kernel reset. The JDK has no exception type for it, so the message decides; an unmatched one is
     * merely logged as a warning.
     */
    private static boolean resetByPeer(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.equals("Connection reset") || m.equals("Connection reset by peer");
    }

    /**
     * Lets the writer flush what control is queued (a final status), briefly, then closes. When this thread was
     * the writer (a selector read the session), a writer thread is started again for that.
     */
    private void finishWriter() {
        if (!writerStarted) {
            return;
        }
        Thread writer = this.writer;
        if (writer == null) {
            writer = Thread.ofVirtual().name(connection.name() + "-writer").start(this::runWriter);
        }
        outbound.finish();
        try {
            if (!writer.join(java.time.Duration.ofSeconds(1))) {
                connection.close("writer did not finish");
                writer.join(java.time.Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readLoop() throws IOException {
        ChunkReader reader = new ChunkReader(connection.input(), settings.chunkLimits());
        AckWindow ackWindow = new AckWindow();
        PeerBandwidth bandwidth = new PeerBandwidth(settings.windowAckSizeBytes());
        ProtocolControl control = new ProtocolControl(reader, settings.chunkLimits(), ackWindow, bandwidth);
        while (!commands.closing()) {
            if (ingestReads != null && !connection.isTls() && !commands.activities().isEmpty()) {
                new SelectedReads(reader, control).run();
                return;
            }
            handle(control, MessageCodec.decode(reader.read()));
        }
    }

    private void handle(ProtocolControl control, Message m) throws IOException {
        switch (m) {
            case ControlMessage c -> onControl(control, c);
            case UserControlEvent e -> onUserControl(e);
            case CommandMessage c -> commands.onCommand(c);
            case StreamMessage s -> commands.onStreamMessage(s);
        }
        control.acknowledgementDue(connection.bytesRead()).ifPresent(this::sendControlReply);
    }

    /**
     * A session's reading once it publishes or plays: a selector thread reads the socket and hands media, data and
     * protocol control on where it reads them, so a frame costs no poller hop and no virtual-thread wake-up
     * (issue 13, "Relay"). A command (FCUnpublish, deleteStream, a play) pauses the reading and comes back to
     * the session's own thread, which runs it, takes whatever else is buffered, and resumes the reading.
     * So the session's thread never runs beside the selector's, and every command runs where it may block
     * (an auth callback, say). How the reading ends, the failure or the peer's close, comes back the same way.
     *
     * <p>The socket is non-blocking from then on, which is what lets a player's stream flusher write without ever
     * waiting on it ({@link Outbound#flushDirect}); a write that must wait for room is woken by the same selector.
     *
     * <p>The session's thread also takes over the writer thread's job ({@link Outbound#serve}): it waits for
     * something to write or a command, whichever comes first. A command that blocks (a play whose auth callback
     * is slow) holds what this thread would write meanwhile: control, and media of players that fell behind. A
     * player that keeps up is still written by its stream's flusher, unless control waits for this connection.
     */
    private final class SelectedReads implements SelectorReads.Target {
        private final ChunkReader reader;
        private final ProtocolControl control;
        /** Set by the selector thread, taken by the session's; the pause in between orders them. */
        private volatile Message handedOver;
        private volatile Exception failure;
        /** Whether the session's thread has the reader: set when handing over, cleared before resuming. */
        private volatile boolean paused;

        SelectedReads(ChunkReader reader, ProtocolControl control) {
            this.reader = reader;
            this.control = control;
        }

        void run() throws IOException {
            reader.detach();
            if (!drain()) {
                return;
            }
            SelectorReads.Handle handle = ingestReads.add(connection.nonBlocking(), this);
            connection.writeRoom(handle);
            try {
                takeOverWriting();
                while (true) {
                    serve();
                    Message m = handedOver;
                    handedOver = null;
                    if (m == null) {
                        if (failure == null) {
                            return; // the writer was told to finish: the session is ending anyway
                        }
                        throw rethrow(failure);
                    }
                    handle(control, m);
                    if (!drain()) {
                        return;
                    }
                    paused = false; // a volatile write: what this thread did to the reader happens before the next read
                    handle.resume();
                }
            } finally {
                connection.writeRoom(null);
                handle.cancel();
            }
        }

        /**
         * This thread writes from now on, as well as running commands: the writer thread hands over and ends.
         * A player or a publisher then costs one virtual thread; its reads cost none.
         */
        private void takeOverWriting() throws IOException {
            Thread w = writer;
            outbound.handOver();
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("the session's thread was interrupted");
            }
            writer = null;
        }

        /** Writes what is queued until the selector hands a command or the end over. */
        private void serve() throws IOException {
            try {
                outbound.serve(() -> handedOver != null || failure != null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("the session's thread was interrupted");
            } catch (IOException e) {
                connection.close(PEER_GONE + " while we were writing (" + e.getMessage() + ")");
                throw e;
            }
        }

        /** Runs what the reader holds already, here; false when a command ended the session. */
        private boolean drain() throws IOException {
            for (RawMessage raw; !commands.closing() && (raw = reader.tryRead()) != null; ) {
                handle(control, MessageCodec.decode(raw));
            }
            return !commands.closing();
        }

        @Override
        public boolean readable(SelectorReads.Handle self, ByteBuffer scratch) {
            if (paused) {
                return true; // the session's thread has the reader (a key's readiness can outlive its pause)
            }
            try {
                int n = connection.readSome(scratch);
                if (n < 0) {
                    hand(self, null, reader.endOfInput());
                    return true;
                }
                scratch.flip();
                reader.feed(scratch);
                for (RawMessage raw; (raw = reader.tryRead()) != null; ) {
                    Message m = MessageCodec.decode(raw);
                    if (m instanceof CommandMessage) {
                        hand(self, m, null);
                        return true;
                    }
                    handle(control, m);
                }
            } catch (IOException | RuntimeException e) {
                hand(self, null, e);
            }
            return true;
        }

        @Override
        public void ended(IOException cause) {
            if (failure == null && handedOver == null) {
                hand(null, null, cause != null ? cause : new PeerClosedException("connection closed"));
            }
        }

        /**
         * Stops the reading and wakes the session's thread (waiting in {@link Outbound#serve}) with {@code m} to
         * run, or {@code e} to end with.
         */
        private void hand(SelectorReads.Handle self, Message m, Exception e) {
            paused = true;
            if (self != null) {
                self.pause();
            }
            if (e != null) {
                failure = e;
            } else {
                handedOver = m;
            }
            outbound.wakeUp();
        }

        private static IOException rethrow(Exception e) {
            if (e instanceof RuntimeException r) {
                throw r;
            }
            return (IOException) e;
        }
    }

    private void onControl(ProtocolControl control, ControlMessage c) throws ProtocolException {
        switch (c) {
            case SetChunkSize s -> control.onSetChunkSize(s.sizeBytes());
            case Abort a -> control.onAbort(a.chunkStreamId());
            case Acknowledgement a -> control.onAcknowledgement(a.sequenceNumber());
            case WindowAcknowledgementSize w -> control.onWindowAckSize(clampToInt(w.windowBytes()));
            case SetPeerBandwidth p -> control.onSetPeerBandwidth(clampToInt(p.windowBytes()), p.limitType().wireValue())
                    .ifPresent(this::sendControlReply);
        }
    }

    private static int clampToInt(long v) {
        return (int) Math.min(v, Integer.MAX_VALUE);
    }

    private void sendControlReply(ControlReply r) {
        Message m = switch (r) {
            case ControlReply.WindowAckSize w -> new WindowAcknowledgementSize(w.windowBytes());
            case ControlReply.Acknowledgement a -> new Acknowledgement(a.sequenceNumber());
        };
        outbound.send(Replies.raw(m));
    }

    private void onUserControl(UserControlEvent e) {
        if (e instanceof PingRequest p) {
            outbound.send(Replies.raw(p.response()));
        }
        // Ping responses and buffer lengths need no action: any byte from the peer already counts as life.
    }
}
