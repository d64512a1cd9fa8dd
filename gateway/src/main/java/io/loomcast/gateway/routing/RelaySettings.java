package io.loomcast.gateway.routing;

import io.loomcast.gateway.config.RelayConfig;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.session.ClientOptions;
import java.time.Duration;

/**
 * What every pull and push shares: the client timeouts, the write timeout that finds half-open
 * destinations, the push queue bounds, the relay section of the config (linger, on-demand idle), and how long
 * a push's media may wait to go out with what follows it ({@code server.mergeWrites}).
 */
public record RelaySettings(ClientOptions client, Duration writeTimeout, QueueLimits queueLimits, RelayConfig relay,
        Duration mergeWrites) {

    /** Every frame written as it comes. */
    public RelaySettings(ClientOptions client, Duration writeTimeout, QueueLimits queueLimits, RelayConfig relay) {
        this(client, writeTimeout, queueLimits, relay, Duration.ZERO);
    }
}
