package io.loomcast.gateway.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A config file that cannot be used, with every problem found in it (not only the first), sorted by position.
 * The message is a header line followed by one formatted {@link ConfigError} per line.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    public ConfigException(String file, List<ConfigError> errors) {
        super(message(file, errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    /** The problems, sorted by line and column. */
    public List<ConfigError> errors() {
        return errors;
    }

    private static String message(String file, List<ConfigError> errors) {
        String header = "%s: %d config error%s".formatted(file, errors.size(), errors.size() == 1 ? "" : "s");
        return errors.stream().map(ConfigError::format).collect(Collectors.joining("\n", header + "\n", ""));
    }
}
