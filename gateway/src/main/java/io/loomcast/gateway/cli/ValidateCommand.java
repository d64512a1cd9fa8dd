package io.loomcast.gateway.cli;

import io.loomcast.gateway.config.AuthConfig;
import io.loomcast.gateway.config.ConfigError;
import io.loomcast.gateway.config.ConfigException;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.config.RouteConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gateway validate FILE}: loads a config as {@code run} would, prints every problem (one per line, to
 * stderr) and exits 1; or prints a one-line summary (to stdout) and exits 0.
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
            GatewayConfig config = ConfigLoader.load(file, env);
            spec.commandLine().getOut().println(file + ": OK: " + summary(config));
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
