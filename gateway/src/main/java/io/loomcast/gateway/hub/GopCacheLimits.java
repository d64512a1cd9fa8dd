package io.loomcast.gateway.hub;

/** GOP cache settings: on by default, bounded so one long GOP cannot hold unbounded memory per stream. */
public record GopCacheLimits(boolean enabled, long maxBytes, long maxDurationMs) {
    public static final GopCacheLimits DEFAULT = new GopCacheLimits(true, 16L << 20, 10_000);
    public static final GopCacheLimits OFF = new GopCacheLimits(false, 0, 0);
}
