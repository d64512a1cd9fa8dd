package io.loomcast.gateway.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Replays bytes captured from ffmpeg, rtmpdump and nginx-rtmp (see vectors/handshake/README.md). */
class CapturedVectorsTest {
    private static final SoftwareVersion FFMPEG = new SoftwareVersion(9, 0, 124, 2);
    private static final SoftwareVersion LIBRTMP = new SoftwareVersion(10, 0, 45, 2);
    private static final SoftwareVersion NGINX_RTMP = new SoftwareVersion(13, 14, 10, 13);

    static byte[] vector(String name) throws Exception {
        try (InputStream in = CapturedVectorsTest.class.getResourceAsStream("/vectors/handshake/" + name)) {
            if (in == null) {
                throw new AssertionError("missing test resource vectors/handshake/" + name);
            }
            return in.readAllBytes();
        }
    }

    private static HandshakeResult replayServer(String name) throws Exception {
        return Handshake.server(new ByteArrayInputStream(vector(name)), OutputStream.nullOutputStream(),
                Fixtures.serverOptions().withStrictResponse(true), ReadTimeout.UNARMED);
    }

    private static HandshakeResult replayClient(String name, HandshakeMode offer) throws Exception {
        return Handshake.client(new ByteArrayInputStream(vector(name)), OutputStream.nullOutputStream(), offer,
                Fixtures.clientOptions().withStrictResponse(true), ReadTimeout.UNARMED);
    }

    /**
     * Finds a scheme-0 digest by hand: offset 12 + (sum of bytes 8..11) % 728, HMAC-SHA256 under the key text
     * over the packet minus those 32 bytes. Independent of DigestScheme, to check it reads real packets right.
     */
    private static void assertScheme0Digest(byte[] packet, String keyText) throws Exception {
        int sum = (packet[8] & 0xFF) + (packet[9] & 0xFF) + (packet[10] & 0xFF) + (packet[11] & 0xFF);
        int at = 12 + sum % 728;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(keyText.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        mac.update(packet, 0, at);
        mac.update(packet, at + 32, 1536 - at - 32);
        assertArrayEquals(mac.doFinal(), Arrays.copyOfRange(packet, at, at + 32), "digest at offset " + at);
        assertEquals(at, DigestScheme.SCHEME_0.digestOffset(packet));
    }

    @Test
    void ffmpegPlayerC1DigestIsWhereTheSchemeSays() throws Exception {
        byte[] c1 = Arrays.copyOfRange(vector("ffmpeg-play.c0c1c2.bin"), 1, 1537);
        assertScheme0Digest(c1, "Genuine Adobe Flash Player 001");
    }

    @Test
    void nginxS1DigestIsWhereTheSchemeSays() throws Exception {
        for (String name : new String[] {"nginx-digest0.s0s1s2.bin", "nginx-digest1.s0s1s2.bin"}) {
            byte[] s1 = Arrays.copyOfRange(vector(name), 1, 1537);
            assertScheme0Digest(s1, "Genuine Adobe Flash Media Server 001");
        }
    }

    @Test
    void ffmpegPlayerSignsC2() throws Exception {
        assertEquals(new HandshakeResult(HandshakeMode.digest(DigestScheme.SCHEME_0), Fixtures.SERVER_EPOCH_MILLIS,
                0, FFMPEG, ResponseCheck.SIGNED), replayServer("ffmpeg-play.c0c1c2.bin"));
    }

    @Test
    void ffmpegPublisherEchoesS1() throws Exception {
        HandshakeResult result = replayServer("ffmpeg-publish.c0c1c2.bin");
        assertEquals(HandshakeMode.digest(DigestScheme.SCHEME_0), result.mode());
        assertEquals(ResponseCheck.ECHOED, result.response());
    }

    @Test
    void plainLibrtmpEchoesS1() throws Exception {
        HandshakeResult result = replayServer("rtmpdump-plain.c0c1c2.bin");
        assertEquals(HandshakeMode.simple(), result.mode());
        assertEquals(SoftwareVersion.NONE, result.peerVersion());
        assertEquals(ResponseCheck.ECHOED, result.response());
    }

    @Test
    void librtmpWithSwfVerificationSignsC2() throws Exception {
        HandshakeResult result = replayServer("rtmpdump-swfverify.c0c1c2.bin");
        assertEquals(HandshakeMode.digest(DigestScheme.SCHEME_0), result.mode());
        assertEquals(LIBRTMP, result.peerVersion());
        assertEquals(ResponseCheck.SIGNED, result.response());
    }

    @Test
    void nginxAnswersBothSchemesWithScheme0AndSignsS2() throws Exception {
        for (DigestScheme offered : DigestScheme.values()) {
            HandshakeResult result = replayClient("nginx-digest" + offered.number() + ".s0s1s2.bin",
                    HandshakeMode.digest(offered));
            assertEquals(HandshakeMode.digest(DigestScheme.SCHEME_0), result.mode());
            assertEquals(NGINX_RTMP, result.peerVersion());
            assertEquals(ResponseCheck.SIGNED, result.response());
        }
    }

    @Test
    void nginxEchoesPlainC1AsBothS1AndS2() throws Exception {
        byte[] s0s1s2 = vector("nginx-simple.s0s1s2.bin");
        byte[] c1 = Arrays.copyOfRange(Fixtures.plainC0C1(), 1, 1537);
        assertArrayEquals(c1, Arrays.copyOfRange(s0s1s2, 1, 1537));
        assertArrayEquals(c1, Arrays.copyOfRange(s0s1s2, 1537, 3073));
        HandshakeResult result = replayClient("nginx-simple.s0s1s2.bin", HandshakeMode.simple());
        assertEquals(ResponseCheck.ECHOED, result.response());
    }
}
