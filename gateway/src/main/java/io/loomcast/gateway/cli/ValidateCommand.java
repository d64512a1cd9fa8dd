package io.loomcast.gateway.cli;

import io.loomcast.gateway.api.ControlPlane;
import io.loomcast.gateway.cluster.Shard;
import io.loomcast.gateway.config.AuthConfig;
import io.loomcast.gateway.config.ConfigError;
import io.loomcast.gateway.config.ConfigException;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.config.RouteConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gateway validate FILE}: loads a config as {@code run} would, prints every problem (one per line, to
 * stderr) and exits 1; or prints a one-line summary (to stdout) and exits 0. With {@code --shard I/N} (or a
 * {@code cluster} section in the file) it also lists the routes that pull and push which that replica runs.
 */
@Command(name = "validate",
        description = "Check a config file; print every problem in it, or a summary when it is valid.",
        mixinStandardHelpOptions = true)
public final class ValidateCommand implements Callable<Integer> {
    /** Exit code for a config with problems. */
    public static final int INVALID = 1;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the YAML config, e.g. config/gateway.yaml")
    Path file;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "List the routes that pull and push which replica I (from 0) of N runs; "
                    + "overrides the file's cluster section.")
    String shard;

    private final Map<String, String> env;

    /** Expands {@code ${VAR}} from the process environment, as {@code run} does. */
    public ValidateCommand() {
        this(System.getenv());
    }

    /** Expands {@code ${VAR}} from {@code env} (tests). */
    public ValidateCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public Integer call() {
        try {
            Shard replica;
            try {
                replica = shard != null ? Shard.parse(shard) : null;
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--shard: " + e.getMessage());
            }
            // The API state file too, when the config has an api section: run would refuse a bad one.
            GatewayConfig config = ControlPlane.load(file, env).config();
            PrintWriter out = spec.commandLine().getOut();
            out.println(file + ": OK: " + summary(config));
            if (replica == null && config.cluster().isPresent()) {
                replica = Shard.of(config);
            }
            if (replica != null) {
                out.print(ownership(config, replica));
            }
            out.flush();
            return 0;
        } catch (ConfigException e) {
            PrintWriter err = spec.commandLine().getErr();
            for (ConfigError error : e.errors()) {
                err.println(error.format());
            }
            err.flush();
            return INVALID;
        }
    }

    /** The routes replica {@code shard} runs, one per line: what {@code --shard} prints. */
    static String ownership(GatewayConfig config, Shard shard) {
        List<RouteConfig> sharded = Shard.shardedRoutes(config);
        List<RouteConfig> owned = shard.ownedRoutes(config);
        StringBuilder b = new StringBuilder();
        long exact = owned.stream().filter(r -> !r.isWildcard()).count();
        b.append("shard %s runs %d of the %d routes that pull and push:%n".formatted(shard, exact,
                sharded.stream().filter(r -> !r.isWildcard()).count()));
        for (RouteConfig r : owned) {
            b.append(r.isWildcard() ? "  %s (the streams of it that this shard owns by name)%n".formatted(r.stream())
                    : "  %s%n".formatted(r.stream()));
        }
        int others = config.routes().size() - sharded.size();
        if (others > 0) {
            b.append("every replica runs the other %s (fed by publishers or pull only)%n".formatted(
                    count(others, "route")));
        }
        return b.toString();
    }

    static String summary(GatewayConfig config) {
        int pulls = (int) config.routes().stream().filter(r -> r.pull().isPresent()).count();
        int pushes = config.routes().stream().mapToInt(r -> r.pushes().size()).sum();
        long wildcards = config.routes().stream().filter(RouteConfig::isWildcard).count();
        String routes = config.routes().isEmpty() ? "no routes (any app/stream may publish and play)"
                : count(config.routes().size(), "route") + " (" + count(wildcards, "wildcard") + ", "
                        + count(pulls, "pull") + ", " + count(pushes, "push") + ")";
        return "RTMP on " + config.server().listen() + ", "
                + config.server().tls().map(t -> "RTMPS on " + t.listen() + ", ").orElse("")
                + config.api().map(a -> "API on " + a.listen() + ", ").orElse("")
                + routes + ", " + count(config.transcode().profiles().size(), "transcode profile")
                + auth(config.auth());
    }

    /** The auth section's shape, never its keys or secrets; nothing when there is none. */
    private static String auth(AuthConfig auth) {
        if (auth.equals(AuthConfig.OPEN)) {
            return "";
        }
        return ", auth: " + count(auth.publish().size(), "publish rule") + ", " + count(auth.play().size(), "play rule")
                + ", " + count(auth.allow().size() + auth.deny().size(), "address rule");
    }

    private static String count(long n, String noun) {
        String plural = noun.endsWith("sh") ? noun + "es" : noun + "s";
        return n + " " + (n == 1 ? noun : plural);
    }
}
