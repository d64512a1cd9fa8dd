package io.loomcast.gateway.relay;

import static io.loomcast.gateway.relay.Relays.describe;
import static io.loomcast.gateway.relay.Relays.local;
import static io.loomcast.gateway.relay.Relays.pull;
import static io.loomcast.gateway.relay.Relays.push;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.Publication;
import io.loomcast.gateway.routing.RelayState;
import io.loomcast.gateway.routing.RelayStatus;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.Ffprobe;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.NodeMediaServer;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.RtmpRecorder;
import io.loomcast.gateway.testing.SourceClip;
import io.loomcast.gateway.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's topology with real peers: ffmpeg publishes to nginx-rtmp, Loomcast pulls it and pushes it to a
 * second nginx application, to node-media-server over RTMP and to node-media-server's RTMPS listener
 * (certificate checked against a CA the test makes). A local player watches Loomcast itself.
 */
class RelayFanOutTest {
    @TempDir
    static Path shared;
    static TestCertificates certs;
    static SourceClip clip;

    @TempDir
    Path dir;

    @BeforeAll
    static void peersAndMedia() throws Exception {
        certs = TestCertificates.create(shared);
        clip = SourceClip.get();
    }

    /** The route under test: pull live/src from nginx, push to nginx dest/src and to both NMS listeners. */
    private static Gateway gateway(NginxRtmp nginx, NodeMediaServer nms) throws Exception {
        return Gateway.start(Relays.config(Relays.FAST_RELAY, """
                - stream: relay/src
                  pull: %s
                  push:
                    - %s
                    - %s
                    - url: %s
                      tls: {caFile: %s}
                """.formatted(nginx.url("live/src"), nginx.url("dest/src"), nms.url("live/plain"),
                nms.rtmpsUrl("live/tls"), certs.caCert())));
    }

    private Path sub(String name) throws Exception {
        return Files.createDirectories(dir.resolve(name));
    }

    @Test
    void everyDestinationAndALocalPlayerGetTheWholeStream() throws Exception {
        try (NginxRtmp nginx = NginxRtmp.start(sub("nginx"), NginxRtmp.Options.withApps("dest"));
             NodeMediaServer nms = NodeMediaServer.start(sub("nms"), certs);
             Gateway gw = gateway(nginx, nms)) {
            Poll.until(() -> pull(gw).state() == RelayState.LIVE, Duration.ofSeconds(10),
                    "the pull to play live/src at nginx", () -> describe(gw));
            // Every player is in place before the first frame, so each must get every frame.
            try (RtmpRecorder player = RtmpRecorder.start(local(gw, "relay/src"), dir.resolve("local.flv"));
                 RtmpRecorder atNginx = RtmpRecorder.start(nginx.url("dest/src"), dir.resolve("nginx.flv"));
                 RtmpRecorder atNms = RtmpRecorder.start(nms.url("live/plain"), dir.resolve("nms.flv"));
                 RtmpRecorder atNmsTls = RtmpRecorder.start(nms.url("live/tls"), dir.resolve("nms-tls.flv"));
                 ExternalPeer ffmpeg = clip.publish(dir.resolve("ffmpeg.log"), nginx.url("live/src"), 0)) {
                List<RtmpRecorder> all = List.of(player, atNginx, atNms, atNmsTls);
                ffmpeg.awaitExit();
                Poll.until(() -> all.stream().allMatch(r -> r.videoFrames() >= clip.videoFrames()
                                && r.audioFrames() >= clip.audioFrames()), Duration.ofSeconds(10),
                        "every player to have the clip's " + clip.videoFrames() + " video frames",
                        () -> describe(gw, all.toArray(RtmpRecorder[]::new)));
                for (RtmpRecorder r : all) {
                    Path file = r.finish();
                    Ffprobe.Probe p = Ffprobe.probe(file);
                    String where = r.url() + " (" + file.getFileName() + ")";
                    assertEquals("h264", p.video().codecName(), where);
                    assertEquals(SourceClip.WIDTH, p.video().width(), where);
                    assertEquals(SourceClip.HEIGHT, p.video().height(), where);
                    assertEquals(clip.videoFrames(), p.video().frames(), "video frames decoded at " + where);
                    assertEquals("aac", p.audio().codecName(), where);
                    assertEquals(clip.audioFrames(), p.audio().frames(), "audio frames decoded at " + where);
                }
            }
            assertEquals(3, gw.relay().status().stream().filter(s -> s.kind().equals("push")).count());
            gw.relay().status().forEach(s -> assertEquals(1, s.connects(), "one connection each: " + s));
            gw.relay().status().forEach(s -> assertEquals(0, s.failures(), "no failure: " + s));
        }
    }

    @Test
    void aKilledDestinationReconnectsWhenItReturnsAndTheOthersMissNothing() throws Exception {
        try (NginxRtmp nginx = NginxRtmp.start(sub("nginx"), NginxRtmp.Options.withApps("dest"));
             NodeMediaServer nms = NodeMediaServer.start(sub("nms"), certs);
             Gateway gw = gateway(nginx, nms)) {
            Poll.until(() -> pull(gw).state() == RelayState.LIVE, Duration.ofSeconds(10),
                    "the pull to play live/src at nginx", () -> describe(gw));
            try (RtmpRecorder player = RtmpRecorder.start(local(gw, "relay/src"), dir.resolve("local.flv"));
                 RtmpRecorder atNginx = RtmpRecorder.start(nginx.url("dest/src"), dir.resolve("nginx.flv"));
                 RtmpRecorder atNms = RtmpRecorder.start(nms.url("live/plain"), dir.resolve("nms.flv"));
                 ExternalPeer ffmpeg = clip.publish(dir.resolve("ffmpeg.log"), nginx.url("live/src"), 0)) {
                Poll.until(() -> atNms.videoFrames() >= SourceClip.FPS, Duration.ofSeconds(10),
                        "a second of stream at node-media-server", () -> describe(gw, atNms));
                nms.kill();
                Poll.until(() -> nmsPushes(gw).allMatch(s -> s.failures() >= 1), Duration.ofSeconds(10),
                        "both pushes to node-media-server to notice", () -> describe(gw));
                nms.restart();
                Poll.until(() -> nmsPushes(gw).allMatch(s -> s.connects() >= 2 && s.state() == RelayState.LIVE),
                        Duration.ofSeconds(10), "both pushes to node-media-server to reconnect",
                        () -> describe(gw) + "\nnode-media-server:\n" + nms.output());
                try (RtmpRecorder again = RtmpRecorder.start(nms.url("live/plain"), dir.resolve("nms-again.flv"))) {
                    Poll.until(() -> again.videoFrames() >= 5, Duration.ofSeconds(10),
                            "the returned node-media-server to pass the stream on", () -> describe(gw, again));
                }
                ffmpeg.awaitExit();
                List<RtmpRecorder> untouched = List.of(player, atNginx);
                Poll.until(() -> untouched.stream().allMatch(
                                r -> r.videoFrames() >= clip.videoFrames() - SourceClip.GOP_FRAMES),
                        Duration.ofSeconds(10), "the untouched players to have all but a GOP of the clip",
                        () -> describe(gw, player, atNginx));
                for (RtmpRecorder r : untouched) {
                    Ffprobe.Probe p = Ffprobe.probe(r.finish());
                    long missing = clip.videoFrames() - p.video().frames();
                    assertTrue(missing >= 0 && missing < SourceClip.GOP_FRAMES,
                            "%s decoded %d of %d video frames".formatted(r.url(), p.video().frames(),
                                    clip.videoFrames()));
                }
            }
            RelayStatus toNginx = push(gw, "/dest/");
            assertEquals(1, toNginx.connects(), "the nginx destination kept its one connection: " + toNginx);
            assertEquals(0, toNginx.failures(), toNginx.toString());
            assertEquals(1, pull(gw).connects(), "the pull kept its one connection: " + pull(gw));
        }
    }

    @Test
    void theRtmpsDestinationIsRefusedWithoutTheTestCa() throws Exception {
        try (NodeMediaServer nms = NodeMediaServer.start(sub("nms"), certs);
             Gateway gw = Gateway.start(Relays.config(Relays.FAST_RELAY, """
                     - stream: relay/src
                       push:
                         - url: %s
                           tls: {}
                     """.formatted(nms.rtmpsUrl("live/untrusted"))))) {
            Publication source = gw.hub().publish("relay/src", "test").orElseThrow();
            source.push(Frame.Kind.VIDEO, 0, new byte[] {0x17, 1, 0, 0, 0, 0, 0, 0, 1}, true, false);
            Poll.until(() -> push(gw, "/live/").failures() >= 1, Duration.ofSeconds(10), "the push to fail",
                    () -> describe(gw));
            RelayStatus s = push(gw, "/live/");
            assertEquals(0, s.connects(), "the JDK's trust store does not know the test CA: " + s);
            assertTrue(s.lastError().contains("PKIX") || s.lastError().contains("certificat"), s.toString());
        }
    }

    private static java.util.stream.Stream<RelayStatus> nmsPushes(Gateway gw) {
        return gw.relay().status().stream().filter(s -> s.kind().equals("push") && s.url().contains("/live/"));
    }
}
