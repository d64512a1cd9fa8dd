package io.loomcast.gateway.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** How the server state machine classifies C1 and judges C2, and how it refuses misuse. */
class ServerHandshakeTest {
    private static byte[] s1Of(byte[] s0s1s2) {
        return Arrays.copyOfRange(s0s1s2, 1, 1537);
    }

    @Test
    void versionWithoutValidDigestIsAnsweredPlainly() throws Exception {
        byte[] c0c1 = Fixtures.digestC0C1(0);
        c0c1[1 + 50] ^= 1; // one flipped digest bit
        ServerHandshake server = new ServerHandshake(Fixtures.serverOptions());
        byte[] out = server.respond(c0c1);
        assertEquals(SoftwareVersion.NONE, SoftwareVersion.read(s1Of(out), 4), "S1 version must stay zero");
        HandshakeResult result = server.verifyC2(s1Of(out));
        assertEquals(HandshakeMode.simple(), result.mode());
        assertEquals(new SoftwareVersion(9, 0, 124, 2), result.peerVersion());
    }

    @Test
    void digestUnderPlayerKeyIsRequiredNotJustAnyDigest() throws Exception {
        // A C1 digest made with the server key (as a confused peer might) is not a Flash Player digest.
        byte[] c1 = Fixtures.countingPacket(1, new byte[] {9, 0, 124, 2});
        DigestScheme.SCHEME_0.imprint(c1, AdobeKey.SERVER_PARTIAL);
        byte[] out = new ServerHandshake(Fixtures.serverOptions()).respond(Fixtures.withVersionByte(c1));
        assertTrue(SoftwareVersion.read(s1Of(out), 4).isNone());
    }

    @Test
    void echoedC2IsValidInBothModes() throws Exception {
        for (byte[] c0c1 : new byte[][] {Fixtures.plainC0C1(), Fixtures.digestC0C1(1)}) {
            ServerHandshake server = new ServerHandshake(Fixtures.serverOptions().withStrictResponse(true));
            byte[] c2 = s1Of(server.respond(c0c1));
            c2[4] = 0x7F; // RTMP 5.2.4: time2 is the client's own clock and is not compared
            assertEquals(ResponseCheck.ECHOED, server.verifyC2(c2).response());
        }
    }

    @Test
    void signedC2IsValidOnlyAfterDigestS1() throws Exception {
        ClientHandshake client = new ClientHandshake(HandshakeMode.digest(DigestScheme.SCHEME_1),
                Fixtures.clientOptions());
        ServerHandshake server = new ServerHandshake(Fixtures.serverOptions().withStrictResponse(true));
        byte[] out = server.respond(client.c0c1());
        HandshakeResult result = server.verifyC2(client.respond(Arrays.copyOf(out, 1537)));
        assertEquals(ResponseCheck.SIGNED, result.response());
        assertEquals(HandshakeMode.digest(DigestScheme.SCHEME_1), result.mode());
        assertEquals(Fixtures.CLIENT_EPOCH_MILLIS, result.peerEpochMillis());
        assertEquals(Fixtures.SERVER_EPOCH_MILLIS, result.localEpochMillis());
    }

    @Test
    void mismatchedC2IsReportedWhenLenientAndRefusedWhenStrict() throws Exception {
        ServerHandshake lenient = new ServerHandshake(Fixtures.serverOptions());
        lenient.respond(Fixtures.digestC0C1(0));
        HandshakeResult result = lenient.verifyC2(new byte[1536]);
        assertEquals(ResponseCheck.MISMATCH, result.response());
        assertEquals(false, result.responseValidated());

        ServerHandshake strict = new ServerHandshake(Fixtures.serverOptions().withStrictResponse(true));
        strict.respond(Fixtures.digestC0C1(0));
        ProtocolException e = assertThrows(ProtocolException.class, () -> strict.verifyC2(new byte[1536]));
        assertEquals("C2 neither echoes S1 nor carries a valid signature (digest scheme 0 handshake, "
                + "client version 9.0.124.2); strict response checking is on", e.getMessage());
    }

    @Test
    void misuseIsAProgrammingErrorNotAProtocolError() throws Exception {
        ServerHandshake server = new ServerHandshake(Fixtures.serverOptions());
        assertThrows(IllegalStateException.class, () -> server.verifyC2(new byte[1536]));
        assertThrows(IllegalArgumentException.class, () -> server.respond(new byte[1536]));
        server.respond(Fixtures.plainC0C1());
        assertThrows(IllegalStateException.class, () -> server.respond(Fixtures.plainC0C1()));
    }

    @Test
    void aRefusedC0LeavesTheHandshakeFailed() {
        ServerHandshake server = new ServerHandshake(Fixtures.serverOptions());
        byte[] c0c1 = Fixtures.plainC0C1();
        c0c1[0] = 6;
        assertThrows(ProtocolException.class, () -> server.respond(c0c1));
        assertThrows(IllegalStateException.class, () -> server.respond(Fixtures.plainC0C1()));
    }
}
