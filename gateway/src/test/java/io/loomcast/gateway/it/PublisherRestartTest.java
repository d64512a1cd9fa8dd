package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.it.Peers.Player;
import io.loomcast.gateway.it.Playout.Join;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.HubRecorder;
import io.loomcast.gateway.testing.FlvRecording;
import io.loomcast.gateway.testing.MediaFrame;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.SourceClip;
import io.loomcast.gateway.testing.TestPlayer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publisher goes away and comes back; players stay connected and see one timeline (DESIGN.md, "Time").
 *
 * <p>ffmpeg, rtmpdump (librtmp) and GStreamer's rtmp2src end their session at NetStream.Play.UnpublishNotify
 * (GStreamer also at Stream EOF). So with {@code server.unpublishGrace} the gateway tells them nothing while
 * a publisher that dropped may come back: the real players ride through a killed-and-restarted ffmpeg, and
 * only an outage longer than the grace reaches them. With a grace of 0 (FMS's behaviour) our own player
 * hears each publisher come and go, and stays.
 */
class PublisherRestartTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    /** The test's grace: longer than a restart takes on a loaded machine, short enough to wait out once. */
    private static final Duration GRACE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void realPlayersRideThroughAKilledAndRestartedPublisherWithinTheGrace() throws Exception {
        SourceClip clip = SourceClip.get();
        try (Gateway gateway = TestGateway.start("unpublishGrace: " + GRACE.toSeconds() + "s");
             Resources r = new Resources()) {
            String path = "live/ride";
            String url = TestGateway.url(gateway, path);
            HubRecorder reference = r.add(HubRecorder.subscribe(gateway.hub(), path));
            TestPlayer ours = r.add(TestPlayer.play(gateway.rtmpAddress(), "live", "ride"));
            Map<Player, ExternalPeer> players = new EnumMap<>(Player.class);
            for (Player p : Player.values()) {
                players.put(p, r.add(p.start(url, flv(p), dir.resolve(p + ".log"))));
            }
            TestGateway.awaitSubscribers(gateway, path, 2 + players.size(), DEADLINE);

            ExternalPeer first = r.add(clip.publish(dir.resolve("first.log"), url, -1));
            reference.recorded().await(rec -> videoFrames(rec.frames()) >= 2 * SourceClip.FPS, DEADLINE,
                    "2 s of video from the first publisher");
            long killed = System.nanoTime();
            first.close(); // SIGKILL: the connection drops without FCUnpublish or deleteStream
            ExternalPeer second = r.add(clip.publish(dir.resolve("second.log"), url, -1));
            Poll.until(() -> gateway.hub().find(path).map(s -> s.live()).orElse(false), DEADLINE,
                    "the second publisher live", () -> "");
            long outageMs = (System.nanoTime() - killed) / 1_000_000;
            assertTrue(outageMs < GRACE.toMillis(), "the restart took " + outageMs + " ms, longer than the grace");
            int beforeRestart = videoFrames(reference.frames());
            reference.recorded().await(rec -> videoFrames(rec.frames()) >= beforeRestart + 2 * SourceClip.FPS,
                    DEADLINE, "2 s of video from the second publisher");
            long restartTs = firstTimestampAfter(reference.frames(), beforeRestart);
            List<String> during = ours.events();
            assertEquals(List.of("StreamBegin", "NetStream.Play.Reset", "StreamBegin", "NetStream.Play.PublishNotify"),
                    during, "players hear nothing of a restart within the grace");
            for (var e : players.entrySet()) {
                assertTrue(e.getValue().isAlive(), e.getKey() + " stayed connected:\n" + e.getValue().output());
            }

            // Now an outage longer than the grace: only then do players hear UnpublishNotify.
            second.close();
            long gone = System.nanoTime();
            ours.awaitEvent("NetStream.Play.UnpublishNotify", DEADLINE);
            long toldAfterMs = (System.nanoTime() - gone) / 1_000_000;
            assertTrue(toldAfterMs >= GRACE.toMillis() - 200, "told after " + toldAfterMs + " ms, before the grace");
            assertEquals(List.of("StreamEOF", "NetStream.Play.UnpublishNotify"),
                    ours.events().subList(during.size(), ours.events().size()));
            // Which real players end their session at UnpublishNotify: recorded for the README, not required.
            Map<Player, String> afterUnpublish = new EnumMap<>(Player.class);
            for (var e : players.entrySet()) {
                boolean exited = Poll.untilQuietly(() -> !e.getValue().isAlive(), Duration.ofSeconds(5));
                afterUnpublish.put(e.getKey(), exited ? "exited" : "stayed connected");
            }
            System.out.println("PublisherRestartTest: after UnpublishNotify " + afterUnpublish);
            players.values().forEach(ExternalPeer::close);

            for (Player p : Player.values()) {
                List<MediaFrame> recorded = FlvRecording.read(flv(p));
                String who = p + " across the restart";
                assertTrue(Playout.track(recorded, Frame.Kind.VIDEO).stream().anyMatch(f -> f.timestampMs() < restartTs),
                        who + ": frames from the first publisher");
                List<MediaFrame> afterRestart = recorded.stream().filter(f -> f.timestampMs() >= restartTs).toList();
                assertTrue(Playout.track(afterRestart, Frame.Kind.VIDEO).size() >= SourceClip.FPS,
                        who + ": frames from the second publisher, " + afterRestart.size());
                MediaFrame firstVideo = Playout.track(afterRestart, Frame.Kind.VIDEO).getFirst();
                assertTrue(firstVideo.keyframe(), who + ": the first video after the restart is " + firstVideo);
                assertMonotonic(who, recorded);
            }
        }
    }

    @Test
    void withNoGraceOurPlayerHearsEachPublisherComeAndGoAndStays() throws Exception {
        TestMedia media = TestMedia.generate(dir, "restart", 160, 120, 25, 3, 25, "150k");
        try (Gateway gateway = TestGateway.start("unpublishGrace: 0"); Resources r = new Resources()) {
            String url = TestGateway.url(gateway, "live/restart");
            HubRecorder reference = r.add(HubRecorder.subscribe(gateway.hub(), "live/restart"));
            TestPlayer player = r.add(TestPlayer.play(gateway.rtmpAddress(), "live", "restart"));
            TestGateway.awaitSubscribers(gateway, "live/restart", 2, DEADLINE);

            ExternalPeer first = r.add(Peers.ffmpegPublish(media.file(), url, dir.resolve("first.log"), List.of()));
            assertEquals(0, first.awaitExit(DEADLINE), first.output());
            reference.awaitSourceEnded(1, DEADLINE);
            player.awaitEvent("NetStream.Play.UnpublishNotify", DEADLINE);
            int framesBeforeRestart = player.frames().size();

            ExternalPeer second = r.add(Peers.ffmpegPublish(media.file(), url, dir.resolve("second.log"), List.of()));
            assertEquals(0, second.awaitExit(DEADLINE), second.output());
            reference.awaitSourceEnded(2, DEADLINE);
            player.await(p -> p.events().stream().filter("NetStream.Play.UnpublishNotify"::equals).count() == 2,
                    DEADLINE, "the second UnpublishNotify");

            assertFalse(player.ended(), "the player's connection ended: " + player);
            // Joined before the first publish, so it hears each publisher come and go.
            assertEquals(List.of("StreamBegin", "NetStream.Play.Reset",
                    "StreamBegin", "NetStream.Play.PublishNotify", "StreamEOF", "NetStream.Play.UnpublishNotify", "StreamBegin", "NetStream.Play.PublishNotify",
                    "StreamEOF", "NetStream.Play.UnpublishNotify"), player.events());
            List<MediaFrame> published = reference.frames();
            for (Frame.Kind kind : List.of(Frame.Kind.VIDEO, Frame.Kind.AUDIO)) {
                assertEquals(2 * media.count(kind), Playout.track(published, kind).size(), kind + " frames in the hub");
            }
            // Both publishes, one after the other, every frame, as one stream.
            Playout.assertPlayed("player across the restart", published, player.frames(), Join.BEFORE_PUBLISH, 0);
            Playout.assertStartsOnKeyframe("player after the restart",
                    player.frames().subList(framesBeforeRestart, player.frames().size()));
            assertMonotonic(player.frames(), framesBeforeRestart);
        }
    }

    private Path flv(Player p) {
        return dir.resolve(p.name().toLowerCase(Locale.ROOT) + ".flv");
    }

    private static int videoFrames(List<MediaFrame> frames) {
        return Playout.track(frames, Frame.Kind.VIDEO).size();
    }

    /** The timestamp of the first video frame after the first {@code videoIndex} video frames. */
    private static long firstTimestampAfter(List<MediaFrame> frames, int videoIndex) {
        return Playout.track(frames, Frame.Kind.VIDEO).get(videoIndex).timestampMs();
    }

    /** Per track, the recording's timestamps never go back. */
    private static void assertMonotonic(String who, List<MediaFrame> frames) {
        for (Frame.Kind kind : List.of(Frame.Kind.VIDEO, Frame.Kind.AUDIO)) {
            long last = -1;
            for (MediaFrame f : Playout.track(frames, kind)) {
                assertTrue(f.timestampMs() >= last, who + ": " + kind + " went back from " + last + " to " + f);
                last = f.timestampMs();
            }
        }
    }

    /** Timestamps never go back on a track, and the second publish continues after the first one's end. */
    private static void assertMonotonic(List<MediaFrame> frames, int restartIndex) {
        for (Frame.Kind kind : List.of(Frame.Kind.VIDEO, Frame.Kind.AUDIO)) {
            long last = -1;
            for (MediaFrame f : Playout.track(frames, kind)) {
                assertTrue(f.timestampMs() >= last, kind + " went back from " + last + " to " + f);
                last = f.timestampMs();
            }
        }
        long endOfFirst = frames.subList(0, restartIndex).stream().filter(MediaFrame::media)
                .mapToLong(MediaFrame::timestampMs).max().orElseThrow();
        long startOfSecond = frames.subList(restartIndex, frames.size()).stream().filter(MediaFrame::media)
                .mapToLong(MediaFrame::timestampMs).min().orElseThrow();
        assertTrue(startOfSecond > endOfFirst, "second publish starts at %d, before the first ended at %d"
                .formatted(startOfSecond, endOfFirst));
    }
}
