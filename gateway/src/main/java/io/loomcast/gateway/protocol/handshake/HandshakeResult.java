package io.loomcast.gateway.protocol.handshake;

import java.util.Objects;

/**
 * What a finished handshake established.
 *
 * @param mode             the flavour agreed; for {@link HandshakeMode.Digest}, the scheme of the peer's digest
 * @param localEpochMillis the time field we sent in C1/S1 (RTMP 5.2.3), unsigned 32-bit
 * @param peerEpochMillis  the time field the peer sent in C1/S1, unsigned 32-bit; the epoch of its timestamps
 * @param peerVersion      the peer's version field; {@link SoftwareVersion#NONE} from simple-handshake peers
 * @param response         whether the peer's C2/S2 echoed or signed our C1/S1
 */
public record HandshakeResult(
        HandshakeMode mode,
        long localEpochMillis,
        long peerEpochMillis,
        SoftwareVersion peerVersion,
        ResponseCheck response) {
    public HandshakeResult {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(peerVersion, "peerVersion");
        Objects.requireNonNull(response, "response");
    }

    /** True if the peer's C2/S2 echoed or signed ours. */
    public boolean responseValidated() {
        return response.valid();
    }
}
