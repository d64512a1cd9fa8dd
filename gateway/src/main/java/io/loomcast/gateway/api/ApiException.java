package io.loomcast.gateway.api;

import io.loomcast.gateway.config.ConfigError;
import io.loomcast.gateway.config.ConfigException;
import java.util.List;

/**
 * A request the API refuses, with its HTTP status and the body it gets: {@code {"error": ..., "details": [...]}}.
 * The one error shape of the API.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient List<String> details;

    public ApiException(int status, String error, List<String> details) {
        super(error);
        this.status = status;
        this.details = List.copyOf(details);
    }

    public ApiException(int status, String error) {
        this(status, error, List.of());
    }

    /** 400 with every problem the binder found, one {@code file:line:col: path: message; hint} each. */
    static ApiException invalid(String what, ConfigException e) {
        return new ApiException(400, what, e.errors().stream().map(ConfigError::format).toList());
    }

    static ApiException notFound(String what) {
        return new ApiException(404, what);
    }

    public int status() {
        return status;
    }

    public List<String> details() {
        return details;
    }

    /** The JSON body. */
    record Body(String error, List<String> details) {}

    Body body() {
        return new Body(getMessage(), details);
    }
}
