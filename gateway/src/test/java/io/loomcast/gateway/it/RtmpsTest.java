package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.it.Peers.Player;
import io.loomcast.gateway.it.Playout.Join;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.Refusal;
import io.loomcast.gateway.session.RtmpClient;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.FlvRecording;
import io.loomcast.gateway.testing.HubRecorder;
import io.loomcast.gateway.testing.LogCapture;
import io.loomcast.gateway.testing.MediaFrame;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.RtmpRecorder;
import io.loomcast.gateway.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RTMPS listener with the real peers and a CA made by openssl for the run: ffmpeg publishes and ffmpeg and
 * rtmpdump play over TLS with nothing lost and no virtual thread pinned in our code; the certificate is
 * replaced under a session that keeps playing; a bad file keeps the old one; the handshake deadline covers TLS.
 */
class RtmpsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    static Path shared;
    static TestCertificates ca1;
    static TestCertificates ca2;

    @TempDir
    Path dir;

    /** Parks inside its class initializer: a virtual thread that does this pins even on JDK 25. */
    private static final class PinsInClassInit {
        static {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }

        static void touch() { }
    }

    @BeforeAll
    static void certificates() throws Exception {
        ca1 = TestCertificates.create(Files.createDirectories(shared.resolve("ca1")));
        ca2 = TestCertificates.create(Files.createDirectories(shared.resolve("ca2")));
    }

    /** A gateway with RTMPS from {@code cert} and {@code key}, and {@code handshakeTimeout}. */
    private static Gateway start(Path cert, Path key, String handshakeTimeout) throws Exception {
        return Gateway.start(config(cert, key, handshakeTimeout));
    }

    private static GatewayConfig config(Path cert, Path key, String handshakeTimeout) throws Exception {
        return ConfigLoader.parse("""
                server:
                  listen: 127.0.0.1:0
                  unpublishGrace: 0
                  handshakeTimeout: %s
                  tls: { listen: 127.0.0.1:0, certificate: "%s", privateKey: "%s" }
                """.formatted(handshakeTimeout, cert, key), "rtmps.yaml", Map.of());
    }

    private static String rtmps(Gateway gw, String path) {
        return "rtmps://localhost:%d/%s".formatted(gw.rtmpsAddress().orElseThrow().getPort(), path);
    }

    private static List<String> verifyWith(TestCertificates ca) {
        return List.of("-tls_verify", "1", "-ca_file", ca.caCert().toString());
    }

    private static ExternalPeer ffmpegPlayer(String url, TestCertificates ca, Path flv, Path log) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(ExternalPeer.require("ffmpeg").toString(), "-hide_banner",
                "-loglevel", "warning", "-nostdin", "-y"));
        cmd.addAll(verifyWith(ca));
        cmd.addAll(List.of("-i", url, "-c", "copy", "-copyts", "-copyinkf", "-f", "flv", flv.toString()));
        return ExternalPeer.start(log, cmd);
    }

    /** ffmpeg publishes {@code media} over RTMPS while ffmpeg and rtmpdump play it; all three get everything. */
    private void publishAndPlay(Gateway gw, TestMedia media, String name) throws Exception {
        String url = rtmps(gw, "live/" + name);
        try (Resources r = new Resources()) {
            HubRecorder reference = r.add(HubRecorder.subscribe(gw.hub(), "live/" + name));
            ExternalPeer ffplay = r.add(ffmpegPlayer(url, ca1, dir.resolve(name + "-ffmpeg.flv"),
                    dir.resolve(name + "-ffmpeg.log")));
            // librtmp (GnuTLS) does TLS without checking the server's certificate: no CA to give it.
            ExternalPeer rtmpdump = r.add(Player.RTMPDUMP.start(url, dir.resolve(name + "-rtmpdump.flv"),
                    dir.resolve(name + "-rtmpdump.log")));
            TestGateway.awaitSubscribers(gw, "live/" + name, 3, DEADLINE);
            ExternalPeer publisher = r.add(Peers.ffmpegPublish(media.file(), url, dir.resolve(name + "-pub.log"),
                    verifyWith(ca1)));
            assertEquals(0, publisher.awaitExit(DEADLINE), publisher.output());
            reference.awaitSourceEnded(1, DEADLINE);
            assertTrue(Player.FFMPEG.finished(ffplay.awaitExit(DEADLINE)), ffplay.output());
            assertTrue(Player.RTMPDUMP.finished(rtmpdump.awaitExit(DEADLINE)), rtmpdump.output());
            List<MediaFrame> published = reference.frames();
            Playout.assertPlayed(name + ": ffmpeg publishing over RTMPS", media.frames(), published,
                    Join.BEFORE_PUBLISH, 0);
            Playout.assertPlayed(name + ": ffmpeg playing over RTMPS", published,
                    FlvRecording.read(dir.resolve(name + "-ffmpeg.flv")), Join.BEFORE_PUBLISH, Playout.TAIL_TOLERANCE_MS);
            Playout.assertPlayed(name + ": rtmpdump playing over RTMPS", published,
                    FlvRecording.read(dir.resolve(name + "-rtmpdump.flv")), Join.BEFORE_PUBLISH,
                    Playout.TAIL_TOLERANCE_MS);
        }
    }

    @Test
    void ffmpegPublishesAndFfmpegAndRtmpdumpPlayOverTlsWithoutPinningACarrier() throws Exception {
        TestMedia warmUp = TestMedia.generate(dir, "warm", 160, 120, 25, 1, 25, "150k");
        TestMedia media = TestMedia.generate(dir, "tls", 160, 120, 25, 3, 25, "150k");
        List<RecordedEvent> pinned = new CopyOnWriteArrayList<>();
        try (Gateway gw = start(ca1.serverCert(), ca1.serverKey(), "5s")) {
            // The first TLS sessions load and initialise the JDK's TLS classes, which pins once per class; the
            // recorded run shows what every connection does.
            publishAndPlay(gw, warmUp, "warm");
            try (RecordingStream jfr = new RecordingStream()) {
                jfr.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
                jfr.onEvent("jdk.VirtualThreadPinned", pinned::add);
                jfr.startAsync();
                // The control: a pin caused on purpose, so a recording that sees nothing cannot pass.
                Thread.ofVirtual().start(PinsInClassInit::touch).join();
                publishAndPlay(gw, media, "tls");
                jfr.stop();
            }
            // A client that does not trust the test CA is refused by ffmpeg itself: the certificate is checked.
            ExternalPeer untrusting = Peers.ffmpegPublish(media.file(), rtmps(gw, "live/other"),
                    dir.resolve("untrusting.log"), verifyWith(ca2));
            try (untrusting) {
                assertTrue(untrusting.awaitExit(DEADLINE) != 0, untrusting.output());
                assertTrue(untrusting.output().contains("failed verification"), untrusting.output());
            }
        }
        assertTrue(pinned.stream().anyMatch(e -> stack(e).contains("PinsInClassInit")),
                "the deliberate pin was not recorded, so the recording proves nothing: " + pinned);
        List<String> ours = pinned.stream().map(RtmpsTest::stack)
                .filter(s -> s.lines().anyMatch(f -> f.strip().startsWith("io.loomcast.gateway.")
                        && !f.strip().startsWith("io.loomcast.gateway.it.")
                        && !f.strip().startsWith("io.loomcast.gateway.testing.")))
                .toList();
        assertTrue(ours.isEmpty(), "virtual threads pinned in gateway code over TLS:\n" + String.join("\n\n", ours));
    }

    private static String stack(RecordedEvent e) {
        return e.getStackTrace() == null ? "(no stack)" : e.getStackTrace().getFrames().stream()
                .map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName() + ":" + f.getLineNumber())
                .collect(Collectors.joining("\n  "));
    }

    @Test
    void aNewCertificateTakesOverWhileOpenSessionsKeepTheirsAndABadFileKeepsTheOld() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.copy(ca1.serverCert(), cert);
        Files.copy(ca1.serverKey(), key);
        TestMedia media = TestMedia.generate(dir, "reload", 160, 120, 25, 6, 25, "150k");
        ClientOptions trust1 = ClientOptions.DEFAULT.withCaFile(Optional.of(ca1.caCert()));
        ClientOptions trust2 = ClientOptions.DEFAULT.withCaFile(Optional.of(ca2.caCert()));
        try (LogCapture log = LogCapture.of("io.loomcast.gateway.session");
             Gateway gw = start(cert, key, "5s");
             Resources r = new Resources()) {
            RtmpRecorder open = r.add(RtmpRecorder.start(rtmps(gw, "live/r"), dir.resolve("open.flv"), trust1));
            HubRecorder reference = r.add(HubRecorder.subscribe(gw.hub(), "live/r"));
            ExternalPeer publisher = r.add(Peers.ffmpegPublish(media.file(), TestGateway.url(gw, "live/r"),
                    dir.resolve("pub.log"), List.of()));
            Poll.until(() -> open.videoFrames() >= 10, DEADLINE, "the RTMPS player to get frames", open::toString);

            // Renewed: the key first, then the certificate, each replaced whole, as certbot does.
            replace(ca2.serverKey(), key);
            replace(ca2.serverCert(), cert);
            log.await(l -> !l.matching("TLS certificate reloaded (the files changed)").isEmpty(), DEADLINE,
                    "the new certificate to load");
            connects(gw, trust2);
            SSLException old = assertThrows(SSLException.class, () -> connects(gw, trust1));
            assertTrue(old.getMessage().contains("PKIX") || old.getMessage().contains("certification"), old.toString());
            long before = open.videoFrames();
            Poll.until(() -> open.videoFrames() > before + 10, DEADLINE, "the open session to keep playing",
                    open::toString);

            // A broken key: reported, and the running certificate stays.
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
            log.await(l -> !l.matching("TLS certificate reload (the files changed) failed, keeping the previous")
                    .isEmpty(), DEADLINE, "the bad key to be reported");
            connects(gw, trust2);
            // SIGHUP's path (Reloader -> Gateway.reload) with the file still bad: reported again, kept again.
            gw.reload(config(cert, key, "5s"));
            log.await(l -> l.matching("TLS certificate reload", "failed, keeping the previous").size() >= 2, DEADLINE,
                    "the reload to report the bad key");
            connects(gw, trust2);

            assertEquals(0, publisher.awaitExit(DEADLINE), publisher.output());
            reference.awaitSourceEnded(1, DEADLINE);
            Poll.until(() -> open.notices().contains("NetStream.Play.UnpublishNotify"), DEADLINE,
                    "the end of the stream at the open session", open::toString);
            Playout.assertPlayed("the RTMPS session open across the reload", reference.frames(),
                    FlvRecording.read(open.finish()), Join.BEFORE_PUBLISH, 0);
        }
    }

    private static void replace(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling(to.getFileName() + ".new");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Connects over RTMPS trusting {@code options}' CA, and creates a stream; throws if TLS fails. */
    private static void connects(Gateway gw, ClientOptions options) throws IOException {
        try (RtmpClient c = RtmpClient.connect(RtmpUrl.parse(rtmps(gw, "live/probe")), options)) {
            assertTrue(c.createStream() > 0);
        }
    }

    @Test
    void theHandshakeDeadlineCoversTlsAndPlainRtmpOnTheTlsPortIsRefused() throws Exception {
        try (Gateway gw = start(ca1.serverCert(), ca1.serverKey(), "1s")) {
            InetSocketAddress tls = gw.rtmpsAddress().orElseThrow();
            long t0 = System.nanoTime();
            try (Socket silent = new Socket()) {
                silent.connect(tls, 5_000);
                assertTrue(closedByServer(silent, Duration.ofSeconds(5)), "a silent TLS peer is still open");
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 900 && ms < 4_000, "closed after " + ms + " ms, handshake timeout 1 s");
            try (Socket plain = new Socket()) {
                plain.connect(tls, 5_000);
                byte[] c0c1 = new byte[1537];
                c0c1[0] = 3;
                plain.getOutputStream().write(c0c1);
                assertTrue(closedByServer(plain, Duration.ofSeconds(5)), "RTMP on the TLS port is still open");
            }
            Poll.until(() -> gw.rtmp().counters().refusals(Refusal.HANDSHAKE_TIMEOUT) == 1
                            && gw.rtmp().counters().refusals(Refusal.TLS_HANDSHAKE_FAILED) == 1, DEADLINE,
                    "one TLS timeout and one TLS failure counted",
                    () -> gw.rtmp().counters().refusals(Refusal.HANDSHAKE_TIMEOUT) + " timeouts, "
                            + gw.rtmp().counters().refusals(Refusal.TLS_HANDSHAKE_FAILED) + " failures");
        }
    }

    /** Reads until the server closes (end of stream or a reset), or the deadline. */
    private static boolean closedByServer(Socket s, Duration timeout) throws IOException {
        s.setSoTimeout((int) timeout.toMillis());
        InputStream in = s.getInputStream();
        byte[] sink = new byte[4096];
        try {
            while (in.read(sink) >= 0) {
                // discard what the server sends (a TLS alert, say)
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
