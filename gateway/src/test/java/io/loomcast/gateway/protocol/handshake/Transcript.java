package io.loomcast.gateway.protocol.handshake;

import static io.loomcast.gateway.testing.Hex.concat;

import java.util.Arrays;

/**
 * The bytes of one deterministic handshake, produced by the two state machines talking directly. Because the
 * options are deterministic, a fresh server or client given the same options sends the same bytes again, so
 * these can be replayed through the driver at any fragmentation.
 */
record Transcript(HandshakeMode offer, byte[] c0c1, byte[] s0s1s2, byte[] c2,
        HandshakeResult serverResult, HandshakeResult clientResult) {

    static Transcript of(HandshakeMode offer) throws Exception {
        ClientHandshake client = new ClientHandshake(offer, Fixtures.clientOptions());
        ServerHandshake server = new ServerHandshake(Fixtures.serverOptions());
        byte[] c0c1 = client.c0c1();
        byte[] s0s1s2 = server.respond(c0c1);
        byte[] c2 = client.respond(Arrays.copyOf(s0s1s2, ClientHandshake.S0S1_BYTES));
        HandshakeResult serverResult = server.verifyC2(c2);
        HandshakeResult clientResult = client.verifyS2(Arrays.copyOfRange(s0s1s2, ClientHandshake.S0S1_BYTES,
                ServerHandshake.S0S1S2_BYTES));
        return new Transcript(offer, c0c1, s0s1s2, c2, serverResult, clientResult);
    }

    /** What the server reads: C0C1 then C2. */
    byte[] serverInput() {
        return concat(c0c1, c2);
    }

    /** What the client reads: S0S1S2. */
    byte[] clientInput() {
        return s0s1s2;
    }

    static HandshakeMode[] offers() {
        return new HandshakeMode[] {
            HandshakeMode.simple(), HandshakeMode.digest(DigestScheme.SCHEME_0), HandshakeMode.digest(DigestScheme.SCHEME_1)
        };
    }
}
