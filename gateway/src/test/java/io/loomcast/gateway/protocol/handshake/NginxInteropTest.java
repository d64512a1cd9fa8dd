package io.loomcast.gateway.protocol.handshake;

import io.loomcast.gateway.testing.NginxRtmp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our client handshake against nginx-rtmp. nginx answers a digest C1 with an S1 digest that always uses scheme 0
 * and a signed S2, and a plain C1 by echoing C1 as S1 and again as S2 ("old-style" in its log).
 */
class NginxInteropTest {
    @TempDir
    static Path dir;
    private static NginxRtmp nginx;

    @BeforeAll
    static void startNginx() throws Exception {
        nginx = NginxRtmp.start(dir);
    }

    @AfterAll
    static void stopNginx() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
    }

    private static HandshakeResult handshake(HandshakeMode offer) throws Exception {
        try (Socket socket = nginx.connect()) {
            return Handshake.client(socket.getInputStream(), socket.getOutputStream(), offer,
                    HandshakeOptions.defaults().withStrictResponse(true), socket::setSoTimeout);
        } catch (IOException e) {
            return fail("%s from nginx: %s; its error.log:%n%s".formatted(e.getClass().getSimpleName(),
                    e.getMessage(), nginx.errorLog()), e);
        }
    }

    @Test
    void digestScheme0IsAnsweredWithValidS1DigestAndSignedS2() throws Exception {
        HandshakeResult result = handshake(HandshakeMode.digest(DigestScheme.SCHEME_0));
        assertEquals(HandshakeMode.digest(DigestScheme.SCHEME_0), result.mode(), nginx.errorLog());
        assertEquals(ResponseCheck.SIGNED, result.response());
        assertEquals(false, result.peerVersion().isNone());
    }

    @Test
    void digestScheme1IsAnsweredWithScheme0S1() throws Exception {
        HandshakeResult result = handshake(HandshakeMode.digest(DigestScheme.SCHEME_1));
        assertEquals(HandshakeMode.digest(DigestScheme.SCHEME_0), result.mode(), nginx.errorLog());
        assertEquals(ResponseCheck.SIGNED, result.response());
    }

    @Test
    void simpleIsAnsweredWithEchoes() throws Exception {
        HandshakeResult result = handshake(HandshakeMode.simple());
        assertEquals(HandshakeMode.simple(), result.mode(), nginx.errorLog());
        assertEquals(ResponseCheck.ECHOED, result.response());
        // nginx's S1 is our own C1 echoed back, so its epoch is ours
        assertEquals(result.localEpochMillis(), result.peerEpochMillis());
    }
}
