package io.loomcast.gateway.session;

import java.util.concurrent.locks.ReentrantLock;

/**
 * For events that come in floods (refusals at accept, handshakes that time out): the first is logged at once,
 * then at most one a {@link #intervalNanos}, saying how many went unlogged in between. Everything is counted
 * elsewhere; this only keeps a flood of hostile connections from becoming a flood of log lines (and of the
 * work writing them).
 */
final class BurstLog {
    private final long intervalNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private long lastNanos;
    private boolean logged;
    private long unlogged;

    BurstLog(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** -1: do not log this one; otherwise log it, with this many others since the last line. */
    long next() {
        long now = System.nanoTime();
        lock.lock();
        try {
            if (logged && now - lastNanos < intervalNanos) {
                unlogged++;
                return -1;
            }
            logged = true;
            lastNanos = now;
            long skipped = unlogged;
            unlogged = 0;
            return skipped;
        } finally {
            lock.unlock();
        }
    }

    /** The suffix for a logged line: empty, or how many were not logged since the last. */
    static String since(long skipped, String what) {
        return skipped <= 0 ? "" : " (and " + skipped + " more " + what + " since the last such line)";
    }
}
