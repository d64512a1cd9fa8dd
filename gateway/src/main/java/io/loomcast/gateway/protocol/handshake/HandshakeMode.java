package io.loomcast.gateway.protocol.handshake;

import java.util.Objects;

/**
 * Which handshake flavour a peer spoke: the specification's simple one (RTMP 5.2), or the Flash Player 9
 * digest one. A client passes the mode it offers; a result reports the mode that was agreed.
 */
public sealed interface HandshakeMode {
    /** RTMP 5.2.3: version field zero, random bytes, and C2/S2 echoing the peer's C1/S1. */
    record Simple() implements HandshakeMode {
        @Override
        public String toString() {
            return "simple";
        }
    }

    /**
     * Flash Player 9 style: an HMAC-SHA256 digest hidden in C1/S1 and a signature at the end of C2/S2.
     *
     * @param scheme where the digest sits; in a result, the scheme under which the peer's digest validated
     */
    record Digest(DigestScheme scheme) implements HandshakeMode {
        public Digest {
            Objects.requireNonNull(scheme, "scheme");
        }

        @Override
        public String toString() {
            return "digest scheme " + scheme.number();
        }
    }

    /** The simple handshake. */
    static HandshakeMode simple() {
        return new Simple();
    }

    /** The digest handshake with the digest placed by {@code scheme}. */
    static HandshakeMode digest(DigestScheme scheme) {
        return new Digest(scheme);
    }
}
