package io.loomcast.gateway.routing;

import io.loomcast.gateway.config.PullConfig;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.hub.Publication;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.AudioMessage;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.MessageCodec;
import io.loomcast.gateway.protocol.message.StreamEof;
import io.loomcast.gateway.protocol.message.StreamMessage;
import io.loomcast.gateway.protocol.message.VideoMessage;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.Ingest;
import io.loomcast.gateway.session.RtmpClient;
import io.loomcast.gateway.session.SelectorReads;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pull: plays a stream from an upstream server and is the source of the local hub stream, where local
 * players, pushes and transcoders take it like any publisher's. When the upstream's publisher leaves
 * (UnpublishNotify or Stream EOF) the local source ends too, and a new one starts when media flows again,
 * so the hub re-bases the timeline; when the connection fails it reconnects with backoff. {@code always}
 * pulls run from the start; {@code onDemand} pulls run while the stream has players, and stop
 * {@code relay.onDemandIdle} after the last one leaves.
 *
 * <p>With several upstreams, each start tries them in order. When the one in use fails, mid-stream or at
 * connect, the next is tried at once (the failed one comes last); only a whole round of failures waits for
 * the backoff delay, and {@code maxAttempts} counts such rounds. Each connection is a new source of the
 * stream, so players see one monotonic timeline across a failover.
 */
final class PullRunner {
    private static final Logger log = LoggerFactory.getLogger(PullRunner.class);
    /** How often a pull read by a selector looks at whether its upstream has gone quiet. */
    private static final long CHECK_NANOS = 1_000_000_000L;

    private final String stream;
    private final PullConfig config;
    private final List<RtmpUrl> urls;
    private final List<String> shownUrls;
    private final StreamHub hub;
    private final RelaySettings settings;
    /** Called once an on-demand pull has been idle past onDemandIdle; null keeps the runner waiting for players. */
    private final Runnable onIdle;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition demandChanged = lock.newCondition();
    private final LongAdder frames = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder unparsed = new LongAdder();
    private volatile int demand;
    private volatile long idleSinceNanos = System.nanoTime();
    private volatile RelayState state = RelayState.IDLE;
    private volatile String lastError = "";
    private volatile long connects;
    private volatile long failures;
    private volatile boolean running = true;
    private volatile RtmpClient client;
    /** Set when the idle check closed the connection: its end is a stop, not an upstream failure. */
    private volatile boolean idleStopped;
    /** The upstream in use, or tried next: an index into urls. */
    private volatile int current;
    private Thread thread;
    /** Reads the plain-TCP upstreams of every pull of the relay; null: each pull reads on its own thread. */
    private final SelectorReads reads;

    /** A pull of the upstreams {@code urls} (in order) into {@code stream}, for as long as the relay keeps it. */
    PullRunner(String stream, PullConfig config, List<RtmpUrl> urls, StreamHub hub, RelaySettings settings,
            SelectorReads reads, Runnable onIdle) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("a pull needs an upstream");
        }
        this.stream = stream;
        this.config = config;
        this.urls = List.copyOf(urls);
        this.shownUrls = urls.stream().map(RtmpUrl::toString).toList();
        this.hub = hub;
        this.settings = settings;
        this.onIdle = onIdle;
        this.reads = reads;
        this.demand = hub.find(stream).map(s -> s.demand()).orElse(0);
    }

    void start() {
        thread = Thread.ofVirtual().name("pull " + shownUrls.getFirst() + (urls.size() > 1 ? " (+" + (urls.size() - 1)
                + ")" : "") + " -> " + stream).start(this::run);
    }

    void stop() {
        running = false;
        RtmpClient c = client;
        if (c != null) {
            c.close();
        }
        thread.interrupt();
    }

    void awaitExit(Duration timeout) throws InterruptedException {
        thread.join(timeout);
    }

    void demand(int players) {
        lock.lock();
        try {
            if (players == 0 && demand > 0) {
                idleSinceNanos = System.nanoTime();
            }
            demand = players;
            demandChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Players (and held demand) of the stream now. */
    int demand() {
        return demand;
    }

    /**
     * Called by the relay's scanner: an on-demand pull with no players past the idle time stops; one with an
     * idle callback then tells the relay, which may drop it.
     */
    void checkIdle(long nowNanos) {
        if (config.mode() != PullConfig.Mode.ON_DEMAND || demand != 0
                || nowNanos - idleSinceNanos <= settings.relay().onDemandIdle().toNanos()) {
            return;
        }
        RtmpClient c = client;
        if (c != null) {
            log.info("pull {} -> {}: no players for {} ms, stopping", shownUrls.get(current), stream,
                    settings.relay().onDemandIdle().toMillis());
            idleStopped = true;
            client = null;
            c.close();
        }
        if (onIdle != null) {
            onIdle.run();
        }
    }

    RelayStatus status() {
        return new RelayStatus("pull", stream, shownUrls.get(current), state, connects, failures, lastError, frames.sum(),
                bytes.sum(), 0);
    }

    private void run() {
        Backoff backoff = new Backoff(config.reconnect(), ThreadLocalRandom.current());
        int failedInRound = 0;
        try {
            while (running) {
                if (config.mode() == PullConfig.Mode.ON_DEMAND && awaitDemand()) {
                    // A new start after idling: the upstreams are tried in order again.
                    current = 0;
                    failedInRound = 0;
                }
                if (!running) {
                    return;
                }
                boolean[] played = new boolean[1];
                try {
                    pullOnce(backoff, played);
                } catch (IOException e) {
                    if (!running) {
                        return;
                    }
                    if (idleStopped || client == null && config.mode() == PullConfig.Mode.ON_DEMAND && demand == 0) {
                        // Stopped for want of players (one may have come back since): start over, in order.
                        idleStopped = false;
                        state = RelayState.IDLE;
                        current = 0;
                        failedInRound = 0;
                        continue;
                    }
                    lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                    // After lastError: a status() that sees this failure counted also sees why.
                    failures++;
                    String failed = shownUrls.get(current);
                    // A connection that played starts a new round: the others are tried before it again.
                    failedInRound = played[0] ? 1 : failedInRound + 1;
                    current = (current + 1) % urls.size();
                    if (failedInRound < urls.size()) {
                        log.warn("pull {} -> {}: {}; failing over to {}", failed, stream, lastError,
                                shownUrls.get(current));
                        continue;
                    }
                    failedInRound = 0;
                    Duration delay = backoff.nextDelay();
                    if (delay == null) {
                        state = RelayState.FAILED;
                        log.error("pull {} -> {}: giving up after {} failures; last: {}", failed, stream,
                                backoff.failures(), lastError);
                        return;
                    }
                    state = RelayState.BACKOFF;
                    log.warn("pull {} -> {}: {}; reconnecting {}in {} ms (failure {})", failed, stream, lastError,
                            urls.size() > 1 ? "to " + shownUrls.get(current) + " " : "", delay.toMillis(),
                            backoff.failures());
                    Thread.sleep(delay);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            state = RelayState.STOPPED;
        }
    }

    /** Waits for a player; returns whether it had to wait (the pull was idle). */
    private boolean awaitDemand() throws InterruptedException {
        lock.lock();
        try {
            boolean waited = demand == 0;
            if (waited) {
                state = RelayState.IDLE;
            }
            while (running && demand == 0) {
                demandChanged.await();
            }
            return waited;
        } finally {
            lock.unlock();
        }
    }

    /** One connection to the current upstream; {@code played[0]} becomes true once it plays. */
    private void pullOnce(Backoff backoff, boolean[] played) throws IOException {
        idleStopped = false;
        state = RelayState.CONNECTING;
        RtmpUrl url = urls.get(current);
        String shownUrl = shownUrls.get(current);
        ClientOptions options = settings.client().withReadTimeout(settings.client().readTimeout());
        options = config.tls().isPresent() ? options.withCaFile(config.tls().get().caFile()) : options;
        RtmpClient c = RtmpClient.connect(url, options);
        client = c;
        Feed feed = new Feed(shownUrl);
        try {
            int streamId = c.createStream();
            c.play(streamId, url.streamName(), -1);
            connects++;
            played[0] = true;
            backoff.reset();
            lastError = "";
            state = RelayState.LIVE;
            log.info("pull {} -> {}: playing (connection {})", shownUrl, stream, connects);
            if (reads != null && c.canSelect()) {
                pullSelected(c, feed);
            } else {
                while (running) {
                    feed.handle(c.read());
                }
            }
        } finally {
            feed.end("pull connection closed");
            c.close();
        }
    }

    /**
     * Plain TCP: the relay's selector threads read the upstream and feed the stream where they read it, so a
     * frame wakes no thread of this pull's (issue 13, "Relay"). This thread waits for the connection's end, and
     * ends it itself when the upstream sends nothing for the read timeout, as a blocking read would.
     */
    private void pullSelected(RtmpClient c, Feed feed) throws IOException {
        Thread me = Thread.currentThread();
        AtomicReference<IOException> ended = new AtomicReference<>();
        reads.add(c, new SelectorReads.Reader() {
            @Override
            public void message(RawMessage raw) throws IOException {
                feed.handle(MessageCodec.decode(raw));
            }

            @Override
            public void ended(IOException cause) {
                ended.compareAndSet(null, cause != null ? cause : new EOFException("the upstream closed the connection"));
                LockSupport.unpark(me);
            }
        });
        long timeoutNanos = settings.client().readTimeout().toNanos(); // 0: wait forever
        long lastBytes = c.bytesRead();
        long lastProgress = System.nanoTime();
        while (running) {
            IOException end = ended.get();
            if (end != null) {
                throw end;
            }
            LockSupport.parkNanos(this, timeoutNanos == 0 ? CHECK_NANOS : Math.min(timeoutNanos, CHECK_NANOS));
            if (Thread.interrupted()) {
                throw new InterruptedIOException("pull stopped");
            }
            long now = System.nanoTime();
            long bytesRead = c.bytesRead();
            if (bytesRead != lastBytes) {
                lastBytes = bytesRead;
                lastProgress = now;
            } else if (timeoutNanos > 0 && now - lastProgress > timeoutNanos) {
                c.close();
                throw new SocketTimeoutException("nothing from the upstream for %d ms".formatted(
                        settings.client().readTimeout().toMillis()));
            }
        }
    }

    /**
     * What one connection feeds the hub: the local source, made when media first flows and ended when the
     * upstream's publisher leaves. Called by one reading thread at a time; the lock keeps the connection's end,
     * on the pull's own thread, from crossing a message being handled on a selector thread.
     */
    private final class Feed {
        private final ReentrantLock lock = new ReentrantLock();
        private final String shownUrl;
        private Publication publication;
        private Ingest ingest;
        private boolean ended;

        Feed(String shownUrl) {
            this.shownUrl = shownUrl;
        }

        void handle(Message m) throws IOException {
            lock.lock();
            try {
                if (ended) {
                    return;
                }
                switch (m) {
                    case StreamMessage s when isMedia(s) -> {
                        if (publication == null) {
                            publication = hub.publish(stream, "pull " + shownUrl).orElseThrow(
                                    () -> new IOException(stream + " already has a source; the pull cannot feed it"));
                            ingest = new Ingest(publication, "pull " + shownUrl, unparsed);
                        }
                        ingest.accept(s);
                        frames.increment();
                        bytes.add(payloadBytes(s));
                    }
                    case CommandMessage cmd when cmd.name().equals(CommandMessage.ON_STATUS) -> {
                        String code = cmd.infoField("code").orElse("");
                        if (code.equals("NetStream.Play.UnpublishNotify") || code.equals("NetStream.Play.Stop")) {
                            publication = endSource(publication, "upstream " + code);
                            ingest = null;
                        } else if (cmd.infoField("level").orElse("").equals("error")) {
                            throw new IOException("upstream refused play: " + code);
                        }
                    }
                    case StreamEof eof -> {
                        publication = endSource(publication, "upstream Stream EOF");
                        ingest = null;
                    }
                    default -> { }
                }
            } finally {
                lock.unlock();
            }
        }

        void end(String why) {
            lock.lock();
            try {
                ended = true;
                publication = endSource(publication, why);
                ingest = null;
            } finally {
                lock.unlock();
            }
        }
    }

    private Publication endSource(Publication p, String why) {
        if (p != null) {
            log.info("pull {} -> {}: source ended ({})", shownUrls.get(current), stream, why);
            p.close();
        }
        return null;
    }

    private static boolean isMedia(StreamMessage s) {
        return switch (s) {
            case AudioMessage a -> true;
            case VideoMessage v -> true;
            case io.loomcast.gateway.protocol.message.DataMessage d -> true;
            case io.loomcast.gateway.protocol.message.AggregateMessage a -> true;
            default -> false;
        };
    }

    private static long payloadBytes(StreamMessage s) {
        return switch (s) {
            case AudioMessage a -> a.data().length;
            case VideoMessage v -> v.data().length;
            default -> 0;
        };
    }

}
