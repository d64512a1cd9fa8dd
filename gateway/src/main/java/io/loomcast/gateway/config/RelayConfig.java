package io.loomcast.gateway.config;

import java.time.Duration;

/**
 * Defaults for every pull and push.
 *
 * @param reconnect    how pulls and pushes retry; a route may override it key by key
 * @param linger       after the source of a stream is gone this long, its pushes unpublish
 * @param onDemandIdle an on-demand pull stops this long after its last subscriber left
 */
public record RelayConfig(ReconnectPolicy reconnect, Duration linger, Duration onDemandIdle) {
    public static final RelayConfig DEFAULT =
            new RelayConfig(ReconnectPolicy.DEFAULT, Duration.ofSeconds(5), Duration.ofSeconds(10));
}
