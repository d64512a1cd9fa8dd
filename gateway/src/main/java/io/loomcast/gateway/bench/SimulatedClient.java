package io.loomcast.gateway.bench;

import io.loomcast.gateway.bench.BenchMetrics.Timing;
import io.loomcast.gateway.bench.FailureReason.Phase;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * What players and publishers share: connecting and timing it, the failure accounting, and the checks the
 * run's watchdog makes a few times per second.
 *
 * <p>Why a watchdog instead of socket read timeouts: a timed read on a virtual thread arms a timer for every
 * park, and a player parks for nearly every message it waits for. With 500 players that timer work was
 * half the bench's CPU (benchmarks/RESULTS.md, "bench"). So clients read with no timeout once connected,
 * and {@link #check} enforces the response and idle timeouts, to within the watchdog's period.
 */
abstract sealed class SimulatedClient implements Runnable permits Player, Publisher {
    protected final RtmpUrl url;
    protected final BenchSettings settings;
    protected final BenchMetrics metrics;
    protected final ClientRegistry registry;
    private final CountDownLatch finished;
    /** The run's client options with no socket read timeout: the watchdog times out instead. */
    private final ClientOptions options;
    private final long responseTimeoutNanos;
    private final long idleTimeoutNanos;

    private volatile Phase phase = Phase.CONNECT;
    private volatile long phaseSinceNanos;
    private volatile RtmpClient client;
    private volatile String expiredAs;
    private volatile String expiredBecause;
    /** Watchdog-only: the progress count it saw last, and since when it has not changed. */
    private long watchedProgress = -1;
    private long watchedSinceNanos;

    SimulatedClient(RtmpUrl url, BenchSettings settings, BenchMetrics metrics, ClientRegistry registry,
                    CountDownLatch finished) {
        this.url = url;
        this.settings = settings;
        this.metrics = metrics;
        this.registry = registry;
        this.finished = finished;
        this.options = settings.clientOptions().withReadTimeout(Duration.ZERO);
        this.responseTimeoutNanos = settings.clientOptions().responseTimeout().toNanos();
        this.idleTimeoutNanos = settings.idleTimeout().toNanos();
    }

    @Override
    public final void run() {
        long startNanos = System.nanoTime();
        phaseSinceNanos = startNanos;
        boolean failed = false;
        try {
            RtmpClient c = RtmpClient.connect(url, options);
            client = c;
            if (!registry.add(this)) {
                return;
            }
            metrics.record(Timing.CONNECT, c.timings().tcpNanos());
            metrics.record(Timing.HANDSHAKE, c.timings().handshakeNanos());
            enter(Phase.COMMAND);
            session(c, startNanos);
        } catch (IOException | RuntimeException e) {
            String expired = expiredAs;
            if (expired != null) {
                failed = true;
                metrics.fail(expired, new IOException(expiredBecause, e));
            } else if (!registry.stopping()) {
                failed = true;
                metrics.fail(FailureReason.of(phase, e), e);
            }
        } finally {
            RtmpClient c = client;
            if (c != null) {
                registry.remove(this);
            }
            boolean streamed = phase == Phase.STREAMING;
            if (streamed) {
                metrics.active.decrementAndGet();
            }
            ended(System.nanoTime(), streamed, failed);
            finished.countDown();
        }
    }

    /** createStream and play or publish, then stream until the connection closes; calls {@link #streaming()}. */
    protected abstract void session(RtmpClient client, long startNanos) throws IOException;

    /** A count that grows while the client makes progress (bytes read or sent), for the idle check. */
    protected abstract long progress();

    /**
     * After the client's connection is gone.
     *
     * @param streamed whether it had started to play or publish
     * @param failed   whether it failed, rather than being closed by the end of the run
     */
    protected void ended(long nowNanos, boolean streamed, boolean failed) {}

    /** Play.Start or Publish.Start came: the client counts as connected. */
    protected final void streaming() {
        metrics.connected.incrementAndGet();
        metrics.active.incrementAndGet();
        enter(Phase.STREAMING);
    }

    private void enter(Phase next) {
        phaseSinceNanos = System.nanoTime();
        phase = next;
    }

    /** Called by the watchdog: a command unanswered past the response timeout, or no progress past the idle one. */
    final void check(long nowNanos) {
        switch (phase) {
            case CONNECT -> {
                // RtmpClient.connect applies the connect, handshake and response timeouts itself.
            }
            case COMMAND -> {
                if (nowNanos - phaseSinceNanos > responseTimeoutNanos) {
                    expire("timeout", "no answer to createStream, play or publish within "
                            + settings.clientOptions().responseTimeout().toMillis() + " ms");
                }
            }
            case STREAMING -> {
                long p = progress();
                if (p != watchedProgress) {
                    watchedProgress = p;
                    watchedSinceNanos = nowNanos;
                } else if (idleTimeoutNanos > 0 && nowNanos - watchedSinceNanos > idleTimeoutNanos) {
                    expire("idle", "no progress (bytes in, or media out) for " + settings.idleTimeout().toMillis()
                            + " ms");
                }
            }
        }
    }

    private void expire(String reason, String because) {
        if (expiredAs == null) {
            expiredBecause = because;
            expiredAs = reason;
            close();
        }
    }

    /** Closes the connection, which wakes the client's thread from any read or write. */
    final void close() {
        RtmpClient c = client;
        if (c != null) {
            c.close();
        }
    }
}
