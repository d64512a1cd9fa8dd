package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.it.Peers.Player;
import io.loomcast.gateway.it.Playout.Join;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.FlvRecording;
import io.loomcast.gateway.testing.HubRecorder;
import io.loomcast.gateway.testing.MediaFrame;
import io.loomcast.gateway.testing.Resources;
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
 * Timestamps past 2^24 ms (4.66 hours) need the extended timestamp field (RTMP 5.3.1.3) both ways: ffmpeg
 * publishes with {@code -output_ts_offset 20000}, so every timestamp is over 20 000 000 ms, and every player
 * must record them unchanged.
 */
class ExtendedTimestampTest {
    private static final long OFFSET_MS = 20_000_000;
    private static final Duration PEER_DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void timestampsPast24BitsSurvivePublishAndPlay() throws Exception {
        assertTrue(OFFSET_MS > 1 << 24);
        TestMedia media = TestMedia.generate(dir, "ext", 160, 120, 25, 3, 25, "150k");
        String path = "live/ext";
        try (Gateway gateway = TestGateway.start(""); Resources r = new Resources()) {
            String url = TestGateway.url(gateway, path);
            HubRecorder reference = r.add(HubRecorder.subscribe(gateway.hub(), path));
            Map<Player, ExternalPeer> players = new EnumMap<>(Player.class);
            for (Player p : Player.values()) {
                players.put(p, r.add(p.start(url, flv(p), dir.resolve(name(p) + ".log"))));
            }
            TestPlayer ours = r.add(TestPlayer.play(gateway.rtmpAddress(), "live", "ext"));
            TestGateway.awaitSubscribers(gateway, path, 2 + players.size(), PEER_DEADLINE);

            ExternalPeer publisher = r.add(Peers.ffmpegPublish(media.file(), url, dir.resolve("publisher.log"),
                    List.of("-output_ts_offset", "20000")));
            assertEquals(0, publisher.awaitExit(PEER_DEADLINE), "ffmpeg publisher:\n" + publisher.output());
            reference.awaitSourceEnded(1, PEER_DEADLINE);
            List<MediaFrame> published = reference.frames();
            assertAllPast("the hub", published);

            ours.awaitEvent("NetStream.Play.UnpublishNotify", PEER_DEADLINE);
            assertAllPast("our player", ours.frames());
            Playout.assertPlayed("our player", published, ours.frames(), Join.BEFORE_PUBLISH, 0);
            for (Player p : Player.values()) {
                int status = players.get(p).awaitExit(PEER_DEADLINE);
                assertTrue(p.finished(status), p + " exited " + status + ":\n" + players.get(p).output());
                List<MediaFrame> recorded = FlvRecording.read(flv(p));
                assertAllPast(p.toString(), recorded);
                Playout.assertPlayed(p.toString(), published, recorded, Join.BEFORE_PUBLISH, Playout.TAIL_TOLERANCE_MS);
            }
        }
    }

    /** Pictures and sound; ffmpeg sends its sequence headers at 0 whatever the offset, and they pass as sent. */
    private static void assertAllPast(String who, List<MediaFrame> frames) {
        List<MediaFrame> media = frames.stream().filter(MediaFrame::media).toList();
        assertTrue(media.size() > 10, who + " got only " + frames);
        for (MediaFrame f : media) {
            assertTrue(f.timestampMs() >= OFFSET_MS, who + ": " + f + " is before the 20 000 s offset");
        }
    }

    private Path flv(Player p) {
        return dir.resolve(name(p) + ".flv");
    }

    private static String name(Player p) {
        return p.name().toLowerCase(Locale.ROOT);
    }
}
