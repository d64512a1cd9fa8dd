package io.loomcast.gateway.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/**
 * Binds the API state file ({@link ControlState}) over the config file's routes: the overrides first (a route
 * removed frees its stream for a route the API added), then the added routes. Every entry the API wrote has
 * its id, so ids never shift when the config file changes. An override whose route or push the config file no
 * longer has changes nothing, and says so in the log: the operator removed that route by editing the file.
 */
final class StateSection {
    private static final Logger log = LoggerFactory.getLogger(StateSection.class);

    private StateSection() {}

    /** The routes that run: the config's, changed by the overrides, then the added ones. */
    static List<RouteConfig> bind(YamlMapping m, RouteSection routes, List<RouteConfig> configRoutes) {
        Binder binder = m.binder();
        Map<String, RouteConfig> byId = new LinkedHashMap<>();
        configRoutes.forEach(r -> byId.put(r.id(), r));
        Set<String> removed = new HashSet<>();
        YamlMapping overrides = m.mapping("overrides");
        for (Map.Entry<String, NodeTuple> e : overrides.entries().entrySet()) {
            String routeId = e.getKey();
            String path = overrides.path(routeId);
            YamlMapping o = binder.mapping(e.getValue().getValueNode(), path);
            RouteConfig route = byId.get(routeId);
            if (route == null) {
                log.warn("{}: the config file has no route {} any more; its changes through the API are ignored",
                        path, routeId);
                o.entries();
                o.finish();
                continue;
            }
            if (o.bool("removed", false)) {
                removed.add(routeId);
                routes.forget(route);
            }
            List<PushConfig> pushes = new ArrayList<>(route.pushes());
            YamlMapping enabled = o.mapping("enabled");
            for (Map.Entry<String, NodeTuple> p : enabled.entries().entrySet()) {
                Optional<Boolean> on = binder.bool(p.getValue().getValueNode(), enabled.path(p.getKey()));
                int i = indexOf(pushes, p.getKey());
                if (i < 0) {
                    log.warn("{}: route {} of the config file has no push {} any more; ignored", enabled.path(p.getKey()),
                            routeId, p.getKey());
                } else if (on.isPresent()) {
                    pushes.set(i, pushes.get(i).withEnabled(on.get()));
                }
            }
            enabled.finish();
            List<Node> gone = o.list("removedPushes");
            for (int i = 0; i < gone.size(); i++) {
                binder.string(gone.get(i), o.path("removedPushes") + "[" + i + "]").ifPresent(id -> {
                    int at = indexOf(pushes, id);
                    if (at >= 0) {
                        pushes.remove(at);
                    }
                });
            }
            String exact = route.isWildcard() ? null : route.stream();
            pushes.addAll(routes.pushes(o.list("push"), o.path("push"), exact, pushes, true));
            o.finish();
            byId.put(routeId, route.withPushes(pushes));
        }
        List<RouteConfig> out = new ArrayList<>();
        byId.values().stream().filter(r -> !removed.contains(r.id())).forEach(out::add);
        List<Node> added = m.list("routes");
        for (int i = 0; i < added.size(); i++) {
            routes.route(added.get(i), "routes[" + i + "]", true).ifPresent(out::add);
        }
        m.finish();
        return out;
    }

    private static int indexOf(List<PushConfig> pushes, String id) {
        for (int i = 0; i < pushes.size(); i++) {
            if (pushes.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
