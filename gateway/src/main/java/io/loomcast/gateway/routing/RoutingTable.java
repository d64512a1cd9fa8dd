package io.loomcast.gateway.routing;

import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.config.RouteConfig;
import java.util.List;
import java.util.Optional;

/**
 * The routes of one config, immutable: on reload a new table is built and swapped in whole, and the relay
 * reconciles what runs against it. An exact route wins over its app's wildcard route.
 */
public record RoutingTable(List<RouteConfig> routes) {
    public static final RoutingTable EMPTY = new RoutingTable(List.of());

    public RoutingTable {
        routes = List.copyOf(routes);
    }

    public static RoutingTable from(GatewayConfig config) {
        return new RoutingTable(config.routes());
    }

    /** The route for a concrete stream {@code app/name}, if any. */
    public Optional<RouteConfig> routeFor(String stream) {
        Optional<RouteConfig> exact = routes.stream().filter(r -> !r.isWildcard() && r.matches(stream)).findFirst();
        return exact.isPresent() ? exact : routes.stream().filter(r -> r.isWildcard() && r.matches(stream)).findFirst();
    }

    /** Routes naming one stream exactly; their pushes and pulls exist whether or not the stream is live. */
    public List<RouteConfig> exactRoutes() {
        return routes.stream().filter(r -> !r.isWildcard()).toList();
    }
}
