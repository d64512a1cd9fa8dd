package io.loomcast.gateway.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS for an {@code rtmps://} connection.
 *
 * @param caFile PEM certificates to trust instead of the JDK's default trust store; empty = the default
 */
public record TlsConfig(Optional<Path> caFile) {
    /** The JDK's default trust store. */
    public static final TlsConfig DEFAULT = new TlsConfig(Optional.empty());
}
