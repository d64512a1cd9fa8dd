package io.loomcast.gateway.config;

import java.nio.charset.StandardCharsets;

/**
 * A credential from the config (a stream key, a signing secret). It prints as {@code ***} wherever it ends up:
 * {@code toString()} of the records holding it, logs, {@code validate} output. Compared by value, so a reload
 * can tell whether it changed.
 *
 * @param value the secret itself; read it only where it is checked
 */
public record Secret(String value) {
    public Secret {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a secret must not be empty");
        }
    }

    /** The UTF-8 bytes, for HMAC keys and constant-time comparison. */
    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return Redaction.MASK;
    }
}
