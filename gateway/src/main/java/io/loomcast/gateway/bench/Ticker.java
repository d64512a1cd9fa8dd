package io.loomcast.gateway.bench;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code --coalesce}: players that have just been woken by data wait here for the next tick before reading
 * on, so the data of several messages is read with one wake-up instead of one each. One platform thread
 * ticks for all of them; a per-player sleep would arm a timer per wait, which costs as much as the wake-up
 * it saves. Arrival times then have the tick's resolution, which is why the option is off by default.
 */
final class Ticker implements AutoCloseable {
    private final ConcurrentLinkedQueue<Thread> waiting = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    Ticker(long periodNanos) {
        thread = Thread.ofPlatform().daemon().name("bench-ticker").start(() -> {
            while (!closed) {
                LockSupport.parkNanos(periodNanos);
                release();
            }
            release();
        });
    }

    /** Parks the calling thread until the next tick (or a little earlier: park may return spuriously). */
    void awaitTick() {
        if (closed) {
            return;
        }
        Thread self = Thread.currentThread();
        waiting.add(self);
        if (closed) {
            // close() may have released the queue before we joined it.
            waiting.remove(self);
            return;
        }
        LockSupport.park(this);
    }

    private void release() {
        for (Thread t; (t = waiting.poll()) != null; ) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        LockSupport.unpark(thread);
        thread.join(TimeUnit.SECONDS.toMillis(1));
    }
}
