package io.loomcast.gateway.session;

import java.io.IOException;

/**
 * The server answered a command with {@code _error} or an error onStatus, e.g. NetStream.Publish.BadName.
 * The code is kept apart from the message so callers can count failures by it.
 */
public class CommandRejectedException extends IOException {
    private final String code;

    public CommandRejectedException(String command, String code, String description) {
        super("%s rejected: %s (%s)".formatted(command, code, description));
        this.code = code;
    }

    /** The status code, e.g. {@code NetStream.Play.StreamNotFound}; empty when the server gave none. */
    public String code() {
        return code;
    }
}
