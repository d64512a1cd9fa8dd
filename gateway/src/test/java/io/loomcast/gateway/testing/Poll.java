package io.loomcast.gateway.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition that has no signal to wait on (hub state, server counters), up to a deadline. */
public final class Poll {
    private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private Poll() {}

    /** Re-checks {@code condition} every 10 ms; fails with {@code state} if it does not hold by the deadline. */
    public static void until(BooleanSupplier condition, Duration timeout, String what, Supplier<String> state) {
        if (!untilQuietly(condition, timeout)) {
            fail("timed out after %d ms waiting for %s; %s".formatted(timeout.toMillis(), what, state.get()));
        }
    }

    /** Like {@link #until}, but returns whether the condition came true. */
    public static boolean untilQuietly(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(PACE_NANOS); // pacing the re-check, not synchronising
        }
        return true;
    }
}
