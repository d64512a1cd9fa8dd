package io.loomcast.gateway.it;

import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.it.Playout.Join;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.session.ServerCounters;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.HubRecorder;
import io.loomcast.gateway.testing.LogCapture;
import io.loomcast.gateway.testing.MediaFrame;
import io.loomcast.gateway.testing.RawConnection;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.TestPlayer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections that break the protocol, each against the server while a publish and a play run beside them.
 * Each bad connection must be closed, soon, with its reason in the log, and the stream beside must not lose
 * a frame.
 */
class BadInputTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    /** Idle timeout 2 s: the silent connection is closed by then, plus a watchdog tick or two. */
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(5);
    private static final String CONFIG = """
            idleTimeout: 2s
            pingInterval: 500ms
            limits:
              maxMessageSize: 1MiB
              maxChunkStreams: 64
            """;

    @TempDir
    Path dir;

    /** One kind of bad input: what to send, and what the server's close reason must say. */
    private record Case(String name, String reason, Action action) {}

    private interface Action {
        void run(RawConnection c) throws IOException;
    }

    private static final List<Case> CASES = List.of(
            new Case("garbage before the handshake", "C0 version 0x47 is not 3",
                    c -> c.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))),
            // 'h' is 0x68: fmt 1 on chunk stream 40, which never had a fmt 0 header.
            new Case("garbage after the handshake", "no previous header",
                    c -> c.handshake().write("hello, this is not RTMP\r\n".getBytes(StandardCharsets.US_ASCII))),
            // connect as an AMF0 string that claims 7 bytes and has 3.
            new Case("invalid AMF in connect", "AMF0 string length 7 exceeds remaining 3 bytes",
                    c -> c.handshake().send(new RawMessage(3, 20, 0, 0, hex("02 0007 636f6e")))),
            new Case("Set Chunk Size 0x7FFFFFFF", "Set Chunk Size 2147483647 exceeds limit",
                    c -> c.handshake().send(new RawMessage(2, 1, 0, 0, hex("7fffffff")))),
            new Case("Set Chunk Size 0", "Set Chunk Size 0 is invalid",
                    c -> c.handshake().send(new RawMessage(2, 1, 0, 0, hex("00000000")))),
            // A fmt 0 video header announcing 2 MiB; rejected before any payload is read.
            new Case("message over the size limit", "message length 2097152 on csid 6 exceeds limit 1048576",
                    c -> c.handshake().write(hex("06 000000 200000 09 01000000"))),
            new Case("thousands of chunk stream ids", "exceeding limit 64", BadInputTest::manyChunkStreams),
            new Case("handshake, then silence", "idle: no bytes from the peer for 2000 ms", RawConnection::handshake));

    @Test
    void eachBadConnectionIsClosedWithAReasonAndTheStreamBesideItIsUntouched() throws Exception {
        TestMedia media = TestMedia.generate(dir, "side", 160, 120, 25, 5, 25, "150k");
        try (LogCapture log = LogCapture.of("io.loomcast.gateway.session");
                Gateway gateway = TestGateway.start(CONFIG);
                Resources r = new Resources();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            HubRecorder reference = r.add(HubRecorder.subscribe(gateway.hub(), "live/side"));
            TestPlayer player = r.add(TestPlayer.play(gateway.rtmpAddress(), "live", "side"));
            TestGateway.awaitSubscribers(gateway, "live/side", 2, DEADLINE);
            ExternalPeer publisher = r.add(Peers.ffmpegPublish(media.file(), TestGateway.url(gateway, "live/side"),
                    dir.resolve("publisher.log"), List.of()));
            reference.recorded().await(rec -> Playout.track(rec.frames(), Frame.Kind.VIDEO).size() >= 10, DEADLINE,
                    "the side stream to run");

            List<Future<Integer>> ports = new ArrayList<>();
            for (Case c : CASES) {
                ports.add(threads.submit(() -> misbehave(gateway.rtmpAddress(), c)));
            }
            for (int i = 0; i < CASES.size(); i++) {
                Case c = CASES.get(i);
                String remote = "127.0.0.1:" + ports.get(i).get() + " ";
                log.await(l -> !l.matching(remote, "closed").isEmpty(), DEADLINE, c.name() + " logged");
                String line = log.matching(remote, "closed").getFirst();
                assertTrue(line.contains(c.reason()), c.name() + ": logged '" + line + "', expected '" + c.reason() + "'");
            }
            assertTrue(publisher.isAlive(), "the bad connections outlasted the side stream: make it longer");
            ServerCounters counters = gateway.rtmp().counters();
            assertEquals(1, counters.handshakeFailures.sum(), "handshake failures");
            assertEquals(6, counters.protocolErrors.sum(), "protocol errors");

            assertEquals(0, publisher.awaitExit(DEADLINE), publisher.output());
            reference.awaitSourceEnded(1, DEADLINE);
            player.awaitEvent("NetStream.Play.UnpublishNotify", DEADLINE);
            List<MediaFrame> published = reference.frames();
            Playout.assertPlayed("side publisher into the hub", media.frames(), published, Join.BEFORE_PUBLISH, 0);
            Playout.assertPlayed("side player", published, player.frames(), Join.BEFORE_PUBLISH, 0);
        }
    }

    /** Runs one case and waits for the server to hang up; returns the local port, which the server logs. */
    private static int misbehave(InetSocketAddress server, Case c) throws IOException {
        try (RawConnection conn = RawConnection.open(server)) {
            try {
                c.action().run(conn);
            } catch (IOException e) {
                // The server may hang up while we are still sending: that is the point.
            }
            assertTrue(conn.awaitClosedByServer(CLOSE_DEADLINE), c.name() + ": still open after " + CLOSE_DEADLINE);
            return conn.localPort();
        }
    }

    /** A small complete message (an Acknowledgement) on each of 3000 chunk stream ids, 64 up. */
    private static void manyChunkStreams(RawConnection c) throws IOException {
        c.handshake();
        for (int csid = 64; csid < 64 + 3000; csid++) {
            c.send(new RawMessage(csid, 3, 0, 0, hex("00000000")));
        }
    }
}
