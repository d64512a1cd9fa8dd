package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.auth.DenyReason;
import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.it.Playout.Join;
import io.loomcast.gateway.testing.CallbackServer;
import io.loomcast.gateway.testing.CallbackServer.Answer;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.HubRecorder;
import io.loomcast.gateway.testing.LogCapture;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.RtmpRecorder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nginx-rtmp style callback against a small HTTP server this test starts, with ffmpeg publishing: a 2xx
 * allows, a 403 refuses, a 302 renames the stream, and no answer within the timeout refuses (fail closed).
 */
class CallbackAuthTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Pattern CLOSED_AFTER = Pattern.compile("after (\\d+) ms: (.*)");

    @TempDir
    Path dir;

    @Test
    void theCallbackAllowsRefusesRenamesAndFailsClosed() throws Exception {
        TestMedia media = TestMedia.generate(dir, "cb", 160, 120, 25, 2, 25, "150k");
        try (CallbackServer backend = CallbackServer.start(Map.of(
                     "/allow", Answer.status(200),
                     "/deny", Answer.status(403),
                     "/rename", Answer.redirect("renamed"),
                     "/slow", Answer.after(Duration.ofSeconds(3), 200)));
             LogCapture log = LogCapture.of("io.loomcast.gateway.session");
             Gateway gw = Gateway.start(ConfigLoader.parse("""
                     server: { listen: 127.0.0.1:0, unpublishGrace: 0 }
                     auth:
                       publish:
                         - app: cb-allow
                           callback: { url: "%s", timeout: 2s }
                         - app: cb-deny
                           callback: "%s"
                         - app: cb-rename
                           callback: "%s"
                         - app: cb-slow
                           callback: { url: "%s", timeout: 500ms }
                       play:
                         - app: cb-allow
                           callback: "%s"
                     """.formatted(backend.url("/allow"), backend.url("/deny"), backend.url("/rename"),
                     backend.url("/slow"), backend.url("/allow")), "cb.yaml", Map.of()));
             Resources r = new Resources()) {
            // Allowed: the stream is published as asked, and the backend saw nginx-rtmp's fields.
            HubRecorder allowed = r.add(HubRecorder.subscribe(gw.hub(), "cb-allow/show"));
            ExternalPeer ok = r.add(Peers.ffmpegPublish(media.file(),
                    TestGateway.url(gw, "cb-allow/show?token=t1&user=u"), dir.resolve("allow.log"), List.of()));
            RtmpRecorder player = RtmpRecorder.start(TestGateway.url(gw, "cb-allow/show"), dir.resolve("player.flv"));
            r.add(player);
            assertEquals(0, ok.awaitExit(DEADLINE), ok.output());
            allowed.awaitSourceEnded(1, DEADLINE);
            Playout.assertPlayed("allowed by the callback", media.frames(), allowed.frames(), Join.BEFORE_PUBLISH, 0);
            CallbackServer.Call publish = backend.calls().stream()
                    .filter(c -> "publish".equals(c.form().get("call"))).findFirst().orElseThrow();
            assertEquals("/allow", publish.path());
            assertEquals("127.0.0.1", publish.form().get("addr"));
            assertEquals("cb-allow", publish.form().get("app"));
            assertEquals("show", publish.form().get("name"));
            assertTrue(publish.form().get("tcurl").startsWith("rtmp://127.0.0.1:" + gw.rtmpAddress().getPort()
                    + "/cb-allow"), publish.form().toString());
            assertTrue(publish.form().get("flashver").startsWith("FMLE/3.0"), publish.form().toString());
            assertEquals("t1", publish.form().get("token"));
            assertEquals("u", publish.form().get("user"));
            assertTrue(backend.calls().stream().anyMatch(c -> "play".equals(c.form().get("call"))
                    && "show".equals(c.form().get("name"))), "the player was asked about: " + backend.calls());

            // Refused: the status carries the callback's answer; nothing reaches the hub.
            ExternalPeer denied = r.add(Peers.ffmpegPublish(media.file(), TestGateway.url(gw, "cb-deny/show"),
                    dir.resolve("deny.log"), List.of()));
            assertNotEquals(0, denied.awaitExit(DEADLINE), denied.output());
            assertTrue(denied.output().contains(
                    "Server error: Publishing cb-deny/show refused: refused by the auth callback (HTTP 403)."),
                    denied.output());
            assertFalse(gw.hub().find("cb-deny/show").isPresent());

            // Renamed: published as the Location's name, in the same app.
            HubRecorder renamed = r.add(HubRecorder.subscribe(gw.hub(), "cb-rename/renamed"));
            ExternalPeer moved = r.add(Peers.ffmpegPublish(media.file(), TestGateway.url(gw, "cb-rename/show"),
                    dir.resolve("rename.log"), List.of()));
            assertEquals(0, moved.awaitExit(DEADLINE), moved.output());
            renamed.awaitSourceEnded(1, DEADLINE);
            Playout.assertPlayed("renamed by the callback", media.frames(), renamed.frames(), Join.BEFORE_PUBLISH, 0);
            assertFalse(gw.hub().find("cb-rename/show").filter(s -> s.live()).isPresent(),
                    "the old name was published too");

            // No answer within 500 ms: refused, after about that long.
            ExternalPeer slow = r.add(Peers.ffmpegPublish(media.file(), TestGateway.url(gw, "cb-slow/show"),
                    dir.resolve("slow.log"), List.of()));
            assertNotEquals(0, slow.awaitExit(DEADLINE), slow.output());
            assertTrue(slow.output().contains(
                    "Server error: Publishing cb-slow/show refused: the auth callback did not answer within 500 ms."),
                    slow.output());
            log.await(l -> !l.matching("closed", "cb-slow/show refused").isEmpty(), DEADLINE, "the slow refusal");
            Matcher m = CLOSED_AFTER.matcher(log.matching("closed", "cb-slow/show refused").getFirst());
            assertTrue(m.find());
            assertTrue(Long.parseLong(m.group(1)) >= 500, m.group());

            assertEquals(1, gw.rtmp().counters().authDenials(DenyReason.CALLBACK_REFUSED));
            assertEquals(1, gw.rtmp().counters().authDenials(DenyReason.CALLBACK_FAILED));
        }
    }
}
