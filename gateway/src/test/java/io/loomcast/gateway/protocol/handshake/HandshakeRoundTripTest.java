package io.loomcast.gateway.protocol.handshake;

import static io.loomcast.gateway.testing.Hex.toHex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loomcast.gateway.testing.SplitInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The driver over in-memory streams: every fragmentation of a known transcript, and two live peers on pipes. */
class HandshakeRoundTripTest {
    static HandshakeMode[] offers() {
        return Transcript.offers();
    }

    @ParameterizedTest
    @MethodSource("offers")
    void serverReadsItsInputCutAtEveryPoint(HandshakeMode offer) throws Exception {
        Transcript t = Transcript.of(offer);
        byte[] input = t.serverInput();
        for (int cut = 1; cut < input.length; cut++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            HandshakeResult result = Handshake.server(new SplitInputStream(input, cut), out,
                    Fixtures.serverOptions(), ReadTimeout.UNARMED);
            assertEquals(t.serverResult(), result, "cut at " + cut);
            if (cut == 1) {
                assertEquals(toHex(t.s0s1s2()), toHex(out.toByteArray()));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Handshake.server(SplitInputStream.pieces(input, 1), out, Fixtures.serverOptions(), ReadTimeout.UNARMED);
        assertEquals(toHex(t.s0s1s2()), toHex(out.toByteArray()));
    }

    @ParameterizedTest
    @MethodSource("offers")
    void clientReadsItsInputCutAtEveryPoint(HandshakeMode offer) throws Exception {
        Transcript t = Transcript.of(offer);
        byte[] input = t.clientInput();
        for (int cut = 1; cut < input.length; cut++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            HandshakeResult result = Handshake.client(new SplitInputStream(input, cut), out, offer,
                    Fixtures.clientOptions(), ReadTimeout.UNARMED);
            assertEquals(t.clientResult(), result, "cut at " + cut);
            if (cut == 1) {
                assertEquals(toHex(t.c0c1()) + toHex(t.c2()), toHex(out.toByteArray()));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("offers")
    void liveClientAndServerAgreeOverPipes(HandshakeMode offer) throws Exception {
        PipedInputStream serverIn = new PipedInputStream(4096);
        PipedOutputStream clientOut = new PipedOutputStream(serverIn);
        PipedInputStream clientIn = new PipedInputStream(4096);
        PipedOutputStream serverOut = new PipedOutputStream(clientIn);
        HandshakeOptions options = HandshakeOptions.defaults().withStrictResponse(true);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<HandshakeResult> server = threads.submit(
                    () -> Handshake.server(serverIn, serverOut, options, ReadTimeout.UNARMED));
            Future<HandshakeResult> client = threads.submit(
                    () -> Handshake.client(clientIn, clientOut, offer, options, ReadTimeout.UNARMED));
            HandshakeResult s = server.get(10, TimeUnit.SECONDS);
            HandshakeResult c = client.get(10, TimeUnit.SECONDS);
            assertEquals(offer, s.mode());
            assertEquals(offer, c.mode());
            assertEquals(s.localEpochMillis(), c.peerEpochMillis());
            assertEquals(c.localEpochMillis(), s.peerEpochMillis());
            ResponseCheck expected = offer instanceof HandshakeMode.Digest ? ResponseCheck.SIGNED : ResponseCheck.ECHOED;
            assertEquals(expected, s.response());
            assertEquals(expected, c.response());
        }
    }
}
