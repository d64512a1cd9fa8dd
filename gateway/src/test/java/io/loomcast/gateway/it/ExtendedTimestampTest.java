package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.it.Peers.Player;
import io.loomcast.gateway.it.Peers.Publisher;
import io.loomcast.gateway.it.Playout.Join;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.FlvRecording;
import io.loomcast.gateway.testing.HubRecorder;
import io.loomcast.gateway.testing.MediaFrame;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.TestPlayer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Timestamps past 2^24 ms (4.66 hours) need the extended timestamp field (RTMP 5.3.1.3) both ways: the
 * publisher sends media 20 000 s in (ffmpeg with {@code -output_ts_offset 20000}; librtmp sending a file
 * shifted so), so every timestamp is over 20 000 000 ms, and every player must record them unchanged.
 * GStreamer is not among the publishers: its flvdemux/flvmux pipeline restarts the timestamps at 0.
 */
class ExtendedTimestampTest {
    private static final long OFFSET_MS = 20_000_000;
    private static final Duration PEER_DEADLINE = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static TestMedia media;
    static Path shifted;

    @BeforeAll
    static void makeMedia() throws IOException {
        assertTrue(OFFSET_MS > 1 << 24);
        media = TestMedia.generate(dir, "ext", 160, 120, 25, 3, 25, "150k");
        shifted = dir.resolve("ext-shifted.flv");
        try (ExternalPeer ffmpeg = Peers.ffmpegShift(media.file(), shifted, dir.resolve("shift.log"), "20000")) {
            assertEquals(0, ffmpeg.awaitExit(PEER_DEADLINE), ffmpeg.output());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Publisher.class, names = {"FFMPEG", "LIBRTMP"})
    void timestampsPast24BitsSurvivePublishAndPlay(Publisher publisher) throws Exception {
        String name = "ext-" + publisher.name().toLowerCase(Locale.ROOT);
        String path = "live/" + name;
        try (Gateway gateway = TestGateway.start(""); Resources r = new Resources()) {
            String url = TestGateway.url(gateway, path);
            HubRecorder reference = r.add(HubRecorder.subscribe(gateway.hub(), path));
            Map<Player, ExternalPeer> players = new EnumMap<>(Player.class);
            for (Player p : Player.values()) {
                players.put(p, r.add(p.start(url, flv(name, p), dir.resolve(name + "-" + p + ".log"))));
            }
            TestPlayer ours = r.add(TestPlayer.play(gateway.rtmpAddress(), "live", name));
            TestGateway.awaitSubscribers(gateway, path, 2 + players.size(), PEER_DEADLINE);

            Path log = dir.resolve(name + "-publisher.log");
            ExternalPeer source = r.add(publisher == Publisher.FFMPEG
                    ? Peers.ffmpegPublish(media.file(), url, log, List.of("-output_ts_offset", "20000"))
                    : publisher.start(shifted, url, log));
            assertEquals(0, source.awaitExit(PEER_DEADLINE), publisher + " publisher:\n" + source.output());
            reference.awaitSourceEnded(1, PEER_DEADLINE);
            List<MediaFrame> published = reference.frames();
            assertAllPast("the hub", published);

            ours.awaitEvent("NetStream.Play.UnpublishNotify", PEER_DEADLINE);
            assertAllPast("our player", ours.frames());
            Playout.assertPlayed("our player", published, ours.frames(), Join.BEFORE_PUBLISH, 0);
            for (Player p : Player.values()) {
                int status = players.get(p).awaitExit(PEER_DEADLINE);
                assertTrue(p.finished(status), p + " exited " + status + ":\n" + players.get(p).output());
                List<MediaFrame> recorded = FlvRecording.read(flv(name, p));
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

    private static Path flv(String name, Player p) {
        return dir.resolve((name + "-" + p + ".flv").toLowerCase(Locale.ROOT));
    }
}
