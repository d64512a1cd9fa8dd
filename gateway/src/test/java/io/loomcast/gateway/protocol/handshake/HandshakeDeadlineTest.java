package io.loomcast.gateway.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.PeerClosedException;
import io.loomcast.gateway.testing.SplitInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The whole handshake has one budget; a trickling or stalled peer is cut off when it is spent. */
class HandshakeDeadlineTest {
    @Test
    void budgetSpansAllReadsAndIsArmedBeforeEach() {
        // The clock advances 100 ms per reading; the peer delivers one byte per read.
        AtomicLong nanos = new AtomicLong();
        HandshakeOptions options = Fixtures.serverOptions().withTimeout(Duration.ofMillis(1000))
                .withNanoClock(() -> nanos.getAndAdd(100_000_000L));
        List<Integer> armed = new ArrayList<>();
        SplitInputStream trickle = SplitInputStream.pieces(Fixtures.plainC0C1(), 1);
        SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                () -> Handshake.server(trickle, OutputStream.nullOutputStream(), options, armed::add));
        // Clock readings: 0 at the start, then one before each read: 100 for C0, 200..900 for eight bytes of C1,
        // and 1000, which finds the budget spent.
        assertEquals("handshake timed out after 1000 ms with 8 of 1536 bytes of C1 received", e.getMessage());
        assertEquals(List.of(900, 800, 700, 600, 500, 400, 300, 200, 100), armed);
    }

    @Test
    void armedTimeoutIsNeverZero() throws Exception {
        // 0.4 ms left must arm 1 ms: Socket.setSoTimeout(0) would wait forever.
        AtomicLong nanos = new AtomicLong();
        long[] readings = {0, 999_600_000L};
        HandshakeOptions options = Fixtures.serverOptions().withTimeout(Duration.ofSeconds(1))
                .withNanoClock(() -> readings[(int) Math.min(nanos.getAndIncrement(), 1)]);
        List<Integer> armed = new ArrayList<>();
        assertThrows(PeerClosedException.class, () -> Handshake.server(new SplitInputStream(new byte[0]),
                OutputStream.nullOutputStream(), options, armed::add));
        assertEquals(List.of(1), armed);
    }

    @Test
    void stalledPeerOnARealSocketIsCutOffBySoTimeout() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Socket peer = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                Socket accepted = listener.accept()) {
            // The peer sends C0 and 100 bytes of C1, then nothing; it stays connected.
            peer.getOutputStream().write(Fixtures.plainC0C1(), 0, 101);
            HandshakeOptions options = HandshakeOptions.defaults().withTimeout(Duration.ofMillis(300));
            long start = System.nanoTime();
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> Handshake.server(
                    accepted.getInputStream(), accepted.getOutputStream(), options, accepted::setSoTimeout));
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals("handshake timed out after 300 ms with 100 of 1536 bytes of C1 received", e.getMessage());
            assertTrue(elapsedMillis >= 250 && elapsedMillis < 5000, "took " + elapsedMillis + " ms");
        }
    }

    @Test
    void trickleOnARealSocketIsCutOffByTheTotalBudget() throws Exception {
        // Each byte arrives well within any per-read timeout, but the whole exceeds the budget.
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Socket peer = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                Socket accepted = listener.accept()) {
            CountDownLatch done = new CountDownLatch(1);
            Thread trickler = Thread.ofVirtual().start(() -> {
                byte[] c0c1 = Fixtures.plainC0C1();
                try {
                    for (int i = 0; i < c0c1.length && !done.await(20, TimeUnit.MILLISECONDS); i++) {
                        peer.getOutputStream().write(c0c1[i]);
                    }
                } catch (Exception ignored) {
                    // the server side closing ends the trickle
                }
            });
            HandshakeOptions options = HandshakeOptions.defaults().withTimeout(Duration.ofMillis(400));
            SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> Handshake.server(
                    accepted.getInputStream(), accepted.getOutputStream(), options, accepted::setSoTimeout));
            done.countDown();
            trickler.join(5000);
            assertTrue(e.getMessage().startsWith("handshake timed out after 400 ms with "), e.getMessage());
        }
    }
}
