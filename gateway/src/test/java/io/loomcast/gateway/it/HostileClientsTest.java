package io.loomcast.gateway.it;

import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.it.Peers.Player;
import io.loomcast.gateway.it.Playout.Join;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.MessageCodec;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.CommandRejectedException;
import io.loomcast.gateway.session.RtmpClient;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.FlvRecording;
import io.loomcast.gateway.testing.GatewayProcess;
import io.loomcast.gateway.testing.MediaFrame;
import io.loomcast.gateway.testing.PipedFfmpegPlayer;
import io.loomcast.gateway.testing.RawConnection;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.TestCertificates;
import io.loomcast.gateway.testing.TestPlayer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway, run as its own process, under hostile clients while a real ffmpeg publishes and a real ffmpeg
 * and our own player play: 5,000 connections that send nothing or half a handshake (over RTMP and RTMPS),
 * a burst past {@code maxConnectionsPerIp}, Set Chunk Size 0x7FFFFFFF and messages announced at and past the
 * size limit, one stream too many, and a client that floods commands and never reads the answers. Each is
 * closed for its own reason and counted; the real player keeps its frame rate and loses nothing; the gateway's
 * RSS stays under {@link #RSS_BOUND_MIB}. Loopback only, every phase bounded by a deadline.
 *
 * <p>The hostile clients come from 127.0.1.x to 127.0.4.x, each address holding at most
 * {@link #PER_IP} connections (Linux routes all of 127/8 to lo, so no setup is needed).
 */
class HostileClientsTest {
    private static final int IDLE_RTMP = 4000;
    private static final int IDLE_RTMPS = 1000;
    private static final int PER_IP = 100;
    private static final int BURST = 150;
    private static final int OVERSIZED = 100;
    private static final int MAX_STREAMS = 4;
    private static final long HANDSHAKE_MS = 2000;
    /** What the gateway process may hold at its peak during the run, as measured by /proc (VmRSS). */
    private static final long RSS_BOUND_MIB = 512;
    private static final Duration DEADLINE = Duration.ofSeconds(40);
    private static final Pattern SUMMARY = Pattern.compile("counters at shutdown: (.*)");

    @TempDir
    Path dir;

    /** How one hostile connection ended, seen from the client. */
    private record Outcome(long connectedNanos, long closedNanos, long bytesIn) {
        long lifetimeMs() {
            return (closedNanos - connectedNanos) / 1_000_000;
        }
    }

    @Test
    void hostileClientsAreClosedForTheirReasonWhileARealStreamKeepsItsFrameRate() throws Exception {
        long needed = IDLE_RTMP + IDLE_RTMPS + BURST + 3L * OVERSIZED + 500;
        long limit = openFileLimit();
        if (limit < needed) {
            fail("this test holds %d sockets in this JVM and as many in the gateway's; the open-file limit is %d."
                    .formatted(needed, limit) + " Raise it (ulimit -n / the hard limit, ulimit -Hn) and run again");
        }
        TestMedia media = TestMedia.generate(dir, "real", 320, 240, 25, 14, 25, "300k");
        TestCertificates certs = TestCertificates.create(Files.createDirectories(dir.resolve("certs")));
        Path config = Files.writeString(dir.resolve("hostile.yaml"), """
                server:
                  listen: 127.0.0.1:0
                  unpublishGrace: 0
                  tls: { listen: 127.0.0.1:0, certificate: "%s", privateKey: "%s" }
                  handshakeTimeout: %dms
                  maxConnectionsPerIp: %d
                  limits: { maxMessageSize: 1MiB, maxStreamsPerConnection: %d, maxControlBacklog: 256KiB }
                """.formatted(certs.serverCert(), certs.serverKey(), HANDSHAKE_MS, PER_IP, MAX_STREAMS));
        Map<String, Object> figures = new LinkedHashMap<>();
        // The executor is closed last and only after every task was told to stop: close() waits for them all.
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
             Resources r = new Resources();
             // The JVM's own defaults, as bin/gateway runs it: the RSS figure is the one an operator would see.
             GatewayProcess gw = GatewayProcess.start("hostile", config, dir.resolve("gateway.log"), List.of(),
                     Map.of(), List.of())) {
            r.add(threads::shutdownNow);
            InetSocketAddress rtmp = gw.rtmp();
            InetSocketAddress rtmps = gw.rtmps().orElseThrow();
            String url = "rtmp://127.0.0.1:%d/live/real".formatted(rtmp.getPort());
            AtomicLong peakRssKiB = new AtomicLong(gw.rssKiB());
            figures.put("rss at start (MiB)", gw.rssKiB() / 1024);
            Future<?> sampler = threads.submit(() -> {
                while (true) {
                    peakRssKiB.accumulateAndGet(gw.rssKiB(), Math::max);
                    Thread.sleep(100);
                }
            });

            // The real stream: our player and ffmpeg join first, then ffmpeg publishes in real time.
            TestPlayer player = r.add(TestPlayer.play(rtmp, "live", "real"));
            // A one-second probe (ffmpeg's default is five): it writes nothing while it probes.
            PipedFfmpegPlayer ffplay = r.add(PipedFfmpegPlayer.start(url, dir.resolve("ffmpeg.flv"),
                    dir.resolve("ffplay.log"), List.of("-analyzeduration", "1000000")));
            player.await(p -> p.playing(), DEADLINE, "our player to start");
            ExternalPeer publisher = r.add(Peers.ffmpegPublish(media.file(), url, dir.resolve("pub.log"), List.of()));
            long publishStart = System.nanoTime();
            player.await(p -> Playout.track(p.frames(), Frame.Kind.VIDEO).size() >= 25, DEADLINE, "a second of video");
            // 1. Idle and half-handshake connections, 100 from each address; and 2., during them, a burst.
            Semaphore connecting = new Semaphore(32);
            List<Future<Outcome>> idle = new ArrayList<>();
            for (int i = 0; i < IDLE_RTMP + IDLE_RTMPS; i++) {
                boolean tls = i >= IDLE_RTMP;
                InetAddress from = InetAddress.getByName("127.0.1." + (1 + i / PER_IP));
                byte[] first = i % 2 == 0 ? new byte[0] : tls ? partialClientHello() : partialC0C1();
                idle.add(threads.submit(() -> hold(tls ? rtmps : rtmp, from, first, connecting)));
            }
            List<Future<Outcome>> burst = new ArrayList<>();
            InetAddress burstFrom = InetAddress.getByName("127.0.2.1");
            byte[] c0c1 = new byte[1537];
            c0c1[0] = 3;
            for (int i = 0; i < BURST; i++) {
                burst.add(threads.submit(() -> hold(rtmp, burstFrom, c0c1, connecting)));
            }

            // 3. Set Chunk Size 0x7FFFFFFF, a message announced at 16 MiB - 1 (the wire's most), and one
            // announced at exactly the 1 MiB limit that then stops after its first chunk.
            List<Future<Boolean>> refusedSizes = new ArrayList<>();
            List<RawConnection> atLimit = new ArrayList<>();
            for (int i = 0; i < OVERSIZED; i++) {
                refusedSizes.add(threads.submit(() -> oversized(rtmp, "127.0.3.1",
                        c -> c.send(new RawMessage(2, 1, 0, 0, hex("7fffffff"))))));
                refusedSizes.add(threads.submit(() -> oversized(rtmp, "127.0.3.2",
                        c -> c.write(hex("06 000000 ffffff 09 01000000")))));
                RawConnection held = RawConnection.open(rtmp, InetAddress.getByName("127.0.3.3"), 0).handshake();
                held.write(hex("06 000000 100000 09 01000000"));
                held.write(new byte[128]);
                atLimit.add(held);
            }
            // 4. One stream more than maxStreamsPerConnection.
            try (RtmpClient greedy = RtmpClient.connect(RtmpUrl.parse(url), ClientOptions.DEFAULT)) {
                for (int i = 0; i < MAX_STREAMS; i++) {
                    greedy.createStream();
                }
                CommandRejectedException e = assertThrows(CommandRejectedException.class, greedy::createStream);
                assertTrue(e.getMessage().contains("Too many streams"), e.getMessage());
                assertThrows(IOException.class, () -> {
                    while (true) {
                        greedy.read();
                    }
                }, "the connection stays open after one stream too many");
            }

            // 5. Commands as fast as the socket takes them, replies never read (a 4 KiB receive window).
            long[] flood = floodCommands(rtmp);
            figures.put("command flood: commands sent before the close", flood[0]);
            figures.put("command flood: ms until closed", flood[1]);
            // Every hostile connection ends, each for its reason.
            List<Outcome> idleOutcomes = new ArrayList<>();
            for (Future<Outcome> f : idle) {
                idleOutcomes.add(f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            }
            long admitted = 0;
            long refusedAtAccept = 0;
            for (Future<Outcome> f : burst) {
                Outcome o = f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                if (o.bytesIn() > 0) {
                    admitted++;
                } else {
                    refusedAtAccept++;
                }
            }
            for (Future<Boolean> f : refusedSizes) {
                assertTrue(f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS), "an oversized client was not closed");
            }
            figures.put("rss with the at-limit messages held (MiB)", gw.rssKiB() / 1024);
            for (RawConnection c : atLimit) {
                c.close();
            }

            // The real stream went on: ffmpeg published in real time and both players got every frame.
            assertEquals(0, publisher.awaitExit(DEADLINE), publisher.output());
            long publishMs = (System.nanoTime() - publishStart) / 1_000_000;
            player.awaitEvent("NetStream.Play.UnpublishNotify", DEADLINE);
            assertEquals(0, ffplay.awaitExit(DEADLINE), "the ffmpeg player's exit");
            sampler.cancel(true);
            Playout.assertPlayed("our player", media.frames(), player.frames(), Join.BEFORE_PUBLISH, 0);
            Playout.assertPlayed("ffmpeg player", media.frames(), FlvRecording.read(dir.resolve("ffmpeg.flv")),
                    Join.BEFORE_PUBLISH, Playout.TAIL_TOLERANCE_MS);
            figures.put("publish wall time (ms) for 14 s of media", publishMs);
            List<Long> ours = Playout.track(player.frames(), Frame.Kind.VIDEO).stream()
                    .map(MediaFrame::arrivalNanos).toList();
            // ffmpeg holds its first frames while it probes the input, then writes them at once: its rate
            // is taken from four seconds after its first frame on.
            List<Long> ffmpegAll = ffplay.video().stream().skip(1) // the AVC sequence header
                    .map(PipedFfmpegPlayer.Arrival::arrivalNanos).toList();
            List<Long> ffmpegs = ffmpegAll.stream().filter(t -> t - ffmpegAll.getFirst() >= 4_000_000_000L).toList();
            double ourFps = fps(ours);
            double ffmpegFps = fps(ffmpegs);
            long ourGapMs = longestGapMs(ours);
            long maxGapMs = longestGapMs(ffmpegs);
            figures.put("ffmpeg player: video frames, fps (after 4 s), longest gap (ms)", ffmpegAll.size() + ", "
                    + ffmpegFps + ", " + maxGapMs);
            figures.put("our player: video frames, fps, longest gap (ms)", ours.size() + ", " + ourFps + ", "
                    + ourGapMs);
            figures.put("peak rss (MiB)", peakRssKiB.get() / 1024);

            long minLife = idleOutcomes.stream().mapToLong(Outcome::lifetimeMs).min().orElseThrow();
            long maxLife = idleOutcomes.stream().mapToLong(Outcome::lifetimeMs).max().orElseThrow();
            long[] sorted = idleOutcomes.stream().mapToLong(Outcome::lifetimeMs).sorted().toArray();
            figures.put("idle connections: lifetime min/median/max (ms)",
                    minLife + " / " + sorted[sorted.length / 2] + " / " + maxLife);
            figures.put("burst: admitted / refused at accept", admitted + " / " + refusedAtAccept);

            gw.close();
            String summary = summary(gw.log());
            figures.put("gateway summary", summary);
            System.out.println("Hostile run figures (load: " + uptime() + "):");
            figures.forEach((k, v) -> System.out.println("  " + k + ": " + v));

            for (Outcome o : idleOutcomes) {
                assertEquals(0, o.bytesIn(), "an idle or half-handshake connection got bytes");
            }
            assertTrue(minLife >= HANDSHAKE_MS - 100, "closed before the handshake timeout: " + minLife + " ms");
            // From the client's connect: the time a flood waits in the accept queue counts too.
            assertTrue(maxLife <= HANDSHAKE_MS + 10_000, "closed long after the handshake timeout: " + maxLife + " ms");
            assertEquals(BURST, admitted + refusedAtAccept);
            assertTrue(admitted <= PER_IP, admitted + " connections from one address, limit " + PER_IP);
            assertTrue(refusedAtAccept >= BURST - PER_IP, refusedAtAccept + " refused at accept");
            assertEquals(refusedAtAccept, count(summary, "per_ip_limit"), summary);
            assertEquals(IDLE_RTMP + IDLE_RTMPS + admitted, count(summary, "handshake_timeout"), summary);
            assertEquals(1, count(summary, "stream_limit"), summary);
            assertEquals(1, count(summary, "control_backlog"), summary);
            assertTrue(gw.log().contains("over server.limits.maxControlBacklog"), "the flood's close reason");
            assertTrue(gw.log().contains("Set Chunk Size 2147483647 exceeds limit"));
            assertTrue(gw.log().contains("message length 16777215 on csid 6 exceeds limit 1048576"));
            // Generous: on a loaded 2-core machine the 5,000 closes cost the media path a second or two; a real
            // stall (a writer stuck for writeTimeout, a starved session) is longer.
            assertTrue(maxGapMs < 5000, "the ffmpeg player stalled for " + maxGapMs + " ms");
            assertTrue(ffmpegFps >= 22, "the ffmpeg player got " + ffmpegFps + " fps of 25");
            assertTrue(ourGapMs < 5000, "our player stalled for " + ourGapMs + " ms");
            assertTrue(ourFps >= 23, "our player got " + ourFps + " fps of 25");
            assertTrue(peakRssKiB.get() / 1024 < RSS_BOUND_MIB, "peak RSS " + peakRssKiB.get() / 1024 + " MiB");
        }
    }

    /** Frames per second over the span of {@code arrivals}, one decimal. */
    private static double fps(List<Long> arrivals) {
        double seconds = (arrivals.getLast() - arrivals.getFirst()) / 1e9;
        return Math.round((arrivals.size() - 1) / seconds * 10) / 10.0;
    }

    private static long longestGapMs(List<Long> arrivals) {
        long gap = 0;
        for (int i = 1; i < arrivals.size(); i++) {
            gap = Math.max(gap, (arrivals.get(i) - arrivals.get(i - 1)) / 1_000_000);
        }
        return gap;
    }

    /** Connects from {@code from}, sends {@code first}, reads until the server closes. */
    private static Outcome hold(InetSocketAddress server, InetAddress from, byte[] first, Semaphore connecting)
            throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            connecting.acquire();
            // Taken before connect: the gateway's clock starts at accept, later still, so a lifetime measured
            // from here can only overstate. Taken after connect, a busy machine's delay in resuming this thread
            // made a correct close look early (1895 ms of 2000 in one CI run).
            long connected = System.nanoTime();
            try {
                s.connect(server, 10_000);
            } finally {
                connecting.release();
            }
            s.setSoTimeout((int) DEADLINE.toMillis());
            long in = 0;
            try {
                if (first.length > 0) {
                    s.getOutputStream().write(first);
                }
                InputStream input = s.getInputStream();
                byte[] sink = new byte[4096];
                int n;
                while ((n = input.read(sink)) >= 0) {
                    in += n;
                }
            } catch (java.net.SocketTimeoutException e) {
                fail("a hostile connection from " + from + " was still open after " + DEADLINE);
            } catch (IOException e) {
                // Reset by the server: closed all the same.
            }
            return new Outcome(connected, System.nanoTime(), in);
        }
    }

    private interface Misdeed {
        void run(RawConnection c) throws IOException;
    }

    /** Handshakes from {@code from}, misbehaves, and returns whether the server hung up. */
    private static boolean oversized(InetSocketAddress server, String from, Misdeed misdeed) throws IOException {
        try (RawConnection c = RawConnection.open(server, InetAddress.getByName(from), 0)) {
            c.handshake();
            try {
                misdeed.run(c);
            } catch (IOException e) {
                return true;
            }
            return c.awaitClosedByServer(Duration.ofSeconds(10));
        }
    }

    /** {connect, then releaseStream (answered with _result) without end}; returns {commands sent, ms to the close}. */
    private static long[] floodCommands(InetSocketAddress server) throws Exception {
        try (RawConnection c = RawConnection.open(server, InetAddress.getByName("127.0.4.1"), 4096)) {
            c.handshake();
            Map<String, AmfValue> props = new LinkedHashMap<>();
            props.put("app", new AmfValue.Str("live"));
            props.put("tcUrl", new AmfValue.Str("rtmp://127.0.0.1/live"));
            c.send(MessageCodec.encode(CommandMessage.of(CommandMessage.CONNECT, 1, new AmfValue.Obj(props))));
            byte[] one = new ChunkWriter().encode(MessageCodec.encode(
                    CommandMessage.of("releaseStream", 2, AmfValue.NULL, new AmfValue.Str("flood"))));
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < 1000; i++) {
                batch.writeBytes(one);
            }
            byte[] bytes = batch.toByteArray();
            long sent = 0;
            long start = System.nanoTime();
            long deadline = start + DEADLINE.toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    c.write(bytes);
                    sent += 1000;
                }
                fail("the command flood was not cut off within " + DEADLINE + " (" + sent + " commands)");
            } catch (IOException e) {
                // The server closed the connection: the point.
            }
            return new long[] {sent, (System.nanoTime() - start) / 1_000_000};
        }
    }

    /** C0 and half of C1: the server waits for the rest, until the handshake timeout. */
    private static byte[] partialC0C1() {
        byte[] b = new byte[1 + 768];
        b[0] = 3;
        return b;
    }

    /** A TLS record header announcing a 512-byte ClientHello, and 100 bytes of it. */
    private static byte[] partialClientHello() {
        byte[] b = new byte[5 + 100];
        b[0] = 0x16;
        b[1] = 0x03;
        b[2] = 0x01;
        b[3] = 0x02;
        b[4] = 0x00;
        b[5] = 0x01; // handshake type: ClientHello
        return b;
    }

    private static String summary(String output) {
        Matcher m = SUMMARY.matcher(output);
        assertTrue(m.find(), "no counters summary in the gateway's output");
        return m.group(1);
    }

    private static long count(String summary, String label) {
        Matcher m = Pattern.compile("\\b" + label + "=(\\d+)").matcher(summary);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** The soft limit on open files of this JVM (which the JVM raises to the hard limit on Linux). */
    private static long openFileLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        return Long.MAX_VALUE;
    }

    private static String uptime() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}
