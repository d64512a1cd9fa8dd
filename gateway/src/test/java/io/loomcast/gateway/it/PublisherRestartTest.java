package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.it.Playout.Join;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.HubRecorder;
import io.loomcast.gateway.testing.MediaFrame;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.TestPlayer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publisher goes away and comes back; players stay connected and see one timeline (DESIGN.md, "Time").
 *
 * <p>The player is our own: ffmpeg, rtmpdump (librtmp) and GStreamer's rtmp2src all end their session at
 * NetStream.Play.UnpublishNotify (GStreamer also at Stream EOF), so no real player can show this. nginx-rtmp
 * keeps ffmpeg and rtmpdump players across a restart only because by default it sends them Stream EOF alone.
 */
class PublisherRestartTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void playersStayAcrossAPublisherRestartOnOneMonotonicTimeline() throws Exception {
        TestMedia media = TestMedia.generate(dir, "restart", 160, 120, 25, 3, 25, "150k");
        try (Gateway gateway = TestGateway.start(""); Resources r = new Resources()) {
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
