package io.loomcast.gateway.api;

import io.loomcast.gateway.hub.Stream;
import io.loomcast.gateway.routing.RelayStatus;
import io.loomcast.gateway.transcode.RenditionStatus;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Rates from counters: once a second it reads every stream's, push's and rendition's counters, and answers
 * "how fast over the last few seconds" (kbps, fps, speed against real time) and, per stream, the input bitrate
 * over the last minutes for the dashboard's chart. Series of things that are gone are dropped at the next
 * sample, so the memory is bounded by what runs.
 */
final class RateMeter implements AutoCloseable {
    /** Samples kept per series: rates are over the last five seconds. */
    private static final int WINDOW_SAMPLES = 6;
    /** One chart point every five seconds, five minutes of them. */
    static final Duration HISTORY_STEP = Duration.ofSeconds(5);
    static final int HISTORY_POINTS = 60;

    /** One point of a stream's bitrate chart: when, and the input kbps then. */
    record Point(long timeMillis, double kbps) {}

    private final GatewayControl gateway;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, ArrayDeque<long[]>> series = new HashMap<>();
    private final Map<String, ArrayDeque<Point>> history = new HashMap<>();
    private final Thread thread;
    private long lastHistoryNanos;
    private volatile boolean running = true;

    RateMeter(GatewayControl gateway) {
        this.gateway = gateway;
        this.thread = Thread.ofVirtual().name("api-rates").start(this::run);
    }

    private void run() {
        while (running) {
            try {
                sample(System.nanoTime());
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(RateMeter.class).warn("rate sampling failed: {}", e.toString());
            }
        }
    }

    /** Reads every counter once; public to tests through {@link #sampleNow}. */
    private void sample(long now) {
        Map<String, Long> values = new HashMap<>();
        List<Stream> streams = gateway.hub().streams();
        for (Stream s : streams) {
            values.put(streamKey(s.name(), "video"), s.videoBytesIn());
            values.put(streamKey(s.name(), "audio"), s.audioBytesIn());
            values.put(streamKey(s.name(), "in"), s.bytesIn());
            values.put(streamKey(s.name(), "frames"), s.videoFramesIn());
        }
        for (RelayStatus r : gateway.relay().status()) {
            if (r.kind().equals("push")) {
                values.put(pushKey(r.routeId(), r.pushId(), r.stream()), r.bytes());
            }
        }
        for (RenditionStatus r : gateway.renditions()) {
            values.put(renditionKey(r.rendition(), "frames"), r.framesOut());
            values.put(renditionKey(r.rendition(), "media"), Math.max(0, r.lastOutMs()));
        }
        lock.lock();
        try {
            series.keySet().retainAll(values.keySet());
            values.forEach((k, v) -> {
                ArrayDeque<long[]> d = series.computeIfAbsent(k, x -> new ArrayDeque<>());
                d.addLast(new long[] {now, v});
                while (d.size() > WINDOW_SAMPLES) {
                    d.removeFirst();
                }
            });
            if (lastHistoryNanos == 0 || now - lastHistoryNanos >= HISTORY_STEP.toNanos()) {
                lastHistoryNanos = now;
                Set<String> names = new HashSet<>();
                long wall = System.currentTimeMillis();
                for (Stream s : streams) {
                    names.add(s.name());
                    ArrayDeque<Point> h = history.computeIfAbsent(s.name(), x -> new ArrayDeque<>());
                    h.addLast(new Point(wall, round(perSecondLocked(streamKey(s.name(), "in")) * 8 / 1000)));
                    while (h.size() > HISTORY_POINTS) {
                        h.removeFirst();
                    }
                }
                history.keySet().retainAll(names);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes a sample at once (tests, and the first request after start, so rates need not wait a second). */
    void sampleNow() {
        sample(System.nanoTime());
    }

    static String streamKey(String stream, String what) {
        return "s\u0000" + stream + "\u0000" + what;
    }

    static String pushKey(String routeId, String pushId, String stream) {
        return "p\u0000" + routeId + "\u0000" + pushId + "\u0000" + stream;
    }

    static String renditionKey(String rendition, String what) {
        return "r\u0000" + rendition + "\u0000" + what;
    }

    /** How fast the counter {@code key} grew per second over the window; 0 before two samples. */
    double perSecond(String key) {
        lock.lock();
        try {
            return perSecondLocked(key);
        } finally {
            lock.unlock();
        }
    }

    private double perSecondLocked(String key) {
        ArrayDeque<long[]> d = series.get(key);
        if (d == null || d.size() < 2) {
            return 0;
        }
        long[] first = d.peekFirst();
        long[] last = d.peekLast();
        double seconds = (last[0] - first[0]) / 1e9;
        return seconds <= 0 ? 0 : Math.max(0, last[1] - first[1]) / seconds;
    }

    /** The counter of bytes {@code key} as kilobits per second. */
    double kbps(String key) {
        return round(perSecond(key) * 8 / 1000);
    }

    /** {@code stream}'s input bitrate over the last minutes, oldest first. */
    List<Point> history(String stream) {
        lock.lock();
        try {
            return new ArrayList<>(history.getOrDefault(stream, new ArrayDeque<>()));
        } finally {
            lock.unlock();
        }
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
