package io.loomcast.gateway.protocol.handshake;

/**
 * What the peer's last packet (C2 seen by a server, S2 seen by a client) proved. Both {@link #ECHOED} and
 * {@link #SIGNED} are valid; {@link #MISMATCH} fails the handshake only when
 * {@link HandshakeOptions#strictResponse()} is set, otherwise it is a named, reported leniency.
 */
public enum ResponseCheck {
    /** RTMP 5.2.4: the packet echoes the time and random fields of the one we sent. */
    ECHOED,
    /** Digest handshake: the last 32 bytes are the signature keyed from our digest. */
    SIGNED,
    /**
     * Neither. Seen from servers that answer a simple C1 with random S2 (nginx-rtmp) and from librtmp-based
     * servers whose S2 signature does not validate; the session usually works regardless.
     */
    MISMATCH;

    /** True unless {@link #MISMATCH}. */
    public boolean valid() {
        return this != MISMATCH;
    }
}
