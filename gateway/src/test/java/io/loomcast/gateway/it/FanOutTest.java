package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.it.Playout.Join;
import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.chunk.ChunkLimits;
import io.loomcast.gateway.protocol.chunk.ChunkReader;
import io.loomcast.gateway.protocol.message.AudioMessage;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.MessageCodec;
import io.loomcast.gateway.protocol.message.SetChunkSize;
import io.loomcast.gateway.protocol.message.VideoMessage;
import io.loomcast.gateway.session.FanOut;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.HubRecorder;
import io.loomcast.gateway.testing.MediaFrame;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.RawConnection;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.TestPlayer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream flusher (session.StreamFlusher): players that keep up are written by one thread per stream,
 * exactly as their own writer would have; a merge window batches each player's writes; a player whose socket
 * fills goes back to its own writer without holding up the others.
 */
class FanOutTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Queues a player that stops reading runs past within seconds, at these tests' 8-10 Mbit/s. */
    private static final String SMALL_QUEUES = """
            subscriberQueue:
              maxBytes: 2MiB
              maxDuration: 2s
            """;

    @TempDir
    Path dir;

    @Test
    void playersThatKeepUpAreServedByTheStreamFlusherFrameForFrame() throws Exception {
        TestMedia media = TestMedia.generate(dir, "fan", 320, 180, 25, 6, 25, "500k");
        try (Gateway gateway = TestGateway.start("mergeWrites: 0");
                Resources r = new Resources()) {
            List<TestPlayer> players = players(gateway, r, "fan", 20);
            FanOut fanOut = gateway.rtmp().fanOut();
            // Waiting for a source they have nothing to catch up on: the flusher has them before it starts, so
            // its first frames do not wake every player's own writer at once.
            Poll.until(() -> fanOut.directPlayers() == players.size(), DEADLINE,
                    "every waiting player on the stream's flusher", () -> fanOut.directPlayers() + " of 20");
            // A player read by the selectors holds one virtual thread, its session's, which also writes for it.
            Poll.until(() -> writerThreads() == 0, DEADLINE, "no writer thread beside the players' sessions",
                    () -> writerThreads() + " writer threads");
            HubRecorder reference = r.add(HubRecorder.subscribe(gateway.hub(), "live/fan"));
            publishAndAwaitEnd(gateway, media, reference, r);
            for (int i = 0; i < players.size(); i++) {
                TestPlayer p = players.get(i);
                p.awaitEvent("NetStream.Play.UnpublishNotify", DEADLINE);
                Playout.assertPlayed("player " + i, reference.frames(), p.frames(), Join.BEFORE_PUBLISH, 0);
            }
            long all = fanOut.flusherWrites() + fanOut.writerWrites();
            assertTrue(fanOut.flusherWrites() * 2 > all, "the flusher made %d of %d writes".formatted(
                    fanOut.flusherWrites(), all));
            assertEquals(0, fanOut.handedBack());
        }
    }

    @Test
    void aMergeWindowSendsEachPlayerOneWritePerWindow() throws Exception {
        TestMedia media = TestMedia.generate(dir, "fan", 320, 180, 25, 6, 25, "500k");
        try (Gateway gateway = TestGateway.start("mergeWrites: 100ms");
                Resources r = new Resources()) {
            List<TestPlayer> players = players(gateway, r, "fan", 10);
            HubRecorder reference = r.add(HubRecorder.subscribe(gateway.hub(), "live/fan"));
            publishAndAwaitEnd(gateway, media, reference, r);
            for (int i = 0; i < players.size(); i++) {
                TestPlayer p = players.get(i);
                p.awaitEvent("NetStream.Play.UnpublishNotify", DEADLINE);
                Playout.assertPlayed("player " + i, reference.frames(), p.frames(), Join.BEFORE_PUBLISH, 0);
            }
            // About 6 s at one write per 100 ms is 60 writes a player, where each of its ~400 frames would
            // otherwise take one; control messages and the start add a few.
            FanOut fanOut = gateway.rtmp().fanOut();
            long perPlayer = (fanOut.flusherWrites() + fanOut.writerWrites()) / players.size();
            assertTrue(perPlayer < 120, "%d writes per player".formatted(perPlayer));
        }
    }

    @Test
    void aPlayerThatStopsReadingGoesBackToItsOwnWriterWithoutHoldingUpTheOthers() throws Exception {
        // 8 Mbit/s: a reader that stops fills its 4 KiB window and the server's send buffer within a second.
        TestMedia media = TestMedia.generate(dir, "stop", 640, 360, 25, 8, 25, "8M", true);
        try (Gateway gateway = TestGateway.start(SMALL_QUEUES);
                Resources r = new Resources()) {
            List<TestPlayer> players = players(gateway, r, "stop", 5);
            AtomicBoolean stop = new AtomicBoolean();
            RawConnection quitter = r.add(play(gateway.rtmpAddress(), "stop"));
            Thread reader = Thread.ofVirtual().start(() -> readUntil(quitter, stop));
            String url = TestGateway.url(gateway, "live/stop");
            TestGateway.awaitSubscribers(gateway, "live/stop", 6, DEADLINE);
            HubRecorder reference = r.add(HubRecorder.subscribe(gateway.hub(), "live/stop"));
            ExternalPeer publisher = r.add(Peers.ffmpegPublish(media.file(), url, dir.resolve("publisher.log"),
                    List.of()));
            FanOut fanOut = gateway.rtmp().fanOut();
            Poll.until(() -> fanOut.flusherWrites() > 200, DEADLINE, "the flusher to serve the players",
                    () -> fanOut.flusherWrites() + " flusher writes");
            stop.set(true);
            reader.join();
            Poll.until(() -> fanOut.handedBack() > 0, DEADLINE, "the stopped reader to be handed back",
                    () -> "not yet");
            assertTrue(publisher.isAlive(), "the stream ended before the reader's socket filled: make it longer");
            assertEquals(0, publisher.awaitExit(DEADLINE), publisher.output());
            reference.awaitSourceEnded(1, DEADLINE);
            for (int i = 0; i < players.size(); i++) {
                TestPlayer p = players.get(i);
                p.awaitEvent("NetStream.Play.UnpublishNotify", DEADLINE);
                Playout.assertPlayed("player " + i, reference.frames(), p.frames(), Join.BEFORE_PUBLISH, 0);
                Playout.assertOnTime("player " + i, p.frames(), 500);
            }
        }
    }

    /**
     * A player that stops reading for a while and then reads again: the flusher's write to it takes part of a
     * message and leaves the rest, which its own thread must send before anything else. Every message it then
     * reads must decode, and its video must go on from a keyframe exactly as the stream had it.
     */
    @Test
    void aPlayerWhoseSocketFilledGetsWholeMessagesWhenItReadsAgain() throws Exception {
        TestMedia media = TestMedia.generate(dir, "pause", 640, 360, 25, 10, 25, "8M", true);
        try (Gateway gateway = TestGateway.start(SMALL_QUEUES);
                Resources r = new Resources()) {
            FanOut fanOut = gateway.rtmp().fanOut();
            AtomicBoolean hold = new AtomicBoolean();
            RawConnection pauser = r.add(play(gateway.rtmpAddress(), "pause"));
            List<MediaFrame> got = Collections.synchronizedList(new ArrayList<>());
            List<Throwable> failed = Collections.synchronizedList(new ArrayList<>());
            Thread reader = Thread.ofVirtual().start(() -> readMessages(pauser, hold, got, failed));
            // Players that always read, some after it in the flusher's pass: the flusher writes them the same
            // frames through the same views while the held player's rest waits.
            List<RawConnection> steady = new ArrayList<>();
            List<List<MediaFrame>> steadyGot = new ArrayList<>();
            List<Thread> steadyReaders = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                RawConnection c = r.add(play(gateway.rtmpAddress(), "pause"));
                List<MediaFrame> frames = Collections.synchronizedList(new ArrayList<>());
                steady.add(c);
                steadyGot.add(frames);
                steadyReaders.add(Thread.ofVirtual().start(() -> readMessages(c, new AtomicBoolean(), frames, failed)));
            }
            TestGateway.awaitSubscribers(gateway, "live/pause", 4, DEADLINE);
            HubRecorder reference = r.add(HubRecorder.subscribe(gateway.hub(), "live/pause"));
            ExternalPeer publisher = r.add(Peers.ffmpegPublish(media.file(), TestGateway.url(gateway, "live/pause"),
                    dir.resolve("publisher.log"), List.of()));
            Poll.until(() -> fanOut.flusherWrites() > 100, DEADLINE, "the flusher to serve the player",
                    () -> fanOut.flusherWrites() + " flusher writes");
            hold.set(true);
            Poll.until(() -> fanOut.handedBack() > 0, DEADLINE, "the held player's socket to fill",
                    () -> "not yet");
            hold.set(false);
            assertTrue(publisher.isAlive(), "the stream ended before the socket filled: make it longer");
            assertEquals(0, publisher.awaitExit(DEADLINE), publisher.output());
            reference.awaitSourceEnded(1, DEADLINE);
            Poll.until(() -> !failed.isEmpty() || Stream.concat(Stream.of(got), steadyGot.stream())
                            .allMatch(g -> g.size() > 0 && reference.frames().getLast().sameAs(last(g))),
                    DEADLINE, "the players to read the stream's last frame", () -> got.size() + " frames");
            pauser.close();
            reader.join();
            for (int i = 0; i < steady.size(); i++) {
                steady.get(i).close();
                steadyReaders.get(i).join();
            }
            assertTrue(failed.isEmpty(), () -> "the player's stream broke: " + failed);
            // It may have lost frames while it held (its queue shed to a keyframe), but whatever it got is the
            // stream's own, in order, and each run after a gap starts on a keyframe.
            List<MediaFrame> ref = pictures(reference.frames());
            assertInStreamOrder(ref, pictures(got));
            for (List<MediaFrame> g : steadyGot) {
                assertInStreamOrder(ref, pictures(g));
            }
        }
    }

    /** Whatever {@code video} holds is the stream's own, in order, and each run after a gap starts on a keyframe. */
    private static void assertInStreamOrder(List<MediaFrame> ref, List<MediaFrame> video) {
        int at = -1;
        for (MediaFrame f : video) {
            int next = at + 1;
            while (next < ref.size() && !ref.get(next).sameAs(f)) {
                next++;
            }
            assertTrue(next < ref.size(), "frame " + f + " is not in the stream after " + (at < 0 ? "its start"
                    : ref.get(at)));
            if (next != at + 1 && at >= 0) {
                assertTrue(f.keyframe(), "after a gap the video goes on at " + f + ", not a keyframe");
            }
            at = next;
        }
    }

    /** The video frames that are pictures, not sequence headers. */
    private static List<MediaFrame> pictures(List<MediaFrame> frames) {
        synchronized (frames) {
            return frames.stream().filter(f -> f.kind() == Frame.Kind.VIDEO && !f.config()).toList();
        }
    }

    private static MediaFrame last(List<MediaFrame> frames) {
        synchronized (frames) {
            return frames.getLast();
        }
    }

    /** Reads and decodes every message (chunk size changes included) until the connection ends or fails. */
    private static void readMessages(RawConnection c, AtomicBoolean hold, List<MediaFrame> got, List<Throwable> failed) {
        try {
            InputStream raw = c.input();
            InputStream held = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (hold.get()) {
                        Poll.untilQuietly(() -> !hold.get(), DEADLINE);
                    }
                    return raw.read(b, off, len);
                }
            };
            ChunkReader reader = new ChunkReader(held, ChunkLimits.DEFAULT);
            while (true) {
                Message m = MessageCodec.decode(reader.read());
                long now = System.nanoTime();
                switch (m) {
                    case SetChunkSize s -> reader.chunkSize(s.sizeBytes());
                    case AudioMessage a -> got.add(MediaFrame.of(Frame.Kind.AUDIO, a.timestamp(), a.data(), now));
                    case VideoMessage v -> got.add(MediaFrame.of(Frame.Kind.VIDEO, v.timestamp(), v.data(), now));
                    default -> { }
                }
            }
        } catch (ProtocolException | RuntimeException e) {
            failed.add(e); // bytes that do not make messages: a message was split or cut
        } catch (IOException e) {
            // The test closed it, or the server did; what was read so far is checked.
        }
    }

    /** Connection writer threads ({@code c42-writer}) alive in this JVM, virtual ones included. */
    private long writerThreads() {
        Path dump = dir.resolve("threads-" + System.nanoTime() + ".json");
        String json;
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            json = Files.readString(dump);
            Files.delete(dump);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Pattern.compile("\"name\": \"c\\d+-writer\"").matcher(json).results().count();
    }

    private static List<TestPlayer> players(Gateway gateway, Resources r, String name, int n) {
        List<TestPlayer> players = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            players.add(r.add(TestPlayer.play(gateway.rtmpAddress(), "live", name)));
        }
        TestGateway.awaitSubscribers(gateway, "live/" + name, n, DEADLINE);
        return players;
    }

    private void publishAndAwaitEnd(Gateway gateway, TestMedia media, HubRecorder reference, Resources r)
            throws IOException, InterruptedException {
        ExternalPeer publisher = r.add(Peers.ffmpegPublish(media.file(), TestGateway.url(gateway, "live/fan"),
                dir.resolve("publisher.log"), List.of()));
        assertEquals(0, publisher.awaitExit(DEADLINE), publisher.output());
        reference.awaitSourceEnded(1, DEADLINE);
    }

    private static RawConnection play(InetSocketAddress server, String name) throws IOException {
        RawConnection c = RawConnection.open(server, 4096).handshake();
        c.send(CommandMessage.of(CommandMessage.CONNECT, 1, new AmfValue.Obj(Map.of("app", new AmfValue.Str("live"),
                "tcUrl", new AmfValue.Str("rtmp://127.0.0.1:%d/live".formatted(server.getPort()))))));
        c.send(CommandMessage.of(CommandMessage.CREATE_STREAM, 2, AmfValue.NULL));
        c.send(CommandMessage.of(CommandMessage.PLAY, 0, AmfValue.NULL, new AmfValue.Str(name)).onStream(1));
        return c;
    }

    private static void readUntil(RawConnection c, AtomicBoolean stop) {
        byte[] sink = new byte[4096];
        try {
            InputStream in = c.input();
            while (!stop.get() && in.read(sink) >= 0) {
                // Discard: this player only has to keep up until told to stop.
            }
        } catch (IOException e) {
            // Closed under us: the test fails on what the others saw, not here.
        }
    }
}
