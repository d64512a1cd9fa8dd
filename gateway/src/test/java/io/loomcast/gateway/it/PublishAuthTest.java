package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.auth.DenyReason;
import io.loomcast.gateway.auth.UrlSignature;
import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.config.Secret;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.it.Peers.Player;
import io.loomcast.gateway.it.Playout.Join;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.CommandRejectedException;
import io.loomcast.gateway.session.Refusal;
import io.loomcast.gateway.session.RtmpClient;
import io.loomcast.gateway.testing.CommandPlayer;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.FlvRecording;
import io.loomcast.gateway.testing.HubRecorder;
import io.loomcast.gateway.testing.LogCapture;
import io.loomcast.gateway.testing.MediaFrame;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.RtmpRecorder;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publish and play rules against the real peers: ffmpeg publishing without, with a wrong and with the right key,
 * signed names, a play rule in front of ffmpeg and rtmpdump, and an address denied at accept. Every refusal
 * must reach the client as the right status with a reason and no key in it, within a second of connecting,
 * counted by its reason.
 */
class PublishAuthTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    /** The session's own time from accept to close, for a refused publish or play. */
    private static final long REFUSED_WITHIN_MS = 1000;
    private static final Pattern CLOSED_AFTER = Pattern.compile("closed (\\S+) after (\\d+) ms: (.*)");
    private static final String KEY = "pk-" + HexFormat.of().formatHex(randomBytes());
    private static final String PLAY_KEY = "vk-" + HexFormat.of().formatHex(randomBytes());
    private static final String SECRET = "sec-" + HexFormat.of().formatHex(randomBytes());

    @TempDir
    static Path shared;
    static TestMedia media;

    @TempDir
    Path dir;

    private static byte[] randomBytes() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    @BeforeAll
    static void makeMedia() throws Exception {
        media = TestMedia.generate(shared, "auth", 160, 120, 25, 3, 25, "150k");
    }

    private static Gateway start(String yaml) throws Exception {
        return Gateway.start(ConfigLoader.parse(yaml, "auth-it.yaml",
                Map.of("PUBLISH_KEY", KEY, "PLAY_KEY", PLAY_KEY, "SIGNING_SECRET", SECRET)));
    }

    private static String url(Gateway gw, String path) {
        return TestGateway.url(gw, path);
    }

    /** The session's close line for the peer at {@code remote}: its duration in ms and its reason. */
    private static Matcher closeLine(LogCapture log, String remotePort) {
        String remote = "127.0.0.1:" + remotePort + " ";
        log.await(l -> !l.matching(remote, "closed").isEmpty(), DEADLINE, "the close of " + remote);
        Matcher m = CLOSED_AFTER.matcher(log.matching(remote, "closed").getFirst());
        assertTrue(m.find(), log.toString());
        return m;
    }

    /** The port the {@code n}th client refused with {@code description} connected from, as its close line shows. */
    private static String refusedPort(LogCapture log, String description, int n) {
        log.await(l -> l.matching("closed", description).size() >= n, DEADLINE, n + " refusals saying " + description);
        Matcher m = CLOSED_AFTER.matcher(log.matching("closed", description).get(n - 1));
        assertTrue(m.find());
        String remote = m.group(1);
        return remote.substring(remote.lastIndexOf(':') + 1);
    }

    @Test
    void ffmpegWithoutOrWithAWrongKeyIsRefusedAndWithItTheRelayPushesTheStreamWithoutTheKey() throws Exception {
        try (NginxRtmp nginx = NginxRtmp.start(Files.createDirectories(dir.resolve("nginx")),
                     NginxRtmp.Options.withApps("dest"));
             LogCapture log = LogCapture.of("io.loomcast.gateway");
             Gateway gw = start("""
                     server: { listen: 127.0.0.1:0, unpublishGrace: 0 }
                     routes:
                       - stream: live/*
                         push: ["%s"]
                     auth:
                       publish:
                         - app: live
                           keys: ["${PUBLISH_KEY}"]
                     """.formatted(nginx.url("dest/{name}")));
             Resources r = new Resources()) {
            for (String[] c : List.of(new String[] {"live/show", "no key or signature given"},
                    new String[] {"live/show?key=" + KEY + "x", "wrong key"})) {
                ExternalPeer ffmpeg = r.add(Peers.ffmpegPublish(media.file(), url(gw, c[0]),
                        dir.resolve("refused-" + c[1].replace(' ', '-') + ".log"), List.of()));
                assertNotEquals(0, ffmpeg.awaitExit(DEADLINE), ffmpeg.output());
                String expected = "Publishing live/show refused: " + c[1] + ".";
                assertTrue(ffmpeg.output().contains("Server error: " + expected), ffmpeg.output());
                Matcher close = closeLine(log, refusedPort(log, expected, 1));
                assertTrue(Long.parseLong(close.group(2)) < REFUSED_WITHIN_MS, close.group());
                assertFalse(gw.hub().find("live/show").isPresent(), "a refused publisher's stream reached the hub");
            }
            // The status on the wire, through our own client: NetStream.Publish.BadName, within a second.
            try (RtmpClient client = RtmpClient.connect(RtmpUrl.parse(url(gw, "live/show")), ClientOptions.DEFAULT)) {
                long t0 = System.nanoTime();
                CommandRejectedException e = assertThrows(CommandRejectedException.class,
                        () -> client.publish("show?key=nope"));
                assertTrue((System.nanoTime() - t0) / 1_000_000 < REFUSED_WITHIN_MS);
                assertEquals("NetStream.Publish.BadName", e.code());
                assertTrue(e.getMessage().contains("Publishing live/show refused: wrong key."), e.getMessage());
            }
            assertEquals(3, gw.rtmp().counters().refusals(Refusal.PUBLISH_DENIED));
            assertEquals(2, gw.rtmp().counters().authDenials(DenyReason.WRONG_KEY));
            assertEquals(1, gw.rtmp().counters().authDenials(DenyReason.NO_CREDENTIALS));

            HubRecorder reference = r.add(HubRecorder.subscribe(gw.hub(), "live/show"));
            ExternalPeer keyed = r.add(Peers.ffmpegPublish(media.file(), url(gw, "live/show?key=" + KEY),
                    dir.resolve("keyed.log"), List.of()));
            Poll.until(() -> nginx.errorLogQuietly().contains("name='show'"), DEADLINE,
                    "the relay to publish dest/show at nginx", nginx::errorLogQuietly);
            RtmpRecorder atNginx = r.add(RtmpRecorder.start(nginx.url("dest/show"), dir.resolve("nginx.flv")));
            assertEquals(0, keyed.awaitExit(DEADLINE), keyed.output());
            reference.awaitSourceEnded(1, DEADLINE);
            Poll.until(() -> atNginx.videoFrames() > 0, DEADLINE, "frames at nginx dest/show", atNginx::toString);
            String nginxLog = nginx.errorLogQuietly();
            assertTrue(nginxLog.contains("name='show' args=''"), "nginx saw another name or arguments:\n" + nginxLog);
            assertFalse(nginxLog.contains(KEY), "the key reached nginx:\n" + nginxLog);
            Playout.assertPlayed("publisher with the key", media.frames(), reference.frames(), Join.BEFORE_PUBLISH, 0);
            for (String line : log.lines()) {
                assertFalse(line.contains(KEY), "a log line shows the key: " + line);
            }
        }
    }

    @Test
    void aSignedNameIsAcceptedUntilItExpiresAndOnlyForTheStreamItNames() throws Exception {
        Secret secret = new Secret(SECRET);
        long now = Instant.now().getEpochSecond();
        try (LogCapture log = LogCapture.of("io.loomcast.gateway.session");
             Gateway gw = start("""
                     server: { listen: 127.0.0.1:0, unpublishGrace: 0 }
                     auth:
                       publish:
                         - app: live
                           secret: ${SIGNING_SECRET}
                     """);
             Resources r = new Resources()) {
            String expired = "live/old?" + UrlSignature.query(secret, "live/old", now - 5);
            String otherName = "live/b?" + UrlSignature.query(secret, "live/a", now + 600);
            for (String[] c : List.of(new String[] {expired, "Publishing live/old refused: signature expired."},
                    new String[] {otherName, "Publishing live/b refused: signature does not match this stream."})) {
                ExternalPeer ffmpeg = r.add(Peers.ffmpegPublish(media.file(), url(gw, c[0]),
                        dir.resolve("signed-refused-" + r.hashCode() + c[1].length() + ".log"), List.of()));
                assertNotEquals(0, ffmpeg.awaitExit(DEADLINE), ffmpeg.output());
                assertTrue(ffmpeg.output().contains("Server error: " + c[1]), ffmpeg.output());
            }
            HubRecorder reference = r.add(HubRecorder.subscribe(gw.hub(), "live/a"));
            ExternalPeer valid = r.add(Peers.ffmpegPublish(media.file(),
                    url(gw, "live/a?" + UrlSignature.query(secret, "live/a", now + 600)), dir.resolve("signed.log"),
                    List.of()));
            assertEquals(0, valid.awaitExit(DEADLINE), valid.output());
            reference.awaitSourceEnded(1, DEADLINE);
            Playout.assertPlayed("signed publisher", media.frames(), reference.frames(), Join.BEFORE_PUBLISH, 0);
            assertEquals(1, gw.rtmp().counters().authDenials(DenyReason.SIGNATURE_EXPIRED));
            assertEquals(1, gw.rtmp().counters().authDenials(DenyReason.BAD_SIGNATURE));
            for (String line : log.lines()) {
                assertFalse(line.contains("sig="), "a log line shows a signature: " + line);
            }
        }
    }

    @Test
    void aPlayRuleRefusesFfmpegAndRtmpdumpWithoutTheKeyAndLetsThemPlayWithIt() throws Exception {
        try (LogCapture log = LogCapture.of("io.loomcast.gateway.session");
             Gateway gw = start("""
                     server: { listen: 127.0.0.1:0, unpublishGrace: 0 }
                     auth:
                       play:
                         - app: live
                           keys: ["${PLAY_KEY}"]
                     """);
             Resources r = new Resources()) {
            int refusals = 0;
            for (Player p : List.of(Player.FFMPEG, Player.RTMPDUMP)) {
                refusals++;
                ExternalPeer refused = r.add(p.start(url(gw, "live/watch"), dir.resolve(p + "-refused.flv"),
                        dir.resolve(p + "-refused.log")));
                assertFalse(p.finished(refused.awaitExit(DEADLINE)), refused.output());
                Matcher close = closeLine(log, refusedPort(log, "Playing live/watch refused: no key or signature",
                        refusals));
                assertTrue(Long.parseLong(close.group(2)) < REFUSED_WITHIN_MS, close.group());
            }
            assertEquals(2, gw.rtmp().counters().refusals(Refusal.PLAY_DENIED));
            // Our client shows the code on the wire.
            try (RtmpClient client = RtmpClient.connect(RtmpUrl.parse(url(gw, "live/watch")), ClientOptions.DEFAULT)) {
                CommandRejectedException e = assertThrows(CommandRejectedException.class,
                        () -> client.play(client.createStream(), "watch?key=" + KEY, -1000));
                assertEquals("NetStream.Play.Failed", e.code());
                assertFalse(e.getMessage().contains(KEY), e.getMessage());
            }
            HubRecorder reference = r.add(HubRecorder.subscribe(gw.hub(), "live/watch"));
            ExternalPeer ffplay = r.add(Player.FFMPEG.start(url(gw, "live/watch?key=" + PLAY_KEY),
                    dir.resolve("ffmpeg.flv"), dir.resolve("ffmpeg-player.log")));
            ExternalPeer rtmpdump = r.add(Player.RTMPDUMP.start(url(gw, "live/watch?key=" + PLAY_KEY),
                    dir.resolve("rtmpdump.flv"), dir.resolve("rtmpdump.log")));
            TestGateway.awaitSubscribers(gw, "live/watch", 3, DEADLINE);
            ExternalPeer publisher = r.add(Peers.ffmpegPublish(media.file(), url(gw, "live/watch"),
                    dir.resolve("publisher.log"), List.of()));
            assertEquals(0, publisher.awaitExit(DEADLINE), publisher.output());
            reference.awaitSourceEnded(1, DEADLINE);
            assertTrue(Player.FFMPEG.finished(ffplay.awaitExit(DEADLINE)), ffplay.output());
            assertTrue(Player.RTMPDUMP.finished(rtmpdump.awaitExit(DEADLINE)), rtmpdump.output());
            List<MediaFrame> published = reference.frames();
            Playout.assertPlayed("ffmpeg with the key", published, FlvRecording.read(dir.resolve("ffmpeg.flv")),
                    Join.BEFORE_PUBLISH, Playout.TAIL_TOLERANCE_MS);
            Playout.assertPlayed("rtmpdump with the key", published, FlvRecording.read(dir.resolve("rtmpdump.flv")),
                    Join.BEFORE_PUBLISH, Playout.TAIL_TOLERANCE_MS);
            assertTrue(Playout.track(published, Frame.Kind.VIDEO).size() >= 70, "3 s at 25 fps");
        }
    }

    @Test
    void aPlay2SwitchToAnotherStreamPassesThePlayRulesAsAPlayDoes() throws Exception {
        try (Gateway gw = start("""
                     server: { listen: 127.0.0.1:0, unpublishGrace: 0 }
                     auth:
                       play:
                         - app: live
                           keys: ["${PLAY_KEY}"]
                     """);
             Resources r = new Resources()) {
            // Long enough that both streams are still live at the second switch on a slow machine.
            TestMedia longer = TestMedia.generate(dir, "long", 160, 120, 25, 12, 25, "150k");
            for (String name : List.of("a", "b")) {
                r.add(Peers.ffmpegPublish(longer.file(), url(gw, "live/" + name), dir.resolve(name + ".log"),
                        List.of()));
                Poll.until(() -> gw.hub().find("live/" + name).map(st -> st.live()).orElse(false), DEADLINE,
                        "live/" + name + " live", () -> "");
            }
            CommandPlayer p = r.add(CommandPlayer.connect(url(gw, "live/a")));
            int id = p.client().createStream();
            p.client().play(id, "a?key=" + PLAY_KEY, -1);
            p.startReading();
            p.awaitVideoFrames(id, 5, DEADLINE);
            // With the key the switch goes through; without it the play rules refuse it and the connection ends.
            p.client().sendPlay2(id, "b?key=" + PLAY_KEY, "a", "switch");
            p.await(0, s -> s.code().equals("NetStream.Play.TransitionComplete"), DEADLINE, "the keyed switch to b");
            int before = p.seen().size();
            p.client().sendPlay2(id, "a", "b", "switch");
            p.await(before, s -> s.code().equals("NetStream.Play.Failed"), DEADLINE, "the refused switch back to a");
            p.await(p2 -> p2.ended() != null, DEADLINE, "the connection to close");
            assertEquals(1, gw.rtmp().counters().refusals(Refusal.PLAY_DENIED));
        }
    }

    @Test
    void aDeniedAddressIsClosedAtAcceptWithoutAHandshake() throws Exception {
        try (Gateway gw = start("""
                server: { listen: 127.0.0.1:0, unpublishGrace: 0 }
                auth:
                  allow: [127.0.0.0/8]
                  deny: [127.0.0.2/32]
                """)) {
            InetSocketAddress server = gw.rtmpAddress();
            try (Socket denied = new Socket()) {
                denied.bind(new InetSocketAddress("127.0.0.2", 0));
                denied.connect(server, 5_000);
                denied.setSoTimeout(5_000);
                byte[] c0c1 = new byte[1537];
                c0c1[0] = 3;
                InputStream in = denied.getInputStream();
                try {
                    denied.getOutputStream().write(c0c1);
                } catch (java.io.IOException e) {
                    // Closed already: the point.
                }
                int got;
                try {
                    got = in.read();
                } catch (java.io.IOException e) {
                    got = -1; // reset: closed all the same
                }
                assertEquals(-1, got, "the denied peer got a byte of handshake");
            }
            Poll.until(() -> gw.rtmp().counters().refusals(Refusal.ADDRESS_DENIED) == 1, DEADLINE,
                    "the refusal to be counted", () -> "" + gw.rtmp().counters().refusals(Refusal.ADDRESS_DENIED));
            assertEquals(0, gw.rtmp().counters().connectionsAccepted.sum());
            // 127.0.0.1 is allowed: a real client connects and plays.
            try (RtmpClient ok = RtmpClient.connect(RtmpUrl.parse(url(gw, "live/x")), ClientOptions.DEFAULT)) {
                assertTrue(ok.createStream() > 0);
            }
        }
    }
}
