package io.loomcast.gateway.config;

import java.time.Duration;

/**
 * Exponential backoff for pulls and pushes: wait {@code initialDelay}, then double each time up to
 * {@code maxDelay}; give up after {@code maxAttempts} failures in a row, or never when it is 0.
 */
public record ReconnectPolicy(Duration initialDelay, Duration maxDelay, int maxAttempts) {
    public static final ReconnectPolicy DEFAULT =
            new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 0);

    /** Whether retries go on forever ({@code maxAttempts: 0}). */
    public boolean forever() {
        return maxAttempts == 0;
    }

    /** The wait before retry number {@code attempt} (1 for the first retry). */
    public Duration delayBefore(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, got " + attempt);
        }
        Duration delay = initialDelay;
        for (int i = 1; i < attempt && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
