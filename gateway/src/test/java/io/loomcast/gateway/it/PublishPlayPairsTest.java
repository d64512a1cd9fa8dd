package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.it.Peers.Player;
import io.loomcast.gateway.it.Peers.Publisher;
import io.loomcast.gateway.it.Playout.Join;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.FlvRecording;
import io.loomcast.gateway.testing.HubRecorder;
import io.loomcast.gateway.testing.MediaFrame;
import io.loomcast.gateway.testing.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each real publisher (ffmpeg, GStreamer rtmp2sink, librtmp) against each real player (ffmpeg, rtmpdump,
 * GStreamer rtmp2src), through the gateway. Per publisher, one player of each kind joins before the publisher
 * starts and one joins 1.5 s in, mid-GOP, so it starts from the GOP cache. Each player's recording must have
 * H.264 and AAC at the published size, start its video on a keyframe, and hold exactly the frames the hub
 * received while it was there ({@link Playout}); the hub must hold what the publisher's file had.
 */
class PublishPlayPairsTest {
    private static final Duration PEER_DEADLINE = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static TestMedia media;
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        media = TestMedia.generate(dir, "pairs", 320, 240, 25, 4, 25, "300k");
        gateway = TestGateway.start("");
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Publisher.class)
    void everyPlayerGetsWhatWasPublishedWhileItWatched(Publisher publisher) throws Exception {
        String name = publisher.name().toLowerCase(Locale.ROOT);
        String path = "live/" + name;
        String url = TestGateway.url(gateway, path);
        try (Resources r = new Resources()) {
            HubRecorder reference = r.add(HubRecorder.subscribe(gateway.hub(), path));
            Map<Player, ExternalPeer> early = new EnumMap<>(Player.class);
            Map<Player, ExternalPeer> late = new EnumMap<>(Player.class);
            for (Player p : Player.values()) {
                early.put(p, r.add(p.start(url, flv(name, p, Join.BEFORE_PUBLISH), log(name, p, Join.BEFORE_PUBLISH))));
            }
            TestGateway.awaitSubscribers(gateway, path, 1 + early.size(), PEER_DEADLINE);

            ExternalPeer source = r.add(publisher.start(media.file(), url, dir.resolve(name + "-publisher.log")));
            // 1.5 s into a 1 s GOP: the late players start from the GOP cache, not from the stream's start.
            reference.recorded().await(rec -> videoSpanMs(rec.frames()) >= 1500, PEER_DEADLINE,
                    "1.5 s of video from " + publisher);
            for (Player p : Player.values()) {
                late.put(p, r.add(p.start(url, flv(name, p, Join.LATE), log(name, p, Join.LATE))));
            }
            TestGateway.awaitSubscribers(gateway, path, 1 + early.size() + late.size(), PEER_DEADLINE);

            assertEquals(0, source.awaitExit(PEER_DEADLINE), publisher + " publisher failed:\n" + source.output());
            reference.awaitSourceEnded(1, PEER_DEADLINE);
            List<MediaFrame> published = reference.frames();
            // The publisher delivered its whole file (nothing lost on the way in).
            Playout.assertPlayed(publisher + " into the hub", media.frames(), published, Join.BEFORE_PUBLISH,
                    Playout.TAIL_TOLERANCE_MS);

            for (Join join : Join.values()) {
                for (Player p : Player.values()) {
                    ExternalPeer player = (join == Join.LATE ? late : early).get(p);
                    String who = "%s -> %s (%s)".formatted(publisher, p, join);
                    // Each player ends by itself at the end of stream (NetStream.Play.UnpublishNotify).
                    int status = player.awaitExit(PEER_DEADLINE);
                    assertTrue(p.finished(status), who + " exited " + status + ":\n" + player.output());
                    Path recording = flv(name, p, join);
                    Probe probe = Probe.of(recording);
                    assertEquals(new Probe("h264", "aac", media.width(), media.height()), probe, who);
                    Playout.assertPlayed(who, published, FlvRecording.read(recording), join,
                            Playout.TAIL_TOLERANCE_MS);
                }
            }
        }
    }

    private static long videoSpanMs(List<MediaFrame> frames) {
        List<MediaFrame> video = Playout.track(frames, Frame.Kind.VIDEO);
        return video.isEmpty() ? 0 : video.getLast().timestampMs() - video.getFirst().timestampMs();
    }

    private static Path flv(String stream, Player p, Join join) {
        return dir.resolve("%s-%s-%s.flv".formatted(stream, p, join).toLowerCase(Locale.ROOT));
    }

    private static Path log(String stream, Player p, Join join) {
        return dir.resolve("%s-%s-%s.log".formatted(stream, p, join).toLowerCase(Locale.ROOT));
    }
}
