package io.loomcast.gateway.config;

/** The HTTP API and metrics endpoint; present only when the file has an {@code api} section. */
public record ApiConfig(ListenAddress listen) {
    public static final ApiConfig DEFAULT = new ApiConfig(new ListenAddress("127.0.0.1", 8080));
}
