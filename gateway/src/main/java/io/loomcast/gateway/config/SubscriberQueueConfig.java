package io.loomcast.gateway.config;

import java.time.Duration;

/**
 * Bounds of each subscriber's queue (players, pushes, transcoders).
 *
 * @param maxBytes     queued bytes before the queue sheds (video to the next keyframe, audio-only oldest first)
 * @param maxDuration  queued media span before it sheds
 * @param stallTimeout a subscriber that makes no progress with data waiting this long is closed
 */
public record SubscriberQueueConfig(long maxBytes, Duration maxDuration, Duration stallTimeout) {
    public static final SubscriberQueueConfig DEFAULT =
            new SubscriberQueueConfig(8L << 20, Duration.ofSeconds(5), Duration.ofSeconds(15));
}
