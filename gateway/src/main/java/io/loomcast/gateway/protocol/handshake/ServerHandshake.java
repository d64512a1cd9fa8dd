package io.loomcast.gateway.protocol.handshake;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.Arrays;

/**
 * The server side of the handshake as a byte-level state machine: {@link #respond} once with C0C1, then
 * {@link #verifyC2} once. No I/O; {@link Handshake#server} drives it over a stream. One per connection, not
 * thread-safe.
 *
 * <p>A C1 carrying a version and a digest valid under the Flash Player key (scheme 0 or 1) is answered
 * digest-style: S1 carries our version and a digest under the Flash Media Server key in the client's scheme,
 * and S2 ends with a signature keyed from the client's digest. Any other C1 is answered as RTMP 5.2 says: S1
 * with a zero version field, S2 an exact echo of C1. Never the mix: a Flash-style client (ffmpeg, librtmp)
 * that sees a non-zero version in S1 checks its digest and drops the connection if it does not validate.
 */
public final class ServerHandshake {
    /**
     * The version we put in a digest S1. Clients do not interpret it beyond "non-zero", except that ffmpeg only
     * checks the S1 digest when the first byte is at least 3, and we want it checked.
     */
    public static final SoftwareVersion ADVERTISED_VERSION = new SoftwareVersion(4, 5, 0, 1);

    /** C0 and C1 as one unit: the version byte and one packet. */
    public static final int C0C1_BYTES = 1 + Packet.BYTES;
    /** S0, S1 and S2, sent together as soon as C1 has arrived (RTMP 5.2.1). */
    public static final int S0S1S2_BYTES = 1 + 2 * Packet.BYTES;

    private enum State { AWAITING_C0C1, AWAITING_C2, DONE, FAILED }

    private final HandshakeOptions options;
    private State state = State.AWAITING_C0C1;
    private HandshakeMode mode;
    private long localEpochMillis;
    private long peerEpochMillis;
    private SoftwareVersion peerVersion;
    private byte[] s1;

    public ServerHandshake(HandshakeOptions options) {
        this.options = options;
    }

    /** RTMP 5.2.2: checks C0 on its own, so garbage is refused before waiting for 1536 more bytes. */
    public static void checkC0(int version) throws ProtocolException {
        RtmpVersion.check("C0", version);
    }

    /**
     * Reads C0C1 and returns S0S1S2.
     *
     * @param c0c1 exactly {@value #C0C1_BYTES} bytes
     * @throws ProtocolException if C0 is not version 3
     */
    public byte[] respond(byte[] c0c1) throws ProtocolException {
        expect(State.AWAITING_C0C1, c0c1, C0C1_BYTES, "C0C1");
        state = State.FAILED; // until proven otherwise: a connection-fatal error stays fatal
        checkC0(c0c1[0]);
        byte[] c1 = Arrays.copyOfRange(c0c1, 1, C0C1_BYTES);
        peerEpochMillis = Packet.time(c1);
        peerVersion = SoftwareVersion.read(c1, 4);
        localEpochMillis = Packet.epochMillis(options.nanoClock().getAsLong());

        DigestScheme scheme = peerVersion.isNone() ? null : clientDigestScheme(c1);
        byte[] s2;
        if (scheme == null) {
            mode = HandshakeMode.simple();
            s1 = Packet.fresh(localEpochMillis, SoftwareVersion.NONE, options.random());
            s2 = c1; // RTMP 5.2.4: S2 echoes C1
        } else {
            mode = HandshakeMode.digest(scheme);
            s1 = Packet.fresh(localEpochMillis, ADVERTISED_VERSION, options.random());
            scheme.imprint(s1, AdobeKey.SERVER_PARTIAL);
            s2 = Packet.signed(scheme.digest(c1), AdobeKey.SERVER_FULL, options.random());
        }
        state = State.AWAITING_C2;

        byte[] out = new byte[S0S1S2_BYTES];
        out[0] = RtmpVersion.VERSION;
        System.arraycopy(s1, 0, out, 1, Packet.BYTES);
        System.arraycopy(s2, 0, out, 1 + Packet.BYTES, Packet.BYTES);
        return out;
    }

    /**
     * Checks C2 and completes the handshake. C2 is valid if it echoes S1 (RTMP 5.2.4) or, after a digest S1,
     * is signed with the Flash Player key; ffmpeg signs when it plays but echoes when it publishes.
     *
     * @param c2 exactly 1536 bytes
     * @throws ProtocolException if C2 is neither and {@link HandshakeOptions#strictResponse()} is set
     */
    public HandshakeResult verifyC2(byte[] c2) throws ProtocolException {
        expect(State.AWAITING_C2, c2, Packet.BYTES, "C2");
        state = State.FAILED;
        ResponseCheck check;
        if (Packet.echoes(c2, s1)) {
            check = ResponseCheck.ECHOED;
        } else if (mode instanceof HandshakeMode.Digest d
                && Packet.signedBy(c2, d.scheme().digest(s1), AdobeKey.PLAYER_FULL)) {
            check = ResponseCheck.SIGNED;
        } else {
            check = ResponseCheck.MISMATCH;
        }
        if (check == ResponseCheck.MISMATCH && options.strictResponse()) {
            throw new ProtocolException(("C2 neither echoes S1 nor carries a valid signature (%s handshake, "
                    + "client version %s); strict response checking is on").formatted(mode, peerVersion));
        }
        state = State.DONE;
        return new HandshakeResult(mode, localEpochMillis, peerEpochMillis, peerVersion, check);
    }

    /** The scheme under which C1 carries a Flash Player digest, or null if it carries none. */
    private static DigestScheme clientDigestScheme(byte[] c1) {
        for (DigestScheme scheme : DigestScheme.values()) {
            if (scheme.validates(c1, AdobeKey.PLAYER_PARTIAL)) {
                return scheme;
            }
        }
        return null;
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
