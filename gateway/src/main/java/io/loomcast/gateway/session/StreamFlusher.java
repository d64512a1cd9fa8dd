package io.loomcast.gateway.session;

import io.loomcast.gateway.hub.Stream;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one stream's media to every player of it that keeps up, from one virtual thread: a frame wakes this
 * thread once, instead of every player's writer thread (issue 13: the wake-ups, not the writes, were most of
 * the fan-out's cost). With a merge window it wakes at most once per window, and each player's frames of that
 * window go out in one gathering write.
 *
 * <p>A player that reads slower than the stream fills its socket. Over plain RTMP the flusher never waits on
 * it: the write takes what the socket has room for, the rest goes to the player's own writer thread, and so
 * does the player, until it keeps up again ({@link Outbound.Flush#FULL}). Over RTMPS a write blocks, and that
 * must not hold up the others: when the stream's next frame finds this thread stuck in one write for longer
 * than {@code stuckNanos}, that player goes back to its own writer thread, and a fresh flusher thread takes
 * over the rest. The stuck thread finishes its write and ends.
 */
final class StreamFlusher implements Stream.DeliveryListener {
    private static final Logger log = LoggerFactory.getLogger(StreamFlusher.class);

    /** A player the flusher writes for, and the connection it writes to. */
    record Member(Playback playback, Outbound outbound) {}

    private final Stream stream;
    private final long mergeWindowNanos;
    private final long stuckNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** Copy-on-write under the lock; the flusher thread iterates a stable array. */
    private volatile Member[] direct = new Member[0];
    /** Players of the stream on this server, direct or not: the flusher lives while there are any. */
    private int users;
    private volatile boolean signalled;
    private volatile boolean running = true;
    /** The thread currently flushing; replaced when it is stuck in a write. */
    private volatile Flushing current;

    /** One flusher thread and the write it is in, if any. */
    private static final class Flushing {
        Thread thread;
        volatile long writingSinceNanos;
        volatile Member writingTo;
    }

    private final FanOut counters;

    StreamFlusher(Stream stream, long mergeWindowNanos, long stuckNanos, FanOut counters) {
        this.stream = stream;
        this.counters = counters;
        this.mergeWindowNanos = mergeWindowNanos;
        this.stuckNanos = stuckNanos;
    }

    Stream stream() {
        return stream;
    }

    /** Players this flusher writes for now. */
    int directPlayers() {
        return direct.length;
    }

    void start() {
        // The thread first: the stream calls delivered() from the source's thread as soon as this listens, and a
        // frame that came between the two found no thread (a NullPointerException that ended the publisher).
        startThread();
        stream.addDeliveryListener(this);
    }

    private void startThread() {
        Flushing f = new Flushing();
        current = f;
        f.thread = Thread.ofVirtual().name("flush " + stream.name()).unstarted(() -> run(f));
        f.thread.start();
    }

    /** One more player of the stream; returns false when this flusher has already stopped. */
    boolean join() {
        lock.lock();
        try {
            if (!running) {
                return false;
            }
            users++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A player left; returns true when it was the last, and the flusher has stopped. */
    boolean leave(Playback p) {
        lock.lock();
        try {
            remove(p);
            if (--users > 0) {
                return false;
            }
            running = false;
        } finally {
            lock.unlock();
        }
        stream.removeDeliveryListener(this);
        LockSupport.unpark(current.thread);
        return true;
    }

    /** Moves {@code p} to this flusher ({@code on}) or back to its own writer thread. */
    void direct(Playback p, Outbound outbound, boolean on) {
        lock.lock();
        try {
            remove(p);
            p.direct(on);
            if (on) {
                Member[] next = Arrays.copyOf(direct, direct.length + 1);
                next[direct.length] = new Member(p, outbound);
                direct = next;
            }
        } finally {
            lock.unlock();
        }
        if (on) {
            delivered();
        } else {
            outbound.wakeUp();
        }
    }

    private void remove(Playback p) {
        Member[] d = direct;
        for (int i = 0; i < d.length; i++) {
            if (d[i].playback() == p) {
                Member[] next = new Member[d.length - 1];
                System.arraycopy(d, 0, next, 0, i);
                System.arraycopy(d, i + 1, next, i, d.length - i - 1);
                direct = next;
                p.direct(false);
                return;
            }
        }
    }

    /** The stream offered a frame to its subscribers: wake the flusher, once. Runs on the source's thread. */
    @Override
    public void delivered() {
        Flushing f = current;
        long since = f.writingSinceNanos;
        if (since != 0 && System.nanoTime() - since > stuckNanos) {
            replaceStuckThread(f);
        }
        if (!signalled) {
            signalled = true;
            LockSupport.unpark(current.thread);
        }
    }

    private void replaceStuckThread(Flushing f) {
        Member stuck;
        lock.lock();
        try {
            stuck = f.writingTo;
            long since = f.writingSinceNanos;
            if (current != f || stuck == null || since == 0 || System.nanoTime() - since <= stuckNanos || !running) {
                return;
            }
            remove(stuck.playback());
            signalled = true;
            startThread();
        } finally {
            lock.unlock();
        }
        counters.handedBack.increment();
        log.debug("{}: a player's socket is full; its own writer takes over", stream.name());
        stuck.outbound().wakeUp();
    }

    private void run(Flushing me) {
        // One view of each frame's bytes per pass, for all its players (WriteBatch).
        WriteBatch scratch = new WriteBatch(true);
        long lastPassNanos = 0;
        while (running && current == me) {
            if (!signalled) {
                LockSupport.park(this);
                continue;
            }
            if (mergeWindowNanos > 0) {
                // Let the window fill: every frame until then goes out in one write per player. The window is
                // what a frame may wait here, and the pass's last player waits the pass too: so the window less
                // the last pass, but at least half of it, or a busy flusher would stop merging and get busier.
                long wait = Math.max(mergeWindowNanos / 2, mergeWindowNanos - lastPassNanos);
                long deadline = System.nanoTime() + wait;
                for (long left = wait; left > 0 && running; left = deadline - System.nanoTime()) {
                    LockSupport.parkNanos(this, left);
                }
            }
            signalled = false;
            long passStarted = System.nanoTime();
            boolean done = pass(me, scratch);
            scratch.forgetViews();
            if (done) {
                lastPassNanos = System.nanoTime() - passStarted;
                counters.passed(lastPassNanos);
            }
        }
    }

    /**
     * Writes what each player served here has queued, one gathering write each. Returns false when the pass was
     * given up: this thread was stuck in a write and replaced, or the flusher stopped. A given-up pass is not
     * counted: its players went on with the new thread.
     */
    private boolean pass(Flushing me, WriteBatch scratch) {
        for (Member m : direct) {
            if (current != me || !running) {
                return false;
            }
            me.writingTo = m;
            me.writingSinceNanos = System.nanoTime();
            try {
                switch (m.outbound().flushDirect(m.playback(), scratch)) {
                    case WROTE -> counters.flusherWrites.increment();
                    case FULL -> {
                        // Part of it went out; its writer thread has the rest, and the player until it keeps up.
                        counters.flusherWrites.increment();
                        counters.handedBack.increment();
                        direct(m.playback(), m.outbound(), false);
                    }
                    case SKIPPED -> { }
                }
            } catch (IOException e) {
                // The connection failed; its session notices on its own threads and ends it.
                direct(m.playback(), m.outbound(), false);
            } finally {
                me.writingSinceNanos = 0;
                me.writingTo = null;
            }
        }
        return current == me;
    }
}
