package io.loomcast.gateway.relay;

import static io.loomcast.gateway.relay.Relays.local;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.RtmpRecorder;
import io.loomcast.gateway.testing.SourceClip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes with a merge window (issue 13, "Relay"): the relay's one window timer writes what each push holds, so
 * a push sends about one write per window, every frame still arrives in order, and the pushes' own threads do
 * not wait out windows of their own.
 */
class PushWindowTest {
    @TempDir
    Path dir;

    @Test
    void theWindowTimerWritesEachPushOncePerWindowAndEveryFrameArrives() throws Exception {
        SourceClip clip = SourceClip.get();
        try (NginxRtmp nginx = NginxRtmp.start(Files.createDirectories(dir.resolve("nginx")),
                NginxRtmp.Options.withApps("a", "b"));
             Gateway gw = Relays.pushingToAB(nginx, """
                     server: {listen: 127.0.0.1:0, mergeWrites: 100ms, writeTimeout: 1s}
                     relay: {linger: 500ms, reconnect: {initialDelay: 100ms, maxDelay: 400ms}}
                     """)) {
            List<RtmpRecorder> destinations = new ArrayList<>();
            for (String app : List.of("a", "b")) {
                destinations.add(RtmpRecorder.start(nginx.url(app + "/src"), dir.resolve(app + ".flv")));
            }
            try (ExternalPeer ffmpeg = clip.publish(dir.resolve("ffmpeg.log"), local(gw, "live/src"), 0)) {
                ffmpeg.awaitExit();
                Poll.until(() -> destinations.stream().allMatch(r -> r.videoFrames() >= clip.videoFrames()
                                && r.audioFrames() >= clip.audioFrames()), Duration.ofSeconds(15),
                        "every destination to have the whole clip", () -> Relays.describe(gw,
                                destinations.toArray(RtmpRecorder[]::new)));
                for (RtmpRecorder r : destinations) {
                    Relays.assertInOrder(r);
                }
                long writes = gw.relay().pushWrites();
                long byTimer = gw.relay().pushWindowWrites();
                long messages = 2 * (clip.videoFrames() + clip.audioFrames());
                // 6 s at one write per 100 ms is about 60 writes a push, where each of its ~410 frames would
                // otherwise take one; the start (a keyframe with its headers, from the push's thread) adds a few.
                assertTrue(writes < messages / 3, "%d writes for %d messages".formatted(writes, messages));
                assertTrue(byTimer * 2 > writes, "the window's timer made %d of %d writes".formatted(byTimer, writes));
            } finally {
                for (RtmpRecorder r : destinations) {
                    r.close();
                }
            }
        }
    }
}
