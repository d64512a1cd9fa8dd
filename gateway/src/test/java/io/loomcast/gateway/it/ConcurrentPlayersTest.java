package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 players of one stream, half joined before the publisher and half all at once 1.5 s in, while a second
 * stream with its own players runs beside it. Every player must get every frame from where it joined to the
 * end, exactly ({@link Playout}, no tail tolerance: our player reads until UnpublishNotify, which comes after
 * the last frame), and the second stream's players exactly their own stream.
 */
class ConcurrentPlayersTest {
    private static final int PLAYERS = 200;
    private static final int OTHER_PLAYERS = 5;
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void twoHundredPlayersOfOneStreamEachGetEveryFrameSinceTheyJoined() throws Exception {
        TestMedia many = TestMedia.generate(dir, "many", 320, 240, 25, 4, 25, "300k");
        // Different size, rate and GOP, so a frame that strays into the other stream cannot match.
        TestMedia other = TestMedia.generate(dir, "other", 160, 120, 15, 4, 30, "100k");
        try (Gateway gateway = TestGateway.start(""); Resources r = new Resources()) {
            HubRecorder manyRef = r.add(HubRecorder.subscribe(gateway.hub(), "live/many"));
            HubRecorder otherRef = r.add(HubRecorder.subscribe(gateway.hub(), "live/other"));
            List<TestPlayer> early = new ArrayList<>();
            List<TestPlayer> otherPlayers = new ArrayList<>();
            for (int i = 0; i < PLAYERS / 2; i++) {
                early.add(r.add(TestPlayer.play(gateway.rtmpAddress(), "live", "many")));
            }
            for (int i = 0; i < OTHER_PLAYERS; i++) {
                otherPlayers.add(r.add(TestPlayer.play(gateway.rtmpAddress(), "live", "other")));
            }
            TestGateway.awaitSubscribers(gateway, "live/many", 1 + PLAYERS / 2, DEADLINE);
            TestGateway.awaitSubscribers(gateway, "live/other", 1 + OTHER_PLAYERS, DEADLINE);

            ExternalPeer manyPublisher = r.add(Peers.ffmpegPublish(many.file(), TestGateway.url(gateway, "live/many"),
                    dir.resolve("many-publisher.log"), List.of()));
            ExternalPeer otherPublisher = r.add(Peers.ffmpegPublish(other.file(),
                    TestGateway.url(gateway, "live/other"), dir.resolve("other-publisher.log"), List.of()));
            manyRef.recorded().await(rec -> videoSpanMs(rec.frames()) >= 1500, DEADLINE, "1.5 s of live/many");
            List<TestPlayer> late = new ArrayList<>();
            for (int i = 0; i < PLAYERS / 2; i++) {
                late.add(r.add(TestPlayer.play(gateway.rtmpAddress(), "live", "many")));
            }
            TestGateway.awaitSubscribers(gateway, "live/many", 1 + PLAYERS, DEADLINE);

            assertEquals(0, manyPublisher.awaitExit(DEADLINE), manyPublisher.output());
            assertEquals(0, otherPublisher.awaitExit(DEADLINE), otherPublisher.output());
            manyRef.awaitSourceEnded(1, DEADLINE);
            otherRef.awaitSourceEnded(1, DEADLINE);
            Playout.assertPlayed("live/many into the hub", many.frames(), manyRef.frames(), Join.BEFORE_PUBLISH, 0);
            Playout.assertPlayed("live/other into the hub", other.frames(), otherRef.frames(), Join.BEFORE_PUBLISH, 0);

            check("early player", early, manyRef, Join.BEFORE_PUBLISH);
            check("late player", late, manyRef, Join.LATE);
            check("live/other player", otherPlayers, otherRef, Join.BEFORE_PUBLISH);
        }
    }

    private static void check(String what, List<TestPlayer> players, HubRecorder reference, Join join) {
        List<MediaFrame> published = reference.frames();
        for (int i = 0; i < players.size(); i++) {
            TestPlayer p = players.get(i);
            p.awaitEvent("NetStream.Play.UnpublishNotify", DEADLINE);
            Playout.assertPlayed(what + " " + i, published, p.frames(), join, 0);
        }
    }

    private static long videoSpanMs(List<MediaFrame> frames) {
        List<MediaFrame> video = Playout.track(frames, Frame.Kind.VIDEO);
        return video.isEmpty() ? 0 : video.getLast().timestampMs() - video.getFirst().timestampMs();
    }
}
