package io.loomcast.gateway.hub;

import java.time.Duration;

/**
 * Bounds of one subscriber's queue (DESIGN.md, "Backpressure").
 *
 * @param maxBytes      queued payload bytes before the queue sheds
 * @param maxDurationMs queued media span (newest minus oldest timestamp) before it sheds
 * @param stallTimeout  how long a subscriber may make no progress, with data waiting, before it is closed
 */
public record QueueLimits(long maxBytes, long maxDurationMs, Duration stallTimeout) {
    public static final QueueLimits DEFAULT = new QueueLimits(8L << 20, 5_000, Duration.ofSeconds(15));

    public QueueLimits {
        if (maxBytes <= 0 || maxDurationMs <= 0 || stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("queue limits must be positive: " + maxBytes + " bytes, "
                    + maxDurationMs + " ms, " + stallTimeout);
        }
    }
}
