package io.loomcast.gateway.relay;

import static io.loomcast.gateway.relay.Relays.describe;
import static io.loomcast.gateway.relay.Relays.local;
import static io.loomcast.gateway.relay.Relays.pull;
import static io.loomcast.gateway.relay.Relays.push;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.routing.RelayState;
import io.loomcast.gateway.routing.RelayStatus;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.RtmpRecorder;
import io.loomcast.gateway.testing.SourceClip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload that adds one destination and removes another while a local player watches the relayed stream:
 * only the difference may change. The player's connection stays and its frames keep coming; the pull and the
 * untouched destination keep their sessions; the added one starts and the removed one stops.
 */
class ReloadWhileWatchingTest {
    @TempDir
    Path dir;

    private static GatewayConfig config(NginxRtmp nginx, String... pushApps) throws Exception {
        StringBuilder pushes = new StringBuilder();
        for (String app : pushApps) {
            pushes.append("    - ").append(nginx.url(app + "/src")).append('\n');
        }
        return Relays.config(Relays.FAST_RELAY, """
                - stream: relay/src
                  pull: %s
                  push:
                %s""".formatted(nginx.url("live/src"), pushes));
    }

    @Test
    void aReloadChangesOnlyWhatChangedWhileAPlayerWatches() throws Exception {
        SourceClip clip = SourceClip.get();
        try (NginxRtmp nginx = NginxRtmp.start(Files.createDirectories(dir.resolve("nginx")),
                NginxRtmp.Options.withApps("kept", "gone", "added"));
             Gateway gw = Gateway.start(config(nginx, "kept", "gone"))) {
            Poll.until(() -> pull(gw).state() == RelayState.LIVE, Duration.ofSeconds(10),
                    "the pull to play live/src at nginx", () -> describe(gw));
            try (RtmpRecorder player = RtmpRecorder.start(local(gw, "relay/src"), dir.resolve("local.flv"));
                 RtmpRecorder atKept = RtmpRecorder.start(nginx.url("kept/src"), dir.resolve("kept.flv"));
                 RtmpRecorder atGone = RtmpRecorder.start(nginx.url("gone/src"), dir.resolve("gone.flv"));
                 RtmpRecorder atAdded = RtmpRecorder.start(nginx.url("added/src"), dir.resolve("added.flv"));
                 ExternalPeer ffmpeg = clip.publish(dir.resolve("ffmpeg.log"), nginx.url("live/src"), -1)) {
                Poll.until(() -> player.videoFrames() >= SourceClip.FPS && atKept.videoFrames() >= SourceClip.FPS
                                && atGone.videoFrames() >= SourceClip.FPS, Duration.ofSeconds(10),
                        "a second of stream at the player and both destinations",
                        () -> describe(gw, player, atKept, atGone));
                RelayStatus keptBefore = push(gw, "/kept/");
                long pullConnects = pull(gw).connects();

                long reloadedAt = System.nanoTime();
                gw.reload(config(nginx, "kept", "added"));

                Poll.until(() -> atAdded.videoFrames() >= SourceClip.FPS, Duration.ofSeconds(10),
                        "the added destination to get a second of stream", () -> describe(gw, atAdded));
                Poll.until(() -> atGone.notices().contains("StreamEof"), Duration.ofSeconds(10),
                        "the removed destination's publish to end at nginx", () -> describe(gw, atGone));
                long goneFrames = atGone.videoFrames();
                long playerAtReload = player.videoFrames();
                Poll.until(() -> player.videoFrames() >= playerAtReload + SourceClip.FPS, Duration.ofSeconds(10),
                        "the player to get another second after the reload", () -> describe(gw, player));

                List<RelayStatus> pushes = gw.relay().status().stream().filter(s -> s.kind().equals("push")).toList();
                assertEquals(2, pushes.size(), "kept and added only: " + pushes);
                assertTrue(pushes.stream().noneMatch(s -> s.url().contains("/gone/")), pushes.toString());
                RelayStatus kept = push(gw, "/kept/");
                assertEquals(keptBefore.connects(), kept.connects(), "the kept push's session is untouched: " + kept);
                assertEquals(0, kept.failures(), kept.toString());
                assertEquals(RelayState.LIVE, kept.state(), kept.toString());
                RelayStatus added = push(gw, "/added/");
                assertEquals(1, added.connects(), added.toString());
                assertEquals(RelayState.LIVE, added.state(), added.toString());
                assertEquals(pullConnects, pull(gw).connects(), "the pull's session is untouched: " + pull(gw));
                assertEquals(goneFrames, atGone.videoFrames(), "nothing reaches the removed destination any more");

                assertNull(player.ended(), "the player stayed connected");
                assertTrue(player.notices().stream().noneMatch(n -> n.equals("StreamEof") || n.contains("Unpublish")),
                        "the player heard of no interruption: " + player.notices());
                assertSmooth("local player", player, reloadedAt);
                assertSmooth("kept destination", atKept, reloadedAt);
                assertTrue(atKept.notices().stream().noneMatch(n -> n.equals("StreamEof") || n.contains("Unpublish")),
                        "the kept destination's publish never ended: " + atKept.notices());
            }
        }
    }

    /**
     * Around the reload (from a second before it to the last frame received) video frames arrived at most a
     * second apart, and no track's timestamps went back over the whole recording.
     */
    private static void assertSmooth(String who, RtmpRecorder r, long reloadedAtNanos) {
        List<RtmpRecorder.Tag> tags = r.tags();
        long[] last = {-1, -1};
        long previousArrival = 0;
        for (RtmpRecorder.Tag t : tags) {
            if (!t.audio() && !t.video()) {
                continue;
            }
            int track = t.video() ? 1 : 0;
            if (t.timestampMs() < last[track]) {
                fail("%s: %s timestamp went back from %d to %d".formatted(who, t.video() ? "video" : "audio",
                        last[track], t.timestampMs()));
            }
            last[track] = t.timestampMs();
            if (t.video() && t.frame()) {
                if (previousArrival != 0 && t.arrivalNanos() > reloadedAtNanos - 1_000_000_000L) {
                    long gapMs = (t.arrivalNanos() - previousArrival) / 1_000_000;
                    assertTrue(gapMs <= 1_000, "%s: %d ms between two video frames around the reload".formatted(who,
                            gapMs));
                }
                previousArrival = t.arrivalNanos();
            }
        }
    }
}
