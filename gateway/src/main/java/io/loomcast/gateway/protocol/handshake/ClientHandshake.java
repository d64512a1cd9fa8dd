package io.loomcast.gateway.protocol.handshake;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The client side of the handshake as a byte-level state machine: send {@link #c0c1()}, pass S0S1 to
 * {@link #respond} and send the C2 it returns, then pass S2 to {@link #verifyS2}. No I/O;
 * {@link Handshake#client} drives it over a stream. One per connection, not thread-safe.
 *
 * <p>Offering {@link HandshakeMode.Digest}, C1 carries our version and a digest under the Flash Player key.
 * S1 must then either carry a digest under the Flash Media Server key (under either scheme: nginx-rtmp always
 * uses scheme 0), or have a zero version field, meaning the server does not do digests; we then fall back to
 * the simple handshake, and the result says so. A non-zero version with no valid digest is refused.
 */
public final class ClientHandshake {
    /** The version we put in a digest C1: a Flash Player 9 release with the digest handshake. */
    public static final SoftwareVersion ADVERTISED_VERSION = new SoftwareVersion(9, 0, 124, 2);

    /** S0 and S1 as one unit; S2 follows separately. */
    public static final int S0S1_BYTES = 1 + Packet.BYTES;

    private enum State { AWAITING_S0S1, AWAITING_S2, DONE, FAILED }

    private final HandshakeOptions options;
    private final HandshakeMode offer;
    private final long localEpochMillis;
    private final byte[] c1;
    private State state = State.AWAITING_S0S1;
    private HandshakeMode mode;
    private long peerEpochMillis;
    private SoftwareVersion peerVersion;
    private byte[] s1;

    /** Builds C1 at once, with the epoch read from the options' clock. */
    public ClientHandshake(HandshakeMode offer, HandshakeOptions options) {
        this.offer = Objects.requireNonNull(offer, "offer");
        this.options = Objects.requireNonNull(options, "options");
        this.localEpochMillis = Packet.epochMillis(options.nanoClock().getAsLong());
        this.c1 = switch (offer) {
            case HandshakeMode.Simple s -> Packet.fresh(localEpochMillis, SoftwareVersion.NONE, options.random());
            case HandshakeMode.Digest d -> {
                byte[] p = Packet.fresh(localEpochMillis, ADVERTISED_VERSION, options.random());
                d.scheme().imprint(p, AdobeKey.PLAYER_PARTIAL);
                yield p;
            }
        };
    }

    /** C0 and C1, to send first (RTMP 5.2.1). */
    public byte[] c0c1() {
        byte[] out = new byte[1 + Packet.BYTES];
        out[0] = RtmpVersion.VERSION;
        System.arraycopy(c1, 0, out, 1, Packet.BYTES);
        return out;
    }

    /** RTMP 5.2.2: checks S0 on its own, before waiting for S1. */
    public static void checkS0(int version) throws ProtocolException {
        RtmpVersion.check("S0", version);
    }

    /**
     * Reads S0S1 and returns C2, to send before reading S2.
     *
     * @param s0s1 exactly {@value #S0S1_BYTES} bytes
     * @throws ProtocolException if S0 is not version 3, or a digest was offered and S1 carries a version
     *                           but no valid digest
     */
    public byte[] respond(byte[] s0s1) throws ProtocolException {
        expect(State.AWAITING_S0S1, s0s1, S0S1_BYTES, "S0S1");
        state = State.FAILED; // until proven otherwise: a connection-fatal error stays fatal
        checkS0(s0s1[0]);
        s1 = Arrays.copyOfRange(s0s1, 1, S0S1_BYTES);
        peerEpochMillis = Packet.time(s1);
        peerVersion = SoftwareVersion.read(s1, 4);

        byte[] c2;
        if (offer instanceof HandshakeMode.Digest d && !peerVersion.isNone()) {
            DigestScheme scheme = serverDigestScheme(d.scheme());
            mode = HandshakeMode.digest(scheme);
            c2 = Packet.signed(scheme.digest(s1), AdobeKey.PLAYER_FULL, options.random());
        } else {
            mode = HandshakeMode.simple();
            c2 = s1.clone(); // RTMP 5.2.4: C2 echoes S1
        }
        state = State.AWAITING_S2;
        return c2;
    }

    /**
     * Checks S2 and completes the handshake. S2 is valid if it echoes C1 (RTMP 5.2.4) or, in a digest
     * handshake, is signed with the Flash Media Server key.
     *
     * @param s2 exactly 1536 bytes
     * @throws ProtocolException if S2 is neither and {@link HandshakeOptions#strictResponse()} is set
     */
    public HandshakeResult verifyS2(byte[] s2) throws ProtocolException {
        expect(State.AWAITING_S2, s2, Packet.BYTES, "S2");
        state = State.FAILED;
        ResponseCheck check;
        if (Packet.echoes(s2, c1)) {
            check = ResponseCheck.ECHOED;
        } else if (offer instanceof HandshakeMode.Digest d && mode instanceof HandshakeMode.Digest
                && Packet.signedBy(s2, d.scheme().digest(c1), AdobeKey.SERVER_FULL)) {
            check = ResponseCheck.SIGNED;
        } else {
            check = ResponseCheck.MISMATCH;
        }
        if (check == ResponseCheck.MISMATCH && options.strictResponse()) {
            throw new ProtocolException(("S2 neither echoes C1 nor carries a valid signature (%s handshake, "
                    + "server version %s); strict response checking is on").formatted(mode, peerVersion));
        }
        state = State.DONE;
        return new HandshakeResult(mode, localEpochMillis, peerEpochMillis, peerVersion, check);
    }

    /** The scheme of S1's Flash Media Server digest, trying the one we offered first. */
    private DigestScheme serverDigestScheme(DigestScheme offered) throws ProtocolException {
        for (DigestScheme scheme : new DigestScheme[] {offered, offered.other()}) {
            if (scheme.validates(s1, AdobeKey.SERVER_PARTIAL)) {
                return scheme;
            }
        }
        throw new ProtocolException(("S1 has server version %s but no digest valid under the Flash Media "
                + "Server key in scheme 0 or 1; not a digest handshake we can trust").formatted(peerVersion));
    }

    private void expect(State expected, byte[] unit, int bytes, String name) {
        if (state != expected) {
            throw new IllegalStateException("%s given while %s".formatted(name, state));
        }
        if (unit.length != bytes) {
            throw new IllegalArgumentException("%s must be %d bytes, got %d".formatted(name, bytes, unit.length));
        }
    }
}
