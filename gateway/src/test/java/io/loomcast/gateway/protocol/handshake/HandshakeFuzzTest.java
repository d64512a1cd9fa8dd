package io.loomcast.gateway.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.loomcast.gateway.protocol.PeerClosedException;
import io.loomcast.gateway.protocol.ProtocolException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Arbitrary bytes as the peer's side of a handshake: only {@link ProtocolException} and
 * {@link PeerClosedException} may escape, and whatever we answer must be a handshake our own other side
 * accepts. Seeds (real peers' bytes, garbage) are in the resources next to this class. Under plain
 * {@code mvn test} the seeds are replayed; {@code JAZZER_FUZZ=1} fuzzes one method (pick it with -Dtest).
 */
class HandshakeFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void serverSurvivesAnyInput(byte[] input) throws Exception {
        // Odd lengths (the real 3073-byte seeds among them) check C2 strictly, even ones leniently.
        HandshakeOptions options = Fixtures.serverOptions().withStrictResponse(input.length % 2 == 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HandshakeResult result = null;
        try {
            result = Handshake.server(new ByteArrayInputStream(input), out, options, ReadTimeout.UNARMED);
        } catch (ProtocolException | PeerClosedException expected) {
            // what a peer may cause; the answer written so far, if any, is still checked below
        }
        byte[] s0s1s2 = out.toByteArray();
        if (s0s1s2.length == 0) {
            return;
        }
        assertEquals(ServerHandshake.S0S1S2_BYTES, s0s1s2.length);
        byte[] s1 = Arrays.copyOfRange(s0s1s2, 1, 1537);
        boolean digestAnswer = !SoftwareVersion.read(s1, 4).isNone();
        if (digestAnswer) {
            // A digest client must accept it: respond() throws if no S1 digest validates.
            new ClientHandshake(HandshakeMode.digest(DigestScheme.SCHEME_0), Fixtures.clientOptions())
                    .respond(Arrays.copyOf(s0s1s2, ClientHandshake.S0S1_BYTES));
        } else {
            assertArrayEquals(Arrays.copyOfRange(input, 1, 1537), Arrays.copyOfRange(s0s1s2, 1537, 3073),
                    "a plain S2 echoes C1");
        }
        if (result != null) {
            assertEquals(digestAnswer, result.mode() instanceof HandshakeMode.Digest);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void clientSurvivesAnyInput(byte[] input) throws Exception {
        HandshakeOptions options = Fixtures.clientOptions().withStrictResponse(input.length % 2 == 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            HandshakeResult result = Handshake.client(new ByteArrayInputStream(input), out,
                    HandshakeMode.digest(DigestScheme.SCHEME_0), options, ReadTimeout.UNARMED);
            byte[] c2 = Arrays.copyOfRange(out.toByteArray(), 1537, 3073);
            switch (result.mode()) {
                case HandshakeMode.Simple s -> assertArrayEquals(Arrays.copyOfRange(input, 1, 1537), c2,
                        "a plain C2 echoes S1");
                case HandshakeMode.Digest d -> {
                    assertEquals(false, result.peerVersion().isNone());
                    assertEquals(true, d.scheme().validates(Arrays.copyOfRange(input, 1, 1537),
                            AdobeKey.SERVER_PARTIAL), "digest mode only after a valid S1 digest");
                }
            }
        } catch (ProtocolException | PeerClosedException expected) {
            // what a peer may cause
        }
    }
}
