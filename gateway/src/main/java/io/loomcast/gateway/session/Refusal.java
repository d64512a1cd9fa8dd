package io.loomcast.gateway.session;

/**
 * Why the server refused or cut off a connection for a limit or a rule, as counted in {@link ServerCounters};
 * {@link #label()} is the metrics label.
 */
public enum Refusal {
    /** At accept: {@code server.maxConnections} connections were open. */
    MAX_CONNECTIONS("max_connections"),
    /** At accept: the address is denied, or not allowed, by {@code auth.deny}/{@code auth.allow}. */
    ADDRESS_DENIED("address_denied"),
    /** At accept: {@code server.maxConnectionsPerIp} connections from that address were open. */
    PER_IP_LIMIT("per_ip_limit"),
    /** The RTMP or TLS handshake was not done within {@code server.handshakeTimeout}. */
    HANDSHAKE_TIMEOUT("handshake_timeout"),
    /** The TLS handshake failed (no common protocol or cipher, not TLS at all, a bad record). */
    TLS_HANDSHAKE_FAILED("tls_handshake_failed"),
    /** One more message stream than {@code server.limits.maxStreamsPerConnection}. */
    STREAM_LIMIT("stream_limit"),
    /** The peer let more than {@code server.limits.maxControlBacklog} of replies pile up unread. */
    CONTROL_BACKLOG("control_backlog"),
    /** A publish the auth rules refused. */
    PUBLISH_DENIED("publish_denied"),
    /** A play the auth rules refused. */
    PLAY_DENIED("play_denied");

    private final String label;

    Refusal(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether this refusal happens at accept, before the handshake. */
    public boolean atAccept() {
        return this == MAX_CONNECTIONS || this == ADDRESS_DENIED || this == PER_IP_LIMIT;
    }
}
