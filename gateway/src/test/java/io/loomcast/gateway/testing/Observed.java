package io.loomcast.gateway.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * State that one thread records and a test waits on: every update signals, and {@link #await} re-checks its
 * condition on each signal until a deadline, so tests wait for what they need and never sleep for it.
 *
 * @param <T> the subclass, handed to the condition
 */
public abstract class Observed<T extends Observed<T>> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    protected final void update(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    protected final <R> R read(Supplier<R> reader) {
        lock.lock();
        try {
            return reader.get();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code condition} holds, failing with {@code what} and {@link #toString()} at the deadline. */
    @SuppressWarnings("unchecked")
    public final void await(Predicate<T> condition, Duration timeout, String what) {
        if (!awaitQuietly(condition, timeout)) {
            fail("timed out after %d ms waiting for %s; state: %s".formatted(timeout.toMillis(), what, this));
        }
    }

    /** Like {@link #await}, but returns whether the condition came true instead of failing. */
    @SuppressWarnings("unchecked")
    public final boolean awaitQuietly(Predicate<T> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!condition.test((T) this)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
