package io.loomcast.gateway.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Everything the clients measure, aggregated as they go: wait-free histograms and adders, so two thousand
 * client threads record without a lock and the progress line reads without stopping them.
 * Histogram values are microseconds.
 */
final class BenchMetrics {
    /** Longer values are recorded as this: a histogram must have a top, and an hour is past any run. */
    static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    /** The latency histograms by name; the name is also the report key without its "Ms" suffix. */
    enum Timing {
        CONNECT("connect"), HANDSHAKE("handshake"), PLAY_START("playStart"), PUBLISH_START("publishStart"),
        TTFF("ttff"), JITTER("jitter"), LATENCY("latency"),
        /** From a play2 switch request to its onPlayStatus NetStream.Play.TransitionComplete. */
        SWITCH("switch");

        final String key;

        Timing(String key) {
            this.key = key;
        }
    }

    private final Histogram[] timings = new Histogram[Timing.values().length];
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder framesReceived = new LongAdder();
    final LongAdder framesSent = new LongAdder();
    final LongAdder stalls = new LongAdder();
    final LongAdder stallNanos = new LongAdder();
    final LongAdder stalledClients = new LongAdder();
    final LongAdder clientsWithoutKeyframe = new LongAdder();
    /** play2 switches asked for, completed (TransitionComplete), and refused (an error status). */
    final LongAdder switchesRequested = new LongAdder();
    final LongAdder switchesCompleted = new LongAdder();
    final LongAdder switchesRefused = new LongAdder();
    /** Clients whose thread has been started. */
    final AtomicInteger started = new AtomicInteger();
    /** Clients that reached NetStream.Play.Start or Publish.Start. */
    final AtomicInteger connected = new AtomicInteger();
    /** Clients playing or publishing right now. */
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final Map<String, String> failureExamples = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Double> bitratesKbps = new ConcurrentLinkedQueue<>();

    BenchMetrics() {
        for (int i = 0; i < timings.length; i++) {
            timings[i] = new ConcurrentHistogram(1, HIGHEST_MICROS, 3);
        }
    }

    void record(Timing timing, long nanos) {
        long micros = Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos));
        timings[timing.ordinal()].recordValue(Math.min(micros, HIGHEST_MICROS));
    }

    /** A copy, consistent enough while clients record and exact once they have stopped. */
    Histogram snapshot(Timing timing) {
        return timings[timing.ordinal()].copy();
    }

    void fail(String reason, Throwable cause) {
        failed.incrementAndGet();
        failures.computeIfAbsent(reason, r -> new LongAdder()).increment();
        failureExamples.putIfAbsent(reason, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    /** Failures by reason, sorted by name. */
    Map<String, Long> failures() {
        Map<String, Long> out = new TreeMap<>();
        failures.forEach((reason, count) -> out.put(reason, count.sum()));
        return out;
    }

    /** One exception message per reason, for the summary (never a URL: our exceptions do not repeat it). */
    Map<String, String> failureExamples() {
        return new TreeMap<>(failureExamples);
    }

    void bitrate(double kbps) {
        bitratesKbps.add(kbps);
    }

    double[] bitratesKbps() {
        return bitratesKbps.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }
}
