package io.loomcast.gateway.config;

/**
 * How the gateway writes its log.
 *
 * @param format {@code text} for people, {@code json} (one object per line) for log shippers
 */
public record LoggingConfig(Format format) {
    public static final LoggingConfig DEFAULT = new LoggingConfig(Format.TEXT);

    /** The log line format. */
    public enum Format {
        TEXT("text"),
        JSON("json");

        private final String configName;

        Format(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }
    }
}
