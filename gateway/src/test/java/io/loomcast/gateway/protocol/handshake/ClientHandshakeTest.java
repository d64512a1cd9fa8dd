package io.loomcast.gateway.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** How the client state machine judges S1 and S2. */
class ClientHandshakeTest {
    private static final byte[] FMS_VERSION = {4, 5, 0, 1};

    private static ClientHandshake digestClient(boolean strict) {
        return new ClientHandshake(HandshakeMode.digest(DigestScheme.SCHEME_0),
                Fixtures.clientOptions().withStrictResponse(strict));
    }

    @Test
    void simpleOfferSendsZeroVersionAndEchoesS1() throws Exception {
        ClientHandshake client = new ClientHandshake(HandshakeMode.simple(), Fixtures.clientOptions());
        assertArrayEquals(Fixtures.plainC0C1(), client.c0c1());
        byte[] s1 = Fixtures.countingPacket(77, FMS_VERSION);
        assertArrayEquals(s1, client.respond(Fixtures.withVersionByte(s1)));
        HandshakeResult result = client.verifyS2(Arrays.copyOfRange(client.c0c1(), 1, 1537));
        assertEquals(HandshakeMode.simple(), result.mode());
        assertEquals(ResponseCheck.ECHOED, result.response());
        assertEquals(77, result.peerEpochMillis());
    }

    @Test
    void digestOfferFallsBackToSimpleWhenS1HasZeroVersion() throws Exception {
        ClientHandshake client = digestClient(true);
        byte[] s1 = Fixtures.countingPacket(5, new byte[4]);
        assertArrayEquals(s1, client.respond(Fixtures.withVersionByte(s1)), "C2 must echo a plain S1");
        HandshakeResult result = client.verifyS2(Arrays.copyOfRange(client.c0c1(), 1, 1537));
        assertEquals(HandshakeMode.simple(), result.mode());
    }

    @Test
    void digestOfferRefusesVersionedS1WithoutValidDigest() {
        ClientHandshake client = digestClient(false);
        byte[] s1 = Fixtures.countingPacket(5, FMS_VERSION);
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> client.respond(Fixtures.withVersionByte(s1)));
        assertEquals("S1 has server version 4.5.0.1 but no digest valid under the Flash Media Server key in "
                + "scheme 0 or 1; not a digest handshake we can trust", e.getMessage());
    }

    @Test
    void s1DigestIsAcceptedUnderTheOtherScheme() throws Exception {
        // nginx-rtmp places its S1 digest by scheme 0 whatever the client used.
        ClientHandshake client = new ClientHandshake(HandshakeMode.digest(DigestScheme.SCHEME_1),
                Fixtures.clientOptions());
        byte[] s1 = Fixtures.countingPacket(5, FMS_VERSION);
        DigestScheme.SCHEME_0.imprint(s1, AdobeKey.SERVER_PARTIAL);
        client.respond(Fixtures.withVersionByte(s1));
        HandshakeResult result = client.verifyS2(new byte[1536]);
        assertEquals(HandshakeMode.digest(DigestScheme.SCHEME_0), result.mode());
    }

    @Test
    void mismatchedS2IsReportedWhenLenientAndRefusedWhenStrict() throws Exception {
        byte[] s0s1 = Arrays.copyOf(new ServerHandshake(Fixtures.serverOptions())
                .respond(Fixtures.digestC0C1(0)), 1537);
        ClientHandshake lenient = digestClient(false);
        lenient.respond(s0s1);
        assertEquals(ResponseCheck.MISMATCH, lenient.verifyS2(new byte[1536]).response());

        ClientHandshake strict = digestClient(true);
        strict.respond(s0s1);
        ProtocolException e = assertThrows(ProtocolException.class, () -> strict.verifyS2(new byte[1536]));
        assertEquals("S2 neither echoes C1 nor carries a valid signature (digest scheme 0 handshake, "
                + "server version 4.5.0.1); strict response checking is on", e.getMessage());
    }

    @Test
    void s2EchoingC1IsValidEvenInDigestMode() throws Exception {
        ClientHandshake client = digestClient(true);
        client.respond(Arrays.copyOf(new ServerHandshake(Fixtures.serverOptions())
                .respond(Fixtures.digestC0C1(0)), 1537));
        HandshakeResult result = client.verifyS2(Arrays.copyOfRange(client.c0c1(), 1, 1537));
        assertEquals(ResponseCheck.ECHOED, result.response());
    }

    @Test
    void misuseIsAProgrammingErrorNotAProtocolError() {
        ClientHandshake client = digestClient(false);
        assertThrows(IllegalStateException.class, () -> client.verifyS2(new byte[1536]));
        assertThrows(IllegalArgumentException.class, () -> client.respond(new byte[3073]));
    }
}
