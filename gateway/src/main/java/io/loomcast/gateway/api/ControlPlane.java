package io.loomcast.gateway.api;

import io.loomcast.gateway.config.ConfigException;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.ControlState;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.config.PushConfig;
import io.loomcast.gateway.config.Redaction;
import io.loomcast.gateway.config.RouteConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path by which routes change while the gateway runs: a reload (SIGHUP, an edited file) and every API
 * write. A write becomes a new {@link ControlState}; the config file and that state are bound together by the
 * config binder exactly as at startup (so what is written is what a restart loads), the state is persisted
 * atomically, and the result goes to the gateway's reconciler. A write that does not bind changes nothing and
 * answers 400 with the binder's messages; one that binds but cannot run is rolled back, file included.
 * Writes and reloads are serialised by one lock.
 */
public final class ControlPlane {
    private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);

    private final Path configFile;
    private final Map<String, String> env;
    private final Path stateFile;
    private final ReentrantLock lock = new ReentrantLock();
    private GatewayControl gateway;
    /** The config file's text as last applied: writes bind against it, not against unsaved edits on disk. */
    private String configText;
    /** The config file alone, bound, for which routes and pushes come from it. */
    private GatewayConfig fileOnly;
    private ControlState state;

    /**
     * What {@code run} starts with: the config file, and over it the API state when the config has an
     * {@code api} section and the state file exists.
     *
     * @param stateFile where the state lives (null without an api section)
     */
    public record Loaded(GatewayConfig config, String configText, ControlState state, Path stateFile) {}

    /**
     * Loads {@code configFile} and its API state.
     *
     * @throws ConfigException with every problem of both files, each with file:line:column
     */
    public static Loaded load(Path configFile, Map<String, String> env) throws ConfigException {
        String text = ConfigLoader.read(configFile);
        GatewayConfig alone = ConfigLoader.parse(text, configFile.toString(), env);
        if (alone.api().isEmpty()) {
            return new Loaded(alone, text, ControlState.EMPTY, null);
        }
        Path stateFile = alone.api().get().stateFileFor(configFile);
        if (!Files.exists(stateFile)) {
            return new Loaded(alone, text, ControlState.EMPTY, stateFile);
        }
        String stateText = ConfigLoader.read(stateFile);
        GatewayConfig both = ConfigLoader.parse(text, configFile.toString(), env, stateText, stateFile.toString());
        return new Loaded(both, text, ControlState.fromYaml(stateText), stateFile);
    }

    public ControlPlane(Path configFile, Map<String, String> env, Loaded loaded) {
        this.configFile = configFile;
        this.env = Map.copyOf(env);
        this.stateFile = loaded.stateFile();
        this.configText = loaded.configText();
        this.state = loaded.state();
        this.fileOnly = bindFileOnly(configText);
    }

    /** Connects the running gateway; until then, nothing can be applied. */
    public void attach(GatewayControl running) {
        this.gateway = running;
    }

    /** Where writes are kept; null when the config has no api section. */
    public Path stateFile() {
        return stateFile;
    }

    /**
     * Re-reads the config file and applies it with the API state over it: what SIGHUP and {@code watch} do.
     *
     * @throws ConfigException when the file (or the state over it) does not bind; nothing changes then
     * @throws IllegalArgumentException when it binds but cannot run; nothing changes then
     */
    public GatewayConfig reload() throws ConfigException {
        lock.lock();
        try {
            String text = ConfigLoader.read(configFile);
            GatewayConfig next = bind(text, state);
            GatewayConfig before = gateway.config();
            if (!Objects.equals(before.api(), next.api())) {
                log.warn("reload: the api section changed; it takes effect on restart only");
            }
            gateway.reload(next);
            configText = text;
            fileOnly = bindFileOnly(text);
            return next;
        } finally {
            lock.unlock();
        }
    }

    private GatewayConfig bind(String text, ControlState s) throws ConfigException {
        if (stateFile == null) {
            return ConfigLoader.parse(text, configFile.toString(), env);
        }
        return ConfigLoader.parse(text, configFile.toString(), env, s.toYaml(), stateFile.toString());
    }

    private GatewayConfig bindFileOnly(String text) {
        try {
            return ConfigLoader.parse(text, configFile.toString(), env);
        } catch (ConfigException e) {
            throw new IllegalStateException("the config file applied last no longer binds alone: " + e.getMessage(), e);
        }
    }

    // ---- reads -------------------------------------------------------------------------------------------

    List<Views.Route> routes() {
        return gateway.config().routes().stream().map(this::view).toList();
    }

    Views.Route route(String routeId) {
        return view(requireRoute(gateway.config(), routeId));
    }

    private Views.Route view(RouteConfig r) {
        boolean fromApi = apiRoute(r.id()).isPresent();
        Views.Pull pull = r.pull().map(p -> new Views.Pull(Redaction.url(p.url()), p.mode().configName())).orElse(null);
        return new Views.Route(r.id(), r.stream(), fromApi ? "api" : "config", pull,
                r.pushes().stream().map(ControlPlane::view).toList());
    }

    static Views.PushConfig view(PushConfig p) {
        return new Views.PushConfig(p.id(), Redaction.url(p.url()), p.enabled(),
                p.transcode().map(t -> t.name()).orElse(null));
    }

    // ---- writes ------------------------------------------------------------------------------------------

    /** {@code PATCH /routes/{route}/pushes/{id}}: switches one push on or off. */
    Views.PushConfig setEnabled(String routeId, String pushId, String body) {
        boolean on = bodyOrInvalid(() -> ConfigLoader.enabledFromBody(body));
        lock.lock();
        try {
            RouteConfig route = requireRoute(gateway.config(), routeId);
            PushConfig push = requirePush(route, pushId);
            if (push.enabled() != on) {
                ControlState next;
                if (apiRoute(routeId).isPresent()) {
                    next = state.withRoutes(replaceRoute(routeId, r -> withPushes(r, mapPush(pushes(r), pushId,
                            p -> withEnabled(p, on)))));
                } else if (findPush(state.override(routeId).pushes(), pushId).isPresent()) {
                    next = state.withOverride(routeId, o -> o.withPushes(mapPush(o.pushes(), pushId,
                            p -> withEnabled(p, on))));
                } else {
                    boolean inFile = fileOnly.route(routeId).flatMap(r -> r.push(pushId)).map(PushConfig::enabled)
                            .orElse(true);
                    next = state.withOverride(routeId, o -> o.withEnabled(pushId, on == inFile ? null : on));
                }
                commit(next);
                log.info("API: push {} of route {} switched {}", pushId, routeId, on ? "on" : "off");
            }
            return view(requirePush(requireRoute(gateway.config(), routeId), pushId));
        } finally {
            lock.unlock();
        }
    }

    /** {@code POST /routes/{route}/pushes}: adds a push. */
    Views.PushConfig addPush(String routeId, String body) {
        Map<String, Object> raw = Json.object(body);
        lock.lock();
        try {
            GatewayConfig running = gateway.config();
            RouteConfig route = requireRoute(running, routeId);
            PushConfig bound = bodyOrInvalid(() -> ConfigLoader.pushFromBody(body, running, route));
            Map<String, Object> entry = withId(raw, bound.id());
            ControlState next = apiRoute(routeId).isPresent()
                    ? state.withRoutes(replaceRoute(routeId, r -> withPushes(r, append(pushes(r), entry))))
                    : state.withOverride(routeId, o -> o.withPushes(append(o.pushes(), entry)));
            commit(next);
            log.info("API: push {} added to route {}: {}", bound.id(), routeId, Redaction.url(bound.url()));
            return view(requirePush(requireRoute(gateway.config(), routeId), bound.id()));
        } finally {
            lock.unlock();
        }
    }

    /** {@code DELETE /routes/{route}/pushes/{id}}. */
    void removePush(String routeId, String pushId) {
        lock.lock();
        try {
            RouteConfig route = requireRoute(gateway.config(), routeId);
            requirePush(route, pushId);
            ControlState next;
            if (apiRoute(routeId).isPresent()) {
                next = state.withRoutes(replaceRoute(routeId, r -> withPushes(r, without(pushes(r), pushId))));
            } else if (findPush(state.override(routeId).pushes(), pushId).isPresent()) {
                next = state.withOverride(routeId, o -> o.withPushes(without(o.pushes(), pushId)));
            } else {
                next = state.withOverride(routeId, o -> o.withRemovedPush(pushId));
            }
            commit(next);
            log.info("API: push {} removed from route {}", pushId, routeId);
        } finally {
            lock.unlock();
        }
    }

    /** {@code POST /routes}: adds a route. */
    Views.Route addRoute(String body) {
        Map<String, Object> raw = Json.object(body);
        lock.lock();
        try {
            GatewayConfig running = gateway.config();
            RouteConfig bound = bodyOrInvalid(() -> ConfigLoader.routeFromBody(body, running));
            Map<String, Object> entry = withId(raw, bound.id());
            // Every push gets its id written out, so it keeps it whatever is added beside it later.
            List<Map<String, Object>> pushes = new ArrayList<>();
            List<Object> given = entry.get("push") instanceof List<?> l ? new ArrayList<>(l) : List.of();
            for (int i = 0; i < given.size() && i < bound.pushes().size(); i++) {
                Object p = given.get(i);
                Map<String, Object> m = p instanceof Map<?, ?> mm ? copy(mm) : new LinkedHashMap<>(Map.of("url", p));
                pushes.add(withId(m, bound.pushes().get(i).id()));
            }
            if (!given.isEmpty()) {
                entry.put("push", pushes);
            }
            List<Map<String, Object>> routes = new ArrayList<>(state.routes());
            routes.add(entry);
            commit(state.withRoutes(routes));
            log.info("API: route {} added for {}", bound.id(), bound.stream());
            return view(requireRoute(gateway.config(), bound.id()));
        } finally {
            lock.unlock();
        }
    }

    /** {@code DELETE /routes/{route}}. */
    void removeRoute(String routeId) {
        lock.lock();
        try {
            requireRoute(gateway.config(), routeId);
            ControlState next;
            if (apiRoute(routeId).isPresent()) {
                List<Map<String, Object>> routes = new ArrayList<>(state.routes());
                routes.removeIf(r -> routeId.equals(r.get("id")));
                next = state.withRoutes(routes);
            } else {
                next = state.withOverride(routeId, o -> o.withRemoved(true));
            }
            commit(next);
            log.info("API: route {} removed", routeId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Binds the config text with {@code next} over it, persists {@code next}, applies the result; on a failure
     * to apply, puts the previous state back on disk. Holds the lock.
     */
    private void commit(ControlState next) {
        if (stateFile == null) {
            throw new ApiException(409, "the API cannot change routes: the config has no api section");
        }
        GatewayConfig config;
        try {
            config = bind(configText, next);
        } catch (ConfigException e) {
            throw ApiException.invalid("the change does not validate", e);
        }
        ControlState previous = state;
        persist(next);
        try {
            gateway.reload(config);
        } catch (RuntimeException e) {
            persist(previous);
            throw new ApiException(400, "the change cannot run: " + e.getMessage());
        }
        state = next;
    }

    private void persist(ControlState s) {
        try {
            StateFile.write(stateFile, s.toYaml());
        } catch (IOException e) {
            throw new ApiException(500, "cannot write the state file " + stateFile + ": " + e.getMessage());
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private interface Binding<T> {
        T bind() throws ConfigException;
    }

    private static <T> T bodyOrInvalid(Binding<T> b) {
        try {
            return b.bind();
        } catch (ConfigException e) {
            throw ApiException.invalid("the body does not validate", e);
        }
    }

    private static RouteConfig requireRoute(GatewayConfig c, String routeId) {
        return c.route(routeId).orElseThrow(() -> ApiException.notFound("no route " + routeId));
    }

    private static PushConfig requirePush(RouteConfig r, String pushId) {
        return r.push(pushId).orElseThrow(() -> ApiException.notFound("route " + r.id() + " has no push " + pushId));
    }

    private Optional<Map<String, Object>> apiRoute(String routeId) {
        return state.routes().stream().filter(r -> routeId.equals(r.get("id"))).findFirst();
    }

    private List<Map<String, Object>> replaceRoute(String routeId, UnaryOperator<Map<String, Object>> change) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : state.routes()) {
            out.add(routeId.equals(r.get("id")) ? change.apply(copy(r)) : r);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> pushes(Map<String, Object> route) {
        return route.get("push") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    private static Map<String, Object> withPushes(Map<String, Object> route, List<Map<String, Object>> pushes) {
        Map<String, Object> out = copy(route);
        out.put("push", pushes);
        return out;
    }

    private static Optional<Map<String, Object>> findPush(List<Map<String, Object>> pushes, String id) {
        return pushes.stream().filter(p -> id.equals(p.get("id"))).findFirst();
    }

    private static List<Map<String, Object>> mapPush(List<Map<String, Object>> pushes, String id,
            UnaryOperator<Map<String, Object>> change) {
        return pushes.stream().map(p -> id.equals(p.get("id")) ? change.apply(copy(p)) : p).toList();
    }

    private static List<Map<String, Object>> append(List<Map<String, Object>> pushes, Map<String, Object> p) {
        List<Map<String, Object>> out = new ArrayList<>(pushes);
        out.add(p);
        return out;
    }

    private static List<Map<String, Object>> without(List<Map<String, Object>> pushes, String id) {
        return pushes.stream().filter(p -> !id.equals(p.get("id"))).toList();
    }

    /** {@code enabled} is written only when off: the schema's default is on. */
    private static Map<String, Object> withEnabled(Map<String, Object> push, boolean on) {
        Map<String, Object> out = copy(push);
        if (on) {
            out.remove("enabled");
        } else {
            out.put("enabled", false);
        }
        return out;
    }

    /** {@code raw} with {@code id} as its first key (a state file reads best with the id on top). */
    private static Map<String, Object> withId(Map<String, Object> raw, String id) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        raw.forEach((k, v) -> {
            if (!k.equals("id")) {
                out.put(k, v);
            }
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<?, ?> m) {
        return new LinkedHashMap<>((Map<String, Object>) m);
    }
}
