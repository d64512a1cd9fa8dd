package io.loomcast.gateway.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads the gateway's YAML into a {@link GatewayConfig}. snakeyaml-engine composes the node tree (with the
 * position of every node); the binding to records is ours, so that every problem is found in one pass and
 * reported with file, line, column and the field's path. See README.md ("Configuration reference") for the schema.
 */
public final class ConfigLoader {
    /** The config the gateway runs with when no file is given: RTMP on 127.0.0.1:1935, no routes. */
    public static final String DEFAULT_RESOURCE = "io/loomcast/gateway/config/default.yaml";
    /** YAML aliases may fan out; a config has no reason to use many (guards against "billion laughs"). */
    private static final int MAX_ALIASES = 50;

    private ConfigLoader() {}

    /**
     * Loads {@code file}, expanding {@code ${VAR}} from {@code env} (pass {@code System.getenv()}).
     *
     * @throws ConfigException with every problem found, or that the file cannot be read
     */
    public static GatewayConfig load(Path file, Map<String, String> env) throws ConfigException {
        return parse(read(file), file.toString(), env);
    }

    /**
     * Parses YAML text; {@code fileName} only names it in error messages.
     *
     * @throws ConfigException with every problem found, sorted by position
     */
    public static GatewayConfig parse(String yaml, String fileName, Map<String, String> env) throws ConfigException {
        return parse(yaml, fileName, env, null, null);
    }

    /**
     * Parses the config and, over its routes, the API state ({@link ControlState}): what {@code run} starts
     * with when the API has written a state file. The state's values are taken as written: {@code ${VAR}} is not
     * read from the environment there (the API never reads it), so {@code $} is written {@code $$}.
     *
     * @param stateYaml the state file's text, or null for none
     * @param stateName names the state in error messages
     * @throws ConfigException with every problem of both, each naming its file
     */
    public static GatewayConfig parse(String yaml, String fileName, Map<String, String> env, String stateYaml,
            String stateName) throws ConfigException {
        ErrorCollector errors = new ErrorCollector(fileName);
        Optional<Node> root = compose(yaml, fileName, errors);
        Optional<Node> state = stateYaml == null ? Optional.empty() : compose(stateYaml, stateName, errors);
        GatewayConfig config = errors.count() == 0
                ? bind(root, new Binder(errors, env), state.map(n -> new Binder(errors, Map.of()))
                        .map(b -> b.mapping(state.get(), ""))) : null;
        if (errors.count() > 0) {
            throw new ConfigException(fileName, errors.sorted());
        }
        return Objects.requireNonNull(config);
    }

    /** The file's text, or a ConfigException saying why it cannot be read. */
    public static String read(Path file) throws ConfigException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (IOException e) {
            throw unreadable(file, e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        }
    }

    /** The name API request bodies have in error messages. */
    public static final String REQUEST = "request";

    /**
     * A push sent to the API (JSON, the fields of a {@code push} entry) for route {@code route} of the running
     * config, bound exactly as in the file. JSON is YAML, so errors name the body's line and column.
     *
     * @throws ConfigException with every problem, as {@code validate} prints them
     */
    public static PushConfig pushFromBody(String json, GatewayConfig running, RouteConfig route) throws ConfigException {
        ErrorCollector errors = new ErrorCollector(REQUEST);
        Optional<PushConfig> push = body(json, errors).flatMap(node -> {
            Binder binder = new Binder(errors, Map.of());
            return new RouteSection(binder, running.server(), running.relay(), running.transcode())
                    .pushBody(node, route);
        });
        if (errors.count() > 0) {
            throw new ConfigException(REQUEST, errors.sorted());
        }
        return push.orElseThrow();
    }

    /**
     * A route sent to the API (JSON, the fields of a {@code routes} entry), bound exactly as in the file and
     * checked against the routes that run (a stream or id taken). Gets an id when it has none.
     *
     * @throws ConfigException with every problem, as {@code validate} prints them
     */
    public static RouteConfig routeFromBody(String json, GatewayConfig running) throws ConfigException {
        ErrorCollector errors = new ErrorCollector(REQUEST);
        Optional<RouteConfig> route = body(json, errors).flatMap(node -> {
            Binder binder = new Binder(errors, Map.of());
            RouteSection routes = new RouteSection(binder, running.server(), running.relay(), running.transcode());
            running.routes().forEach(r -> routes.known(r, "routed by route " + r.id()));
            return routes.route(node, "", false)
                    .map(r -> r.id().isEmpty() ? r.withId(routes.generatedRouteId(r.stream())) : r);
        });
        if (errors.count() > 0) {
            throw new ConfigException(REQUEST, errors.sorted());
        }
        return route.orElseThrow();
    }

    /**
     * The body of a push switch, {@code {"enabled": true|false}}, checked as the binder checks a boolean.
     *
     * @throws ConfigException when it is not exactly that
     */
    public static boolean enabledFromBody(String json) throws ConfigException {
        ErrorCollector errors = new ErrorCollector(REQUEST);
        Optional<Boolean> on = body(json, errors).flatMap(node -> {
            Binder binder = new Binder(errors, Map.of());
            YamlMapping m = binder.mapping(node, "");
            Optional<Boolean> v = m.required("enabled").flatMap(n -> binder.bool(n, "enabled"));
            m.finish();
            return v;
        });
        if (errors.count() > 0) {
            throw new ConfigException(REQUEST, errors.sorted());
        }
        return on.orElseThrow();
    }

    private static Optional<Node> body(String json, ErrorCollector errors) {
        Optional<Node> node = compose(json, REQUEST, errors);
        if (node.isEmpty() && errors.count() == 0) {
            errors.addUnpositioned("the body is empty; send a JSON object");
        }
        return node;
    }

    /** The config from {@link #DEFAULT_RESOURCE}. */
    public static GatewayConfig defaults() {
        return Defaults.CONFIG;
    }

    private static Optional<Node> compose(String yaml, String fileName, ErrorCollector errors) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(fileName)
                .setSchema(new CoreSchema())
                .setMaxAliasesForCollections(MAX_ALIASES)
                .setAllowRecursiveKeys(false)
                .build();
        try {
            return new Compose(settings).composeString(yaml);
        } catch (MarkedYamlEngineException e) {
            String context = e.getContext() == null ? "" : e.getContext().strip();
            String problem = e.getProblem();
            String hint = "";
            if (problem.startsWith("but ") && !context.isEmpty()) {
                // snakeyaml splits "expected a single document ... but found another" in two; join them.
                problem = context + " " + problem;
            } else if (!context.isEmpty()) {
                hint = context + e.getContextMark()
                        .map(m -> " (line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ")").orElse("");
                if (context.startsWith("while parsing a flow") && problem.matches(".*but got [{}\\[\\]]")) {
                    // The usual cause: ${VAR} or {name} unquoted inside [ ] or { }, where braces are syntax.
                    hint += "; inside [ ] or { }, quote values that hold { } [ ] or ','";
                }
            }
            errors.add(e.getProblemMark(), 0, "", "YAML syntax error: " + problem, hint);
        } catch (YamlEngineException e) {
            errors.addUnpositioned("YAML error: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** @param state the API state's root, bound by a binder that does not read the environment */
    private static GatewayConfig bind(Optional<Node> root, Binder binder, Optional<YamlMapping> state) {
        if (root.isEmpty() && state.isEmpty()) {
            // An empty file (or only comments) means: all defaults.
            return new GatewayConfig(ServerConfig.DEFAULT, Optional.empty(), false, RelayConfig.DEFAULT,
                    TranscodeConfig.NONE, List.of());
        }
        YamlMapping m = root.map(r -> binder.mapping(r, "")).orElseGet(() -> binder.mapping(
                new org.snakeyaml.engine.v2.nodes.MappingNode(org.snakeyaml.engine.v2.nodes.Tag.MAP, List.of(),
                        org.snakeyaml.engine.v2.common.FlowStyle.BLOCK), ""));
        ServerConfig server = ServerSection.bind(m.mapping("server"));
        Optional<ApiConfig> api = m.node("api").map(n -> ServerSection.api(binder.mapping(n, "api")));
        boolean watch = m.bool("watch", false);
        RelayConfig relay = RelaySection.bind(m.mapping("relay"));
        TranscodeConfig transcode = TranscodeSection.bind(m.mapping("transcode"));
        LoggingConfig logging = ServerSection.logging(m.mapping("logging"));
        RouteSection routeSection = new RouteSection(binder, server, relay, transcode);
        List<RouteConfig> routes = routeSection.bind(m.list("routes"));
        Optional<ClusterConfig> cluster = m.node("cluster").flatMap(n -> ClusterSection.bind(binder.mapping(n,
                "cluster")));
        AuthConfig auth = AuthSection.bind(m.mapping("auth"));
        m.finish();
        if (state.isPresent()) {
            // The same section, so streams, ids and the encoder count are checked across both files; but the
            // state's own binder, which leaves ${VAR} unexpanded.
            routes = StateSection.bind(state.get(), routeSection.withBinder(state.get().binder()), routes);
        }
        return new GatewayConfig(server, api, watch, relay, transcode, routes, cluster, logging, auth);
    }

    private static ConfigException unreadable(Path file, String reason) {
        ErrorCollector errors = new ErrorCollector(file.toString());
        errors.addUnpositioned("cannot read the file: " + reason);
        return new ConfigException(file.toString(), errors.sorted());
    }

    /** Loaded on first use; a broken built-in default is a build bug, not a user error. */
    private static final class Defaults {
        static final GatewayConfig CONFIG = load();

        private static GatewayConfig load() {
            try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
                }
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), DEFAULT_RESOURCE, Map.of());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ConfigException e) {
                throw new IllegalStateException("the built-in default config is invalid:\n" + e.getMessage(), e);
            }
        }
    }
}
