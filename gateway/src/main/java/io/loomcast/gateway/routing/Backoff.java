package io.loomcast.gateway.routing;

import io.loomcast.gateway.config.ReconnectPolicy;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential from the policy's initial delay up to its cap, with full jitter on the
 * upper half (a delay d becomes a value in [d/2, d]) so many pushes that failed together do not all retry
 * in the same millisecond.
 */
public final class Backoff {
    private final ReconnectPolicy policy;
    private final RandomGenerator random;
    private int failures;

    public Backoff(ReconnectPolicy policy, RandomGenerator random) {
        this.policy = policy;
        this.random = random;
    }

    /** Records a failure; returns the delay before the next attempt, or null when the policy gives up. */
    public Duration nextDelay() {
        failures++;
        if (!policy.forever() && failures >= policy.maxAttempts()) {
            return null;
        }
        long ms = policy.delayBefore(failures).toMillis();
        long half = ms / 2;
        return Duration.ofMillis(half + (half > 0 ? random.nextLong(ms - half + 1) : 0));
    }

    /** A success: the next failure starts again from the initial delay. */
    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}
