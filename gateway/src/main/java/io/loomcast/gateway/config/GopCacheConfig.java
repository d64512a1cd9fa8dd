package io.loomcast.gateway.config;

import java.time.Duration;

/**
 * The per-stream cache of the latest group of pictures, so a new player starts at once on a keyframe.
 *
 * @param maxBytes    a GOP larger than this is not cached (players then wait for the next keyframe)
 * @param maxDuration a GOP longer than this is not cached
 */
public record GopCacheConfig(boolean enabled, long maxBytes, Duration maxDuration) {
    public static final GopCacheConfig DEFAULT = new GopCacheConfig(true, 16L << 20, Duration.ofSeconds(10));
}
