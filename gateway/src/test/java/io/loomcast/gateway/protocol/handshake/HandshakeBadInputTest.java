package io.loomcast.gateway.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.loomcast.gateway.protocol.PeerClosedException;
import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.testing.SplitInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Wrong versions, garbage and truncation: each refused with a message that says what arrived. */
class HandshakeBadInputTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        0x00 | C0 version 0x00 is not 3 (RTMP 5.2.2): versions 0-2 are deprecated
        0x02 | C0 version 0x02 is not 3 (RTMP 5.2.2): versions 0-2 are deprecated
        0x04 | C0 version 0x04 is not 3 (RTMP 5.2.2): versions 4-31 are reserved
        0x06 | C0 version 0x06 is not 3 (RTMP 5.2.2): RTMPE (encrypted RTMP) is not supported
        0x08 | C0 version 0x08 is not 3 (RTMP 5.2.2): RTMPE (encrypted RTMP) is not supported
        0x09 | C0 version 0x09 is not 3 (RTMP 5.2.2): RTMPE (encrypted RTMP) is not supported
        0x16 | C0 version 0x16 is not 3 (RTMP 5.2.2): 0x16 starts a TLS handshake record; an rtmps client on a plain RTMP port?
        0x1f | C0 version 0x1f is not 3 (RTMP 5.2.2): versions 4-31 are reserved
        0x47 | C0 version 0x47 is not 3 (RTMP 5.2.2): values 32-255 are not RTMP; this is ASCII 'G', perhaps an HTTP or other text request
        0xff | C0 version 0xff is not 3 (RTMP 5.2.2): values 32-255 are not RTMP
        """)
    void everyOtherVersionByteIsRefusedByName(String version, String message) {
        byte[] input = Fixtures.plainC0C1();
        input[0] = (byte) Integer.parseInt(version.substring(2), 16);
        ProtocolException e = assertThrows(ProtocolException.class, () -> Handshake.server(
                new ByteArrayInputStream(input), OutputStream.nullOutputStream(), Fixtures.serverOptions(),
                ReadTimeout.UNARMED));
        assertEquals(message, e.getMessage());
    }

    @Test
    void httpRequestIsRefusedAfterOneByteWithNothingSent() {
        byte[] get = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        SplitInputStream in = new SplitInputStream(get);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> Handshake.server(in, out, Fixtures.serverOptions(), ReadTimeout.UNARMED));
        assertEquals("C0 version 0x47 is not 3 (RTMP 5.2.2): values 32-255 are not RTMP; this is ASCII 'G', "
                + "perhaps an HTTP or other text request", e.getMessage());
        assertEquals(1, in.position(), "C0 is judged before waiting for C1");
        assertEquals(0, out.size());
    }

    @Test
    void clientRefusesWrongS0() throws Exception {
        byte[] s0s1s2 = Transcript.of(HandshakeMode.simple()).s0s1s2();
        s0s1s2[0] = 6;
        ProtocolException e = assertThrows(ProtocolException.class, () -> Handshake.client(
                new ByteArrayInputStream(s0s1s2), OutputStream.nullOutputStream(), HandshakeMode.simple(),
                Fixtures.clientOptions(), ReadTimeout.UNARMED));
        assertEquals("S0 version 0x06 is not 3 (RTMP 5.2.2): RTMPE (encrypted RTMP) is not supported", e.getMessage());
    }

    @Test
    void serverNamesTheUnitAndByteCountAtEveryTruncation() throws Exception {
        byte[] input = Transcript.of(HandshakeMode.digest(DigestScheme.SCHEME_0)).serverInput();
        for (int length = 0; length < input.length; length++) {
            byte[] cut = Arrays.copyOf(input, length);
            PeerClosedException e = assertThrows(PeerClosedException.class, () -> Handshake.server(
                    new ByteArrayInputStream(cut), OutputStream.nullOutputStream(), Fixtures.serverOptions(),
                    ReadTimeout.UNARMED));
            assertEquals(expectedEof(length, "C0", "C1", "C2"), e.getMessage(), "truncated to " + length);
        }
    }

    @Test
    void clientNamesTheUnitAndByteCountAtEveryTruncation() throws Exception {
        HandshakeMode offer = HandshakeMode.digest(DigestScheme.SCHEME_1);
        byte[] input = Transcript.of(offer).clientInput();
        for (int length = 0; length < input.length; length++) {
            byte[] cut = Arrays.copyOf(input, length);
            PeerClosedException e = assertThrows(PeerClosedException.class, () -> Handshake.client(
                    new ByteArrayInputStream(cut), OutputStream.nullOutputStream(), offer, Fixtures.clientOptions(),
                    ReadTimeout.UNARMED));
            assertEquals(expectedEof(length, "S0", "S1", "S2"), e.getMessage(), "truncated to " + length);
        }
    }

    /** Units are 1, 1536 and 1536 bytes long, in this order. */
    private static String expectedEof(int length, String unit0, String unit1, String unit2) {
        if (length == 0) {
            return "peer closed the connection before sending " + unit0;
        }
        int intoUnit = length <= 1536 ? length - 1 : length - 1537;
        String unit = length <= 1536 ? unit1 : unit2;
        return intoUnit == 0
                ? "peer closed the connection before sending " + unit
                : "peer closed the connection after %d of 1536 bytes of %s".formatted(intoUnit, unit);
    }
}
