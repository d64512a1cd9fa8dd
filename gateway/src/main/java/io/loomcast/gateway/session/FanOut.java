package io.loomcast.gateway.session;

import io.loomcast.gateway.hub.Stream;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link StreamFlusher} of every stream that has players on this server, made when a stream's first
 * player starts and stopped when its last one leaves. {@link #NONE} has none: every player is then served by
 * its connection's own writer thread.
 */
public final class FanOut {
    /** No flushers: each connection writes for itself. */
    public static final FanOut NONE = new FanOut(null, Duration.ZERO);

    /** A write to one player that blocks longer than this stops being the stream flusher's job. */
    private static final long STUCK_NANOS = Duration.ofMillis(10).toNanos();

    private final ConcurrentHashMap<Stream, StreamFlusher> flushers;
    private final long mergeWindowNanos;
    /** Media writes to players, by the stream flushers and by the players' own writer threads. */
    final LongAdder flusherWrites = new LongAdder();
    final LongAdder writerWrites = new LongAdder();
    /** Players whose socket filled under a flusher, so their own writer took them back. */
    final LongAdder handedBack = new LongAdder();
    /** Flusher passes (one write to each player it serves) and the time they took; the longest so far. */
    final LongAdder passes = new LongAdder();
    final LongAdder passNanos = new LongAdder();
    private final AtomicLong longestPassNanos = new AtomicLong();

    /** @param mergeWindow how long media may wait to go out with what follows it; zero sends at once */
    public FanOut(Duration mergeWindow) {
        this(new ConcurrentHashMap<>(), mergeWindow);
    }

    private FanOut(ConcurrentHashMap<Stream, StreamFlusher> flushers, Duration mergeWindow) {
        this.flushers = flushers;
        this.mergeWindowNanos = mergeWindow.toNanos();
    }

    long mergeWindowNanos() {
        return mergeWindowNanos;
    }

    /** Registers a new player; it starts on its own writer thread. */
    void join(Playback p, Outbound outbound) {
        if (flushers == null) {
            return;
        }
        Stream s = p.subscription().stream();
        while (true) {
            StreamFlusher f = flushers.computeIfAbsent(s, k -> {
                StreamFlusher made = new StreamFlusher(k, mergeWindowNanos, STUCK_NANOS, this);
                made.start();
                return made;
            });
            if (f.join()) {
                p.flusher(f, outbound);
                return;
            }
            flushers.remove(s, f);
        }
    }

    void leave(Playback p) {
        StreamFlusher f = p.flusher();
        if (f != null && f.leave(p)) {
            flushers.remove(f.stream(), f);
        }
    }

    /** Hands {@code p} to its stream's flusher ({@code on}) or back to its writer thread. */
    void direct(Playback p, boolean on) {
        StreamFlusher f = p.flusher();
        if (f != null) {
            f.direct(p, p.outbound(), on);
        }
    }

    /** Writes of player media made by the stream flushers, for tests and metrics. */
    public long flusherWrites() {
        return flusherWrites.sum();
    }

    /** Writes made by connections' own writer threads (control, and media of players that fell behind). */
    public long writerWrites() {
        return writerWrites.sum();
    }

    /** Times a player's socket filled while a flusher wrote to it, and its own writer took it back. */
    public long handedBack() {
        return handedBack.sum();
    }

    /** A flusher finished a pass over its players that took {@code nanos}. */
    void passed(long nanos) {
        passes.increment();
        passNanos.add(nanos);
        longestPassNanos.accumulateAndGet(nanos, Math::max);
    }

    /** Passes the stream flushers made: each writes once to every player it serves that has something queued. */
    public long passes() {
        return passes.sum();
    }

    /** The time all those passes took, in nanoseconds. */
    public long passNanos() {
        return passNanos.sum();
    }

    /**
     * The longest pass so far, in nanoseconds: a player waits about that long between writes while a pass lasts,
     * so near a second it says the flusher cannot keep up (too many players, or their sockets full).
     */
    public long longestPassNanos() {
        return longestPassNanos.get();
    }

    /** Players the stream flushers write for now (the rest are on their connections' own writers). */
    public int directPlayers() {
        return flushers == null ? 0 : flushers.values().stream().mapToInt(StreamFlusher::directPlayers).sum();
    }

    /** Streams with a flusher running, for tests and metrics. */
    public int flushers() {
        return flushers == null ? 0 : flushers.size();
    }
}
