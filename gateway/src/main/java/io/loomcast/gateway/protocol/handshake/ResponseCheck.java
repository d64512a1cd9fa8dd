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
     * Neither. Reported of librtmp-based servers whose S2 signature does not validate (ffmpeg, nginx-rtmp and
     * librtmp clients all sign or echo correctly, see the interop tests); the session works regardless.
     */
    MISMATCH;

    /** True unless {@link #MISMATCH}. */
    public boolean valid() {
        return this != MISMATCH;
    }
}
