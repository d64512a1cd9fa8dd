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
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (IOException e) {
            throw unreadable(file, e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        }
        return parse(text, file.toString(), env);
    }

    /**
     * Parses YAML text; {@code fileName} only names it in error messages.
     *
     * @throws ConfigException with every problem found, sorted by position
     */
    public static GatewayConfig parse(String yaml, String fileName, Map<String, String> env) throws ConfigException {
        ErrorCollector errors = new ErrorCollector(fileName);
        Optional<Node> root = compose(yaml, fileName, errors);
        GatewayConfig config = errors.count() == 0 ? bind(root, new Binder(errors, env)) : null;
        if (errors.count() > 0) {
            throw new ConfigException(fileName, errors.sorted());
        }
        return Objects.requireNonNull(config);
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

    private static GatewayConfig bind(Optional<Node> root, Binder binder) {
        if (root.isEmpty()) {
            // An empty file (or only comments) means: all defaults.
            return new GatewayConfig(ServerConfig.DEFAULT, Optional.empty(), false, RelayConfig.DEFAULT,
                    TranscodeConfig.NONE, List.of());
        }
        YamlMapping m = binder.mapping(root.get(), "");
        ServerConfig server = ServerSection.bind(m.mapping("server"));
        Optional<ApiConfig> api = m.node("api").map(n -> ServerSection.api(binder.mapping(n, "api")));
        boolean watch = m.bool("watch", false);
        RelayConfig relay = RelaySection.bind(m.mapping("relay"));
        TranscodeConfig transcode = TranscodeSection.bind(m.mapping("transcode"));
        List<RouteConfig> routes = new RouteSection(binder, server, relay, transcode).bind(m.list("routes"));
        Optional<ClusterConfig> cluster = m.node("cluster").flatMap(n -> ClusterSection.bind(binder.mapping(n,
                "cluster")));
        AuthConfig auth = AuthSection.bind(m.mapping("auth"));
        m.finish();
        return new GatewayConfig(server, api, watch, relay, transcode, routes, cluster, auth);
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
