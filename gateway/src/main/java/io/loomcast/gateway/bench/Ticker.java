package io.loomcast.gateway.bench;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code --read-interval}: players that have just been woken by data wait here for the next tick before
 * reading on, as a buffering player reads in batches. Then one wake-up reads the data of several messages
 * instead of one each. One platform thread ticks for all the players. A sleep per player would arm a timer
 * per wait, and that costs as much as the wake-up it saves.
 *
 * <p>A player still parks on its socket once per tick, after draining it. So the saving only shows when a
 * tick spans several of the origin's writes: at 50 ms it saved nothing against nginx-rtmp (about 35 writes
 * per second per player), and at 200 ms it halved the bench's CPU (benchmarks/RESULTS.md). Arrival times
 * then have the tick's resolution, which is why the option is off by default.
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
