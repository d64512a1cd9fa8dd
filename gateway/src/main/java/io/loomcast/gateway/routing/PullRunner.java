package io.loomcast.gateway.routing;

import io.loomcast.gateway.config.PullConfig;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.hub.Publication;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.protocol.message.AudioMessage;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.StreamEof;
import io.loomcast.gateway.protocol.message.StreamMessage;
import io.loomcast.gateway.protocol.message.VideoMessage;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.Ingest;
import io.loomcast.gateway.session.RtmpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
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
 */
final class PullRunner {
    private static final Logger log = LoggerFactory.getLogger(PullRunner.class);

    private final String stream;
    private final PullConfig config;
    private final RtmpUrl url;
    private final String shownUrl;
    private final StreamHub hub;
    private final RelaySettings settings;
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
    private Thread thread;

    PullRunner(String stream, PullConfig config, StreamHub hub, RelaySettings settings) {
        this.stream = stream;
        this.config = config;
        this.url = config.rtmpUrl();
        this.shownUrl = url.toString();
        this.hub = hub;
        this.settings = settings;
        this.demand = hub.find(stream).map(s -> s.demand()).orElse(0);
    }

    void start() {
        thread = Thread.ofVirtual().name("pull " + shownUrl + " -> " + stream).start(this::run);
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

    /** Called by the relay's scanner: an on-demand pull with no players past the idle time stops. */
    void checkIdle(long nowNanos) {
        RtmpClient c = client;
        if (config.mode() == PullConfig.Mode.ON_DEMAND && c != null && demand == 0
                && nowNanos - idleSinceNanos > settings.relay().onDemandIdle().toNanos()) {
            log.info("pull {} -> {}: no players for {} ms, stopping", shownUrl, stream,
                    settings.relay().onDemandIdle().toMillis());
            client = null;
            c.close();
        }
    }

    RelayStatus status() {
        return new RelayStatus("pull", stream, shownUrl, state, connects, failures, lastError, frames.sum(),
                bytes.sum(), 0);
    }

    private void run() {
        Backoff backoff = new Backoff(config.reconnect(), ThreadLocalRandom.current());
        try {
            while (running) {
                if (config.mode() == PullConfig.Mode.ON_DEMAND) {
                    awaitDemand();
                }
                if (!running) {
                    return;
                }
                try {
                    pullOnce(backoff);
                } catch (IOException e) {
                    if (!running) {
                        return;
                    }
                    if (client == null && config.mode() == PullConfig.Mode.ON_DEMAND && demand == 0) {
                        state = RelayState.IDLE;
                        continue;
                    }
                    failures++;
                    lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                    Duration delay = backoff.nextDelay();
                    if (delay == null) {
                        state = RelayState.FAILED;
                        log.error("pull {} -> {}: giving up after {} failures; last: {}", shownUrl, stream,
                                backoff.failures(), lastError);
                        return;
                    }
                    state = RelayState.BACKOFF;
                    log.warn("pull {} -> {}: {}; reconnecting in {} ms (failure {})", shownUrl, stream, lastError,
                            delay.toMillis(), backoff.failures());
                    Thread.sleep(delay);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            state = RelayState.STOPPED;
        }
    }

    private void awaitDemand() throws InterruptedException {
        lock.lock();
        try {
            state = RelayState.IDLE;
            while (running && demand == 0) {
                demandChanged.await();
            }
        } finally {
            lock.unlock();
        }
    }

    private void pullOnce(Backoff backoff) throws IOException {
        state = RelayState.CONNECTING;
        ClientOptions options = settings.client().withReadTimeout(settings.client().readTimeout());
        options = config.tls().isPresent() ? options.withCaFile(config.tls().get().caFile()) : options;
        RtmpClient c = RtmpClient.connect(url, options);
        client = c;
        Publication publication = null;
        try {
            int streamId = c.createStream();
            c.play(streamId, url.streamName(), -1);
            connects++;
            backoff.reset();
            lastError = "";
            state = RelayState.LIVE;
            log.info("pull {} -> {}: playing (connection {})", shownUrl, stream, connects);
            Ingest ingest = null;
            while (running) {
                Message m = c.read();
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
            }
        } finally {
            endSource(publication, "pull connection closed");
            c.close();
        }
    }

    private Publication endSource(Publication p, String why) {
        if (p != null) {
            log.info("pull {} -> {}: source ended ({})", shownUrl, stream, why);
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
