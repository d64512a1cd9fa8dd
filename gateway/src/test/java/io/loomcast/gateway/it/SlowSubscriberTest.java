package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.hub.Subscription;
import io.loomcast.gateway.it.Peers.Player;
import io.loomcast.gateway.it.Playout.Join;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.FlvRecording;
import io.loomcast.gateway.testing.HubRecorder;
import io.loomcast.gateway.testing.LogCapture;
import io.loomcast.gateway.testing.MediaFrame;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.RawConnection;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.TestPlayer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A player that sends play and then never reads. Its socket fills, its writer blocks, its queue sheds; the
 * publisher and every other player must not notice: they get every frame, on time. The stalled player's
 * queue stays within its byte bound the whole time, and the server disconnects it with a reason.
 */
class SlowSubscriberTest {
    /** About 1 s of the 16 Mbit/s stream: room for a few keyframes, so a player that reads never sheds. */
    private static final long QUEUE_MAX_BYTES = 2 * 1024 * 1024;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** How late a frame may be, beyond the best frame's latency: far under the 2 s a stall would cost. */
    private static final long MAX_LATENESS_MS = 1000;

    @TempDir
    Path dir;

    @Test
    void aStalledPlayerNeitherDelaysOthersNorHoldsUnboundedMemory() throws Exception {
        // 16 Mbit/s for 8 s, 16 MB: the stalled connection's socket buffers (the kernel grows the server's send
        // buffer to 4 MiB here) fill in about 2 s, so the stall shows while the stream still runs.
        TestMedia media = TestMedia.generate(dir, "slow", 640, 360, 25, 8, 25, "16M", true);
        String config = """
                writeTimeout: 2s
                subscriberQueue:
                  maxBytes: 2MiB
                  maxDuration: 2s
                  stallTimeout: 2s
                """;
        try (LogCapture log = LogCapture.of("io.loomcast.gateway.session");
                Gateway gateway = TestGateway.start(config);
                Resources r = new Resources()) {
            String url = TestGateway.url(gateway, "live/slow");
            HubRecorder reference = r.add(HubRecorder.subscribe(gateway.hub(), "live/slow"));
            List<TestPlayer> readers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                readers.add(r.add(TestPlayer.play(gateway.rtmpAddress(), "live", "slow")));
            }
            Path ffmpegFlv = dir.resolve("ffmpeg-player.flv");
            ExternalPeer ffmpegPlayer = r.add(Player.FFMPEG.start(url, ffmpegFlv, dir.resolve("ffmpeg-player.log")));
            RawConnection stalled = r.add(playThenStall(gateway.rtmpAddress()));
            TestGateway.awaitSubscribers(gateway, "live/slow", 6, DEADLINE);
            String stalledConnection = connectionOf(log, stalled.localPort());

            AtomicLong maxQueued = new AtomicLong();
            AtomicLong maxFrame = new AtomicLong();
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    subscription(gateway, stalledConnection).ifPresent(s ->
                            maxQueued.accumulateAndGet(s.queue().queuedBytes(), Math::max));
                    Poll.untilQuietly(() -> false, Duration.ofMillis(5));
                }
            });
            ExternalPeer publisher = r.add(Peers.ffmpegPublish(media.file(), url, dir.resolve("publisher.log"),
                    List.of()));

            // The server closes the stalled player while the stream is still running, and says why.
            String port = "127.0.0.1:" + stalled.localPort() + " ";
            log.await(l -> !l.matching(port, "closed").isEmpty(), DEADLINE, "the stalled player to be closed");
            String closeLine = log.matching(port, "closed").getFirst();
            assertTrue(closeLine.contains("write stalled") || closeLine.contains("too slow"), closeLine);
            assertTrue(stalled.awaitClosedByServer(Duration.ofSeconds(5)), "stalled socket still open");
            assertTrue(publisher.isAlive(), "the stall was only noticed after the stream ended: make it longer");

            assertEquals(0, publisher.awaitExit(DEADLINE), publisher.output());
            reference.awaitSourceEnded(1, DEADLINE);
            sampler.interrupt();
            List<MediaFrame> published = reference.frames();
            published.forEach(f -> maxFrame.accumulateAndGet(f.sizeBytes(), Math::max));
            // The queue sheds once past its bound, so it holds at most the bound plus the frame that crossed it.
            assertTrue(maxQueued.get() > 0, "never saw the stalled player's queue hold anything");
            assertTrue(maxQueued.get() <= QUEUE_MAX_BYTES + maxFrame.get(), "stalled queue held %d bytes; bound %d + %d"
                    .formatted(maxQueued.get(), QUEUE_MAX_BYTES, maxFrame.get()));

            Playout.assertPlayed("publisher into the hub", media.frames(), published, Join.BEFORE_PUBLISH, 0);
            Playout.assertOnTime("the hub", published, MAX_LATENESS_MS);
            for (int i = 0; i < readers.size(); i++) {
                TestPlayer p = readers.get(i);
                p.awaitEvent("NetStream.Play.UnpublishNotify", DEADLINE);
                Playout.assertPlayed("reader " + i, published, p.frames(), Join.BEFORE_PUBLISH, 0);
                Playout.assertOnTime("reader " + i, p.frames(), MAX_LATENESS_MS);
            }
            assertEquals(0, ffmpegPlayer.awaitExit(DEADLINE), ffmpegPlayer.output());
            Playout.assertPlayed("ffmpeg player", published, FlvRecording.read(ffmpegFlv), Join.BEFORE_PUBLISH,
                    Playout.TAIL_TOLERANCE_MS);
        }
    }

    /**
     * A player that handshakes, connects, creates a stream and plays, all in one go, and never reads a byte:
     * not even the answers. The server answers a connection's first createStream with 1 (DESIGN.md, "Shared
     * bytes for fan-out"), so play goes to stream 1 without waiting. A 4 KiB receive buffer keeps the TCP
     * window small.
     */
    private static RawConnection playThenStall(InetSocketAddress server) throws IOException {
        RawConnection c = RawConnection.open(server, 4096).handshake();
        c.send(CommandMessage.of(CommandMessage.CONNECT, 1, new AmfValue.Obj(Map.of("app", new AmfValue.Str("live"),
                "tcUrl", new AmfValue.Str("rtmp://127.0.0.1:%d/live".formatted(server.getPort()))))));
        c.send(CommandMessage.of(CommandMessage.CREATE_STREAM, 2, AmfValue.NULL));
        c.send(CommandMessage.of(CommandMessage.PLAY, 0, AmfValue.NULL, new AmfValue.Str("slow")).onStream(1));
        return c;
    }

    /** The server's name for the connection from {@code port}, from its "playing" log line. */
    private static String connectionOf(LogCapture log, int port) {
        String from = "127.0.0.1:" + port;
        log.await(l -> l.lines().stream().anyMatch(s -> s.contains("playing") && s.endsWith(from)), DEADLINE,
                "the server to log the play from " + from);
        String line = log.lines().stream().filter(s -> s.contains("playing") && s.endsWith(from)).findFirst()
                .orElseThrow();
        // "INFO CommandHandler - c7: playing live/slow for 127.0.0.1:40000"
        return line.substring(line.indexOf(" - ") + 3, line.indexOf(':', line.indexOf(" - ")));
    }

    private static Optional<Subscription> subscription(Gateway gateway, String owner) {
        return gateway.hub().find("live/slow").flatMap(s -> s.subscriptions().stream()
                .filter(sub -> sub.owner().equals(owner)).findFirst());
    }
}
