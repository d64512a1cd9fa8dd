package io.loomcast.gateway.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The HTTP API, metrics and dashboard; present only when the file has an {@code api} section.
 *
 * @param listen    where HTTP is served
 * @param token     the bearer token every {@code /api/} request must carry; a secret, never printed
 * @param insecure  the operator's explicit permission to serve a non-loopback address without a token
 * @param stateFile where writes made through the API are kept; relative to the config file's directory. Empty:
 *                  beside the config file, its name with {@code .state.yaml} for {@code .yaml}
 */
public record ApiConfig(ListenAddress listen, Optional<String> token, boolean insecure, Optional<Path> stateFile) {
    public static final ApiConfig DEFAULT = new ApiConfig(new ListenAddress("127.0.0.1", 8080));
    /** A shorter token can be guessed; 16 random characters are the least we accept. */
    public static final int MIN_TOKEN_CHARS = 16;

    /** Listens on {@code listen}, no token, the default state file. */
    public ApiConfig(ListenAddress listen) {
        this(listen, Optional.empty(), false, Optional.empty());
    }

    /** Whether {@code host} only accepts connections from this machine. */
    public static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
                || host.equals("0:0:0:0:0:0:0:1");
    }

    /** The state file for a config read from {@code configFile}: {@link #stateFile} resolved, or the default. */
    public Path stateFileFor(Path configFile) {
        Path dir = configFile.toAbsolutePath().getParent();
        if (stateFile.isPresent()) {
            return dir.resolve(stateFile.get());
        }
        String name = configFile.getFileName().toString();
        String base = name.endsWith(".yaml") ? name.substring(0, name.length() - 5)
                : name.endsWith(".yml") ? name.substring(0, name.length() - 4) : name;
        return dir.resolve(base + ".state.yaml");
    }

    @Override
    public String toString() {
        return "ApiConfig[listen=" + listen + ", token=" + token.map(t -> Redaction.MASK).orElse("none")
                + ", insecure=" + insecure + ", stateFile=" + stateFile + "]";
    }
}
