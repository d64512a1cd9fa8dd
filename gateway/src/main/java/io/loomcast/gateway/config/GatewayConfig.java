package io.loomcast.gateway.config;

import java.util.List;
import java.util.Optional;

/**
 * The whole gateway configuration, as loaded by {@link ConfigLoader}. Immutable and compared by value, so a
 * reload can diff the old and the new one.
 *
 * @param api    the HTTP API; empty when the file has no {@code api} section
 * @param watch  reload when the file changes
 * @param routes in file order; with none, any app/stream may be published and played
 * @param cluster this process as one replica of several; empty when the file has no {@code cluster} section
 * @param auth   who may connect, publish and play; {@link AuthConfig#OPEN} without an {@code auth} section
 */
public record GatewayConfig(
        ServerConfig server,
        Optional<ApiConfig> api,
        boolean watch,
        RelayConfig relay,
        TranscodeConfig transcode,
        List<RouteConfig> routes,
        Optional<ClusterConfig> cluster,
        AuthConfig auth) {

    public GatewayConfig {
        routes = List.copyOf(routes);
    }

    /** A config of one replica, open to everyone: no {@code cluster} section, no {@code auth} section. */
    public GatewayConfig(ServerConfig server, Optional<ApiConfig> api, boolean watch, RelayConfig relay,
            TranscodeConfig transcode, List<RouteConfig> routes) {
        this(server, api, watch, relay, transcode, routes, Optional.empty(), AuthConfig.OPEN);
    }

    /** The route for {@code name}: its exact route if there is one, else its app's wildcard route. */
    public Optional<RouteConfig> routeFor(StreamName name) {
        Optional<RouteConfig> exact = routes.stream()
                .filter(r -> !r.isWildcard() && r.matches(name)).findFirst();
        return exact.isPresent() ? exact : routes.stream().filter(r -> r.matches(name)).findFirst();
    }
}
