package io.loomcast.gateway.bench;

import io.loomcast.gateway.bench.BenchMetrics.Timing;
import io.loomcast.gateway.session.SelectorReads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Runs one benchmark: starts the clients at the ramp's pace, each on its own virtual thread, samples the
 * counters once per second, and at the duration's end (or when every client is done, or on
 * {@link #interrupt()}) closes them all and freezes what they measured.
 *
 * <p>In latency mode the players start first; the stamping publisher starts once each of them plays or has
 * failed, so no frame they receive is from before they joined.
 */
public final class Bench {
    /** How long the end of the run waits for clients to notice their closed sockets. */
    private static final long CLOSE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How often the watchdog checks the clients' response and idle timeouts. */
    private static final long WATCHDOG_PERIOD_MS = 250;

    private final BenchSettings settings;
    private final Consumer<Sample> progress;
    private final BenchMetrics metrics = new BenchMetrics();
    private final ClientRegistry registry = new ClientRegistry();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private Optional<Ticker> ticker = Optional.empty();
    /** Reads the players once they play (exact timing); one selector thread per processor the bench may use. */
    private SelectorReads reads;
    private final List<Sample> timeline = Collections.synchronizedList(new ArrayList<>());
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private volatile boolean interrupted;
    private long startNanos;
    private long lastSampleNanos;
    private long lastCpuNanos;
    private long lastBytesIn;
    private long lastBytesOut;

    /** @param progress receives a sample once per second, on the sampling thread */
    public Bench(BenchSettings settings, Consumer<Sample> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Ends the run early (Ctrl-C): {@link #run()} then returns what was measured so far. */
    public void interrupt() {
        interrupted = true;
        stopRequested.countDown();
    }

    /** Runs to the end and returns the figures. */
    public BenchResult run() throws InterruptedException {
        Warmup.handshakes();
        Instant startedAt = Instant.now();
        startNanos = System.nanoTime();
        lastSampleNanos = startNanos;
        long cpuAtStart = os.getProcessCpuTime();
        lastCpuNanos = cpuAtStart;
        timeline.add(sample());
        if (!settings.readInterval().isZero()) {
            ticker = Optional.of(new Ticker(settings.readInterval().toNanos()));
        } else if (settings.players() > 0) {
            try {
                reads = new SelectorReads(Runtime.getRuntime().availableProcessors(), "bench-reads");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a selector", e);
            }
        }
        long endNanos = startNanos + settings.duration().toNanos();
        int total = settings.players() + settings.publishers();
        CountDownLatch finished = new CountDownLatch(total);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> {
            Sample s = sample();
            timeline.add(s);
            progress.accept(s);
        }, 1, 1, TimeUnit.SECONDS);
        sampler.scheduleAtFixedRate(() -> registry.check(System.nanoTime()), WATCHDOG_PERIOD_MS, WATCHDOG_PERIOD_MS,
                TimeUnit.MILLISECONDS);
        try {
            switch (settings.mode()) {
                case PLAY -> ramp(settings.clients(), endNanos, finished, null);
                case PUBLISH -> ramp(settings.clients(), endNanos, finished, null);
                case LATENCY -> {
                    CountDownLatch settled = new CountDownLatch(settings.players());
                    ramp(settings.players(), endNanos, finished, settled);
                    boolean ready = awaitUntil(settled, endNanos);
                    if (ready && stopRequested.getCount() > 0) {
                        start("bench-publisher-0", new Publisher(settings.url().expand(0), settings, metrics,
                                registry, finished));
                    } else {
                        finished.countDown();
                    }
                }
            }
            awaitUntil(finished, endNanos);
        } finally {
            registry.stopAll();
            finished.await(CLOSE_GRACE_NANOS, TimeUnit.NANOSECONDS);
            sampler.shutdownNow();
            sampler.awaitTermination(1, TimeUnit.SECONDS);
            if (ticker.isPresent()) {
                ticker.get().close();
            }
            if (reads != null) {
                reads.close();
            }
        }
        long endedNanos = System.nanoTime();
        timeline.add(sample());
        return result(startedAt, endedNanos, os.getProcessCpuTime() - cpuAtStart);
    }

    /**
     * Starts {@code count} clients at the ramp's pace; the ramp ends early at the run's end or on a stop,
     * and the clients it never started are counted as finished.
     */
    private void ramp(int count, long endNanos, CountDownLatch finished, CountDownLatch settled)
            throws InterruptedException {
        double rate = settings.rampPerSecond();
        CountDownLatch noSettling = new CountDownLatch(count);
        CountDownLatch settle = settled != null ? settled : noSettling;
        for (int i = 0; i < count; i++) {
            long due = rate == 0 ? startNanos : startNanos + (long) (i * 1e9 / rate);
            long wait = Math.min(due, endNanos) - System.nanoTime();
            boolean stop = wait > 0 ? stopRequested.await(wait, TimeUnit.NANOSECONDS)
                    : stopRequested.getCount() == 0;
            if (stop || System.nanoTime() - endNanos >= 0) {
                for (int left = i; left < count; left++) {
                    finished.countDown();
                    settle.countDown();
                }
                return;
            }
            metrics.started.incrementAndGet();
            if (settings.mode() == BenchMode.PUBLISH) {
                start("bench-publisher-" + i, new Publisher(settings.url().expand(i), settings, metrics, registry,
                        finished));
            } else {
                start("bench-player-" + i, new Player(settings.url().expand(i), settings, metrics, registry, settle,
                        finished, ticker, reads));
            }
        }
    }

    private static void start(String name, Runnable client) {
        Thread.ofVirtual().name(name).start(client);
    }

    /** Waits for the latch, the run's end or a stop, whichever comes first; true if the latch opened. */
    private boolean awaitUntil(CountDownLatch latch, long endNanos) throws InterruptedException {
        while (true) {
            long left = endNanos - System.nanoTime();
            if (latch.getCount() == 0) {
                return true;
            }
            if (left <= 0 || stopRequested.getCount() == 0) {
                return false;
            }
            // Both waits are bounded, so a stop is seen within 100 ms.
            if (latch.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS)) {
                return true;
            }
        }
    }

    /** The counters now, and the rates since the previous sample. Runs on one thread at a time. */
    private synchronized Sample sample() {
        long now = System.nanoTime();
        long cpu = os.getProcessCpuTime();
        long in = metrics.bytesReceived.sum();
        long out = metrics.bytesSent.sum();
        double seconds = Math.max(1e-3, (now - lastSampleNanos) / 1e9);
        Histogram ttff = metrics.snapshot(Timing.TTFF);
        boolean anyTtff = ttff.getTotalCount() > 0;
        Sample s = new Sample((now - startNanos) / 1e9, metrics.active.get(), settings.players() + settings.publishers(),
                metrics.failed.get(), (in - lastBytesIn) * 8 / seconds / 1e6, (out - lastBytesOut) * 8 / seconds / 1e6,
                anyTtff ? ttff.getValueAtPercentile(50) / 1000.0 : Double.NaN,
                anyTtff ? ttff.getValueAtPercentile(99) / 1000.0 : Double.NaN,
                metrics.stalls.sum(), (cpu - lastCpuNanos) / 1e7 / seconds);
        lastSampleNanos = now;
        lastCpuNanos = cpu;
        lastBytesIn = in;
        lastBytesOut = out;
        return s;
    }

    private BenchResult result(Instant startedAt, long endedNanos, long cpuNanos) {
        Set<Timing> measured = EnumSet.of(Timing.CONNECT, Timing.HANDSHAKE);
        if (settings.players() > 0) {
            measured.addAll(EnumSet.of(Timing.PLAY_START, Timing.TTFF, Timing.JITTER));
        }
        if (settings.publishers() > 0) {
            measured.add(Timing.PUBLISH_START);
        }
        if (settings.mode() == BenchMode.LATENCY) {
            measured.add(Timing.LATENCY);
        }
        if (settings.switching().isPresent()) {
            measured.add(Timing.SWITCH);
        }
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        for (Timing t : measured) {
            histograms.put(t.key, metrics.snapshot(t));
        }
        List<Sample> series;
        synchronized (timeline) {
            series = List.copyOf(timeline);
        }
        return new BenchResult(settings, startedAt, TimeUnit.NANOSECONDS.toMillis(endedNanos - startNanos),
                interrupted, metrics.started.get(), metrics.connected.get(), metrics.failed.get(), metrics.failures(),
                metrics.failureExamples(), metrics.bytesReceived.sum(), metrics.bytesSent.sum(),
                metrics.framesReceived.sum(), metrics.framesSent.sum(), metrics.stalls.sum(),
                TimeUnit.NANOSECONDS.toMillis(metrics.stallNanos.sum()), metrics.stalledClients.sum(),
                metrics.clientsWithoutKeyframe.sum(), histograms, metrics.bitratesKbps(), series, cpuNanos,
                Runtime.getRuntime().availableProcessors(), settings.switching().map(s -> new BenchResult.Switches(
                        metrics.switchesRequested.sum(), metrics.switchesCompleted.sum(), metrics.switchesRefused.sum())));
    }
}
