package io.loomcast.gateway.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * What the HTTP API changed, as kept in {@code api.stateFile}: routes it added (the {@code routes:} schema, ids
 * written out), and overrides of the config file's routes by id (pushes switched off or on, removed or added,
 * the route removed). Values are kept as they were written, so defaults that come from the config file (chunk
 * size, reconnect) keep following it. Immutable: every change returns a new state.
 *
 * <p>The file is read back through the same binder as the config ({@link ConfigLoader#parse(String, String,
 * Map, String, String)}), so a state that would not load is never written.
 *
 * @param routes    routes the API added, in the order they were added
 * @param overrides changes to routes of the config file, by route id
 */
public record ControlState(List<Map<String, Object>> routes, Map<String, RouteOverride> overrides) {
    public static final ControlState EMPTY = new ControlState(List.of(), Map.of());
    private static final String HEADER = """
            # Written by the Loomcast gateway: the changes made through its HTTP API, applied over the config file's
            # routes at every start and reload. It may hold stream keys: keep it private. Edit it only while the
            # gateway is stopped; every value is checked as in the config file.
            """;

    public ControlState {
        routes = List.copyOf(routes);
        overrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    /**
     * Changes to one route of the config file.
     *
     * @param removed       the whole route is gone
     * @param enabled       pushes of the file switched on or off, by push id
     * @param removedPushes pushes of the file that were removed, by id
     * @param pushes        pushes added to the route (the {@code push:} schema, ids written out)
     */
    public record RouteOverride(boolean removed, Map<String, Boolean> enabled, List<String> removedPushes,
            List<Map<String, Object>> pushes) {
        public static final RouteOverride NONE = new RouteOverride(false, Map.of(), List.of(), List.of());

        public RouteOverride {
            enabled = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(enabled));
            removedPushes = List.copyOf(removedPushes);
            pushes = List.copyOf(pushes);
        }

        boolean isEmpty() {
            return !removed && enabled.isEmpty() && removedPushes.isEmpty() && pushes.isEmpty();
        }

        public RouteOverride withRemoved(boolean r) {
            return new RouteOverride(r, enabled, removedPushes, pushes);
        }

        public RouteOverride withEnabled(String pushId, Boolean on) {
            Map<String, Boolean> next = new LinkedHashMap<>(enabled);
            if (on == null) {
                next.remove(pushId);
            } else {
                next.put(pushId, on);
            }
            return new RouteOverride(removed, next, removedPushes, pushes);
        }

        public RouteOverride withRemovedPush(String pushId) {
            List<String> next = new ArrayList<>(removedPushes);
            next.add(pushId);
            Map<String, Boolean> on = new LinkedHashMap<>(enabled);
            on.remove(pushId);
            return new RouteOverride(removed, on, next, pushes);
        }

        public RouteOverride withPushes(List<Map<String, Object>> next) {
            return new RouteOverride(removed, enabled, removedPushes, next);
        }
    }

    /** Whether nothing was changed. */
    public boolean isEmpty() {
        return routes.isEmpty() && overrides.isEmpty();
    }

    /** The override of config route {@code routeId}, or {@link RouteOverride#NONE}. */
    public RouteOverride override(String routeId) {
        return overrides.getOrDefault(routeId, RouteOverride.NONE);
    }

    /** This state with {@code change} applied to the override of {@code routeId}; an empty one is dropped. */
    public ControlState withOverride(String routeId, UnaryOperator<RouteOverride> change) {
        Map<String, RouteOverride> next = new LinkedHashMap<>(overrides);
        RouteOverride o = change.apply(override(routeId));
        if (o.isEmpty()) {
            next.remove(routeId);
        } else {
            next.put(routeId, o);
        }
        return new ControlState(routes, next);
    }

    /** This state with {@code routes} as the added routes. */
    public ControlState withRoutes(List<Map<String, Object>> next) {
        return new ControlState(next, overrides);
    }

    /** The YAML the state file holds. */
    public String toYaml() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("routes", routes);
        Map<String, Object> o = new LinkedHashMap<>();
        overrides.forEach((id, r) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            if (r.removed()) {
                m.put("removed", true);
            }
            if (!r.enabled().isEmpty()) {
                m.put("enabled", r.enabled());
            }
            if (!r.removedPushes().isEmpty()) {
                m.put("removedPushes", r.removedPushes());
            }
            if (!r.pushes().isEmpty()) {
                m.put("push", r.pushes());
            }
            o.put(id, m);
        });
        doc.put("overrides", o);
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
                .setIndicatorIndent(2).setIndentWithIndicator(true).setWidth(160).build();
        return HEADER + new Dump(settings).dumpToString(doc);
    }

    /** The state a file holds; call only after the binder accepted the text. */
    @SuppressWarnings("unchecked")
    public static ControlState fromYaml(String yaml) {
        Object doc = new Load(LoadSettings.builder().build()).loadFromString(yaml);
        if (!(doc instanceof Map<?, ?> root)) {
            return EMPTY;
        }
        List<Map<String, Object>> routes = root.get("routes") instanceof List<?> l ? (List<Map<String, Object>>) l
                : List.of();
        Map<String, RouteOverride> overrides = new LinkedHashMap<>();
        if (root.get("overrides") instanceof Map<?, ?> o) {
            o.forEach((k, v) -> {
                Map<String, Object> m = v instanceof Map<?, ?> mm ? (Map<String, Object>) mm : Map.of();
                overrides.put(String.valueOf(k), new RouteOverride(Boolean.TRUE.equals(m.get("removed")),
                        m.get("enabled") instanceof Map<?, ?> e ? (Map<String, Boolean>) e : Map.of(),
                        m.get("removedPushes") instanceof List<?> r ? (List<String>) r : List.of(),
                        m.get("push") instanceof List<?> p ? (List<Map<String, Object>>) p : List.of()));
            });
        }
        return new ControlState(routes, overrides);
    }
}
