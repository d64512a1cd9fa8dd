package io.loomcast.gateway.config;

import java.util.List;
import java.util.Optional;

/**
 * The whole gateway configuration, as loaded by {@link ConfigLoader}. Immutable and compared by value, so a
 * reload can diff the old and the new one.
 *
 * @param api    the HTTP API; empty when the file has no {@code api} section
 * @param watch  reload when the file changes
 * @param routes  in file order, then the routes added through the API; with none, any app/stream may be
 *                published and played
 * @param cluster this process as one replica of several; empty when the file has no {@code cluster} section
 * @param logging the log format
 * @param auth    who may connect, publish and play; {@link AuthConfig#OPEN} without an {@code auth} section
 */
public record GatewayConfig(
        ServerConfig server,
        Optional<ApiConfig> api,
        boolean watch,
        RelayConfig relay,
        TranscodeConfig transcode,
        List<RouteConfig> routes,
        Optional<ClusterConfig> cluster,
        LoggingConfig logging,
        AuthConfig auth) {

    public GatewayConfig {
        routes = List.copyOf(routes);
    }

    /** A config of one replica with the default logging, open to everyone (no {@code auth} section). */
    public GatewayConfig(ServerConfig server, Optional<ApiConfig> api, boolean watch, RelayConfig relay,
            TranscodeConfig transcode, List<RouteConfig> routes) {
        this(server, api, watch, relay, transcode, routes, Optional.empty(), LoggingConfig.DEFAULT, AuthConfig.OPEN);
    }

    /** The same config with {@code next} as its routes. */
    public GatewayConfig withRoutes(List<RouteConfig> next) {
        return new GatewayConfig(server, api, watch, relay, transcode, next, cluster, logging, auth);
    }

    /** The route whose {@link RouteConfig#id()} is {@code id}. */
    public Optional<RouteConfig> route(String id) {
        return routes.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** The route for {@code name}: its exact route if there is one, else its app's wildcard route. */
    public Optional<RouteConfig> routeFor(StreamName name) {
        Optional<RouteConfig> exact = routes.stream()
                .filter(r -> !r.isWildcard() && r.matches(name)).findFirst();
        return exact.isPresent() ? exact : routes.stream().filter(r -> r.matches(name)).findFirst();
    }
}
