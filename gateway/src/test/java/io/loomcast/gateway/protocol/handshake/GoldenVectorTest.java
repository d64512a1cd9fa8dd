package io.loomcast.gateway.protocol.handshake;

import static io.loomcast.gateway.protocol.handshake.Fixtures.C1_DIGEST;
import static io.loomcast.gateway.protocol.handshake.Fixtures.C2_SIGNATURE;
import static io.loomcast.gateway.protocol.handshake.Fixtures.DIGEST_OFFSET;
import static io.loomcast.gateway.protocol.handshake.Fixtures.S1_DIGEST;
import static io.loomcast.gateway.protocol.handshake.Fixtures.S2_SIGNATURE;
import static io.loomcast.gateway.testing.Hex.hex;
import static io.loomcast.gateway.testing.Hex.toHex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Deterministic packets (counting "random" bytes, fixed clocks) checked byte for byte against digests computed
 * outside the code under test: literals from Python's hmac module, cross-checked here with javax.crypto over
 * hand-written offsets.
 */
class GoldenVectorTest {
    private static final byte[] PLAYER_TEXT = "Genuine Adobe Flash Player 001".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_TEXT =
            "Genuine Adobe Flash Media Server 001".getBytes(StandardCharsets.US_ASCII);

    private static byte[] hmac(byte[] key, byte[]... parts) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        for (byte[] p : parts) {
            mac.update(p);
        }
        return mac.doFinal();
    }

    @Test
    void keysAreTheWellKnownTextsPlusTheSharedConstant() {
        assertEquals(30, AdobeKey.PLAYER_PARTIAL.lengthBytes());
        assertEquals(62, AdobeKey.PLAYER_FULL.lengthBytes());
        assertEquals(36, AdobeKey.SERVER_PARTIAL.lengthBytes());
        assertEquals(68, AdobeKey.SERVER_FULL.lengthBytes());
        byte[] constant = hex("f0eec24a 8068bee8 2e00d0d1 029e7e57 6eec5d2d 29806fab 93b8e636 cfeb31ae");
        byte[] server = AdobeKey.SERVER_FULL.spec().getEncoded();
        assertArrayEquals(SERVER_TEXT, Arrays.copyOf(server, 36));
        assertArrayEquals(constant, Arrays.copyOfRange(server, 36, 68));
        byte[] player = AdobeKey.PLAYER_FULL.spec().getEncoded();
        assertArrayEquals(PLAYER_TEXT, Arrays.copyOf(player, 30));
        assertArrayEquals(constant, Arrays.copyOfRange(player, 30, 62));
    }

    @Test
    void digestOffsetIsTheLocatorSumModulo728PastTheLocator() {
        byte[] p = new byte[1536];
        assertEquals(12, DigestScheme.SCHEME_0.digestOffset(p));
        assertEquals(776, DigestScheme.SCHEME_1.digestOffset(p));
        // 255 * 4 = 1020; 1020 % 728 = 292
        Arrays.fill(p, 8, 12, (byte) 0xFF);
        Arrays.fill(p, 772, 776, (byte) 0xFF);
        assertEquals(12 + 292, DigestScheme.SCHEME_0.digestOffset(p));
        assertEquals(776 + 292, DigestScheme.SCHEME_1.digestOffset(p));
        // 255 + 255 + 217 + 0 = 727, the largest remainder: the digest ends at 771 and 1535, inside its block
        byte[] max = hex("ff ff d9 00");
        System.arraycopy(max, 0, p, 8, 4);
        System.arraycopy(max, 0, p, 772, 4);
        assertEquals(739, DigestScheme.SCHEME_0.digestOffset(p));
        assertEquals(1503, DigestScheme.SCHEME_1.digestOffset(p));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void handBuiltC1DigestIsTheHmacOfTheRestOfThePacket(int scheme) throws Exception {
        byte[] c1 = Arrays.copyOfRange(Fixtures.digestC0C1(scheme), 1, 1537);
        int at = DIGEST_OFFSET[scheme];
        byte[] expected = hmac(PLAYER_TEXT, Arrays.copyOfRange(c1, 0, at), Arrays.copyOfRange(c1, at + 32, 1536));
        assertEquals(toHex(expected), toHex(C1_DIGEST[scheme]));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void clientBuildsExactlyTheHandBuiltDigestC1(int scheme) {
        ClientHandshake client = new ClientHandshake(
                HandshakeMode.digest(DigestScheme.values()[scheme]), Fixtures.clientOptions());
        assertEquals(toHex(Fixtures.digestC0C1(scheme)), toHex(client.c0c1()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void serverAnswersDigestC1WithGoldenS1AndS2(int scheme) throws Exception {
        byte[] out = new ServerHandshake(Fixtures.serverOptions()).respond(Fixtures.digestC0C1(scheme));
        assertEquals(3, out[0]);
        byte[] s1 = Arrays.copyOfRange(out, 1, 1537);
        byte[] s2 = Arrays.copyOfRange(out, 1537, 3073);
        int at = DIGEST_OFFSET[scheme];
        byte[] expectedS1 = Fixtures.countingPacket(0x0A0B0C0D, hex("04 05 00 01"));
        System.arraycopy(S1_DIGEST[scheme], 0, expectedS1, at, 32);
        assertEquals(toHex(expectedS1), toHex(s1));
        assertArrayEquals(
                hmac(SERVER_TEXT, Arrays.copyOfRange(s1, 0, at), Arrays.copyOfRange(s1, at + 32, 1536)),
                S1_DIGEST[scheme]);

        byte[] counting = Fixtures.counting();
        assertArrayEquals(Arrays.copyOf(counting, 1504), Arrays.copyOf(s2, 1504));
        assertEquals(toHex(S2_SIGNATURE[scheme]), toHex(Arrays.copyOfRange(s2, 1504, 1536)));
        byte[] fullServerKey = Arrays.copyOf(AdobeKey.SERVER_FULL.spec().getEncoded(), 68);
        assertArrayEquals(hmac(hmac(fullServerKey, C1_DIGEST[scheme]), Arrays.copyOf(s2, 1504)),
                S2_SIGNATURE[scheme]);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void clientSignsC2WithGoldenSignature(int scheme) throws Exception {
        ClientHandshake client = new ClientHandshake(
                HandshakeMode.digest(DigestScheme.values()[scheme]), Fixtures.clientOptions());
        byte[] s0s1s2 = new ServerHandshake(Fixtures.serverOptions()).respond(client.c0c1());
        byte[] c2 = client.respond(Arrays.copyOf(s0s1s2, 1537));
        byte[] counting = Fixtures.counting();
        assertArrayEquals(Arrays.copyOf(counting, 1504), Arrays.copyOf(c2, 1504));
        assertEquals(toHex(C2_SIGNATURE[scheme]), toHex(Arrays.copyOfRange(c2, 1504, 1536)));
        HandshakeResult result = client.verifyS2(Arrays.copyOfRange(s0s1s2, 1537, 3073));
        assertEquals(ResponseCheck.SIGNED, result.response());
        assertEquals(0x0A0B0C0DL, result.peerEpochMillis());
        assertEquals(0x01020304L, result.localEpochMillis());
        assertEquals(new SoftwareVersion(4, 5, 0, 1), result.peerVersion());
    }

    @Test
    void plainC1GetsZeroVersionS1AndExactEchoS2() throws Exception {
        byte[] c0c1 = Fixtures.plainC0C1();
        byte[] out = new ServerHandshake(Fixtures.serverOptions()).respond(c0c1);
        byte[] expectedS1 = Fixtures.countingPacket(0x0A0B0C0D, hex("00 00 00 00"));
        assertEquals(toHex(Fixtures.withVersionByte(expectedS1)), toHex(Arrays.copyOf(out, 1537)));
        assertEquals(toHex(Arrays.copyOfRange(c0c1, 1, 1537)), toHex(Arrays.copyOfRange(out, 1537, 3073)));
    }
}
