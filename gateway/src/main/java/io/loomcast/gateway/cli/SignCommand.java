package io.loomcast.gateway.cli;

import io.loomcast.gateway.auth.AppPattern;
import io.loomcast.gateway.auth.UrlSignature;
import io.loomcast.gateway.config.AuthRuleConfig;
import io.loomcast.gateway.config.ConfigException;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.config.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gateway sign APP/NAME --expires 1h}: prints {@code APP/NAME?expires=UNIX&sig=HEX}, a stream name that
 * passes a rule's {@code secret} check until then. The secret comes from {@value #SECRET_ENV}, or else from the
 * first publish (or, with {@code --play}, play) rule of the config that matches the app. Only the signed name is
 * printed; the secret never is.
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Print a signed stream name (APP/NAME?expires=UNIX&sig=HEX) for a rule's secret.")
public final class SignCommand implements Callable<Integer> {
    /** The environment variable read first for the secret. */
    public static final String SECRET_ENV = "LOOMCAST_SIGNING_SECRET";
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(s|m|h|d)");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "APP/NAME", description = "the stream, e.g. live/show")
    String stream;

    @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "1h",
            description = "how long from now it is valid: 90s, 30m, 1h, 7d (default: ${DEFAULT-VALUE})")
    String expires;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "config to take the secret from when " + SECRET_ENV + " is not set (default: "
                    + "config/gateway.yaml)")
    Path config;

    @Option(names = "--play", description = "take the secret from the play rules instead of the publish rules")
    boolean play;

    private final Map<String, String> env;
    private final InstantSource clock;

    public SignCommand() {
        this(System.getenv(), InstantSource.system());
    }

    /** With the given environment and clock (tests). */
    public SignCommand(Map<String, String> env, InstantSource clock) {
        this.env = Map.copyOf(env);
        this.clock = clock;
    }

    @Override
    public Integer call() {
        int slash = stream.indexOf('/');
        if (slash <= 0 || slash == stream.length() - 1 || stream.contains("?")) {
            return fail("expected APP/NAME without a query, e.g. live/show");
        }
        Optional<Duration> validFor = duration(expires);
        if (validFor.isEmpty()) {
            return fail("--expires: expected a duration like 90s, 30m, 1h or 7d");
        }
        Optional<Secret> secret;
        try {
            secret = secret(stream.substring(0, slash));
        } catch (ConfigException e) {
            return fail(e.getMessage());
        } catch (IllegalStateException e) {
            return fail(e.getMessage());
        }
        if (secret.isEmpty()) {
            return fail("no secret: set " + SECRET_ENV + ", or give a config (-c) whose " + (play ? "play" : "publish")
                    + " rule for this app has one");
        }
        long until = clock.instant().plus(validFor.get()).getEpochSecond();
        spec.commandLine().getOut().println(stream + "?" + UrlSignature.query(secret.get(), stream, until));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private Optional<Secret> secret(String app) throws ConfigException {
        String fromEnv = env.get(SECRET_ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return Optional.of(new Secret(fromEnv));
        }
        Path file = config != null ? config : Files.isRegularFile(RunCommand.DEFAULT_FILE) ? RunCommand.DEFAULT_FILE : null;
        if (file == null) {
            return Optional.empty();
        }
        GatewayConfig cfg = ConfigLoader.load(file, env);
        List<AuthRuleConfig> rules = play ? cfg.auth().play() : cfg.auth().publish();
        Optional<AuthRuleConfig> rule = rules.stream().filter(r -> new AppPattern(r.app()).matches(app)).findFirst();
        if (rule.isPresent() && rule.get().secret().isEmpty()) {
            throw new IllegalStateException("the first %s rule matching app '%s' (app: %s) has no secret".formatted(
                    play ? "play" : "publish", app, rule.get().app()));
        }
        return rule.flatMap(AuthRuleConfig::secret);
    }

    private static Optional<Duration> duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        });
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("sign: " + message);
        spec.commandLine().getErr().flush();
        return 1;
    }
}
