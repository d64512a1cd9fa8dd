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
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.protocol.PeerClosedException;
import io.loomcast.gateway.protocol.message.MessageTypes;
import io.loomcast.gateway.routing.RelayState;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.RtmpRecorder;
import io.loomcast.gateway.testing.SourceClip;
import java.io.BufferedInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream publisher dies (SIGKILL) and comes back three times, after outages of 0.3 to 1.5 s. Loomcast's
 * pull stays connected to nginx; each outage ends the local source and its return starts a new one within
 * {@code server.unpublishGrace}, so local players hear nothing and the push stays connected to the destination.
 * The destination sees one publish whose timeline carries on: rtmpdump, which writes tags as it receives them,
 * records it there, and the recording must never go back in time on a track nor jump by more than the outage
 * plus 2 s. When the publisher is gone for good, players hear it once the grace is over, and the push
 * unpublishes {@code relay.linger} after that.
 */
class PublisherRestartTest {
    private static final int RESTARTS = 3;
    /** How long the publisher stays away each time: the scenario, not a synchronisation. */
    private static final long[] OUTAGES_MS = {300, 800, 1500};
    /** Longer than an outage and ffmpeg's restart on a loaded machine. */
    private static final long GRACE_MS = 4_000;
    private static final long LINGER_MS = 1_000;

    @TempDir
    Path dir;

    @Test
    void aDestinationRecordingStaysMonotonicAcrossThreeUpstreamRestarts() throws Exception {
        SourceClip clip = SourceClip.get();
        try (NginxRtmp nginx = NginxRtmp.start(Files.createDirectories(dir.resolve("nginx")),
                NginxRtmp.Options.withApps("dest"));
             Gateway gw = Gateway.start(Relays.config(GRACE_MS + "ms", """
                     linger: %dms
                     reconnect: {initialDelay: 100ms, maxDelay: 400ms}
                     """.formatted(LINGER_MS), """
                     - stream: relay/src
                       pull: %s
                       push: [%s]
                     """.formatted(nginx.url("live/src"), nginx.url("dest/src"))))) {
            Poll.until(() -> pull(gw).state() == RelayState.LIVE, Duration.ofSeconds(10),
                    "the pull to play live/src at nginx", () -> describe(gw));
            Path recording = dir.resolve("rtmpdump.flv");
            ExternalPeer rtmpdump = ExternalPeer.start(dir.resolve("rtmpdump.log"), List.of(
                    ExternalPeer.require("rtmpdump").toString(), "--live", "--quiet", "--rtmp", nginx.url("dest/src"),
                    "--flv", recording.toString()));
            List<Long> outagesMs = new ArrayList<>();
            try (rtmpdump; RtmpRecorder player = RtmpRecorder.start(local(gw, "relay/src"), dir.resolve("local.flv"))) {
                ExternalPeer ffmpeg = clip.publish(dir.resolve("ffmpeg-0.log"), nginx.url("live/src"), -1);
                try {
                    for (int run = 1; run <= RESTARTS + 1; run++) {
                        long before = player.videoFrames();
                        Poll.until(() -> player.videoFrames() >= before + SourceClip.FPS, Duration.ofSeconds(15),
                                "a second of run " + run + " at the local player", () -> describe(gw, player));
                        if (run > RESTARTS) {
                            break;
                        }
                        long killed = System.nanoTime();
                        ffmpeg.close();
                        Poll.until(() -> gw.hub().find("relay/src").map(s -> !s.live()).orElse(true),
                                Duration.ofSeconds(10), "the relay to see the upstream publisher gone",
                                () -> describe(gw));
                        long back = killed + OUTAGES_MS[run - 1] * 1_000_000;
                        while (System.nanoTime() - back < 0) {
                            LockSupport.parkNanos(back - System.nanoTime()); // the outage itself, see OUTAGES_MS
                        }
                        ffmpeg = clip.publish(dir.resolve("ffmpeg-" + run + ".log"), nginx.url("live/src"), -1);
                        outagesMs.add((System.nanoTime() - killed) / 1_000_000);
                    }
                    assertTrue(rtmpdump.isAlive(), "rtmpdump still recording:\n" + rtmpdump.output());
                    assertNull(player.ended(), "the local player stayed connected across the restarts");
                    // It may hear the first source start (when the pull's first message came after it joined),
                    // but no end and no return.
                    List<String> notices = player.notices();
                    assertTrue(notices.stream().noneMatch(n -> n.equals("NetStream.Play.UnpublishNotify")
                                    || n.equals("StreamEof"))
                                    && notices.stream().filter("NetStream.Play.PublishNotify"::equals).count() <= 1,
                            "the local player heard nothing of the restarts: " + notices);
                } finally {
                    ffmpeg.close();
                }
                // Gone for good: players hear it when the grace is over, the push unpublishes a linger later.
                long gone = System.nanoTime();
                Poll.until(() -> player.notices().contains("NetStream.Play.UnpublishNotify"), Duration.ofSeconds(15),
                        "UnpublishNotify at the local player", () -> describe(gw, player));
                long toldMs = (System.nanoTime() - gone) / 1_000_000;
                Poll.until(() -> push(gw, "dest/").state() == RelayState.IDLE, Duration.ofSeconds(15),
                        "the push to unpublish", () -> describe(gw, player));
                long unpublishedMs = (System.nanoTime() - gone) / 1_000_000;
                assertTrue(toldMs >= GRACE_MS - 200, "players told after " + toldMs + " ms, within the grace");
                assertTrue(unpublishedMs >= GRACE_MS + LINGER_MS - 200, "the push unpublished after %d ms, before the "
                        .formatted(unpublishedMs) + "grace and its linger were over");
                checkTimeline("local player", player.tags().stream().map(t -> new Tag(t.type(), t.timestampMs(),
                        t.config())).toList(), outagesMs);
                long maxArrivalGapMs = maxArrivalGapMs(player.tags());
                long maxOutageMs = outagesMs.stream().mapToLong(Long::longValue).max().orElseThrow();
                assertTrue(maxArrivalGapMs <= maxOutageMs + 2_000, "the local player waited %d ms for media; outages %s"
                        .formatted(maxArrivalGapMs, outagesMs));
                System.out.printf("relay PublisherRestartTest: outages %s ms; players told after %d ms, push unpublished"
                        + " after %d ms%n", outagesMs, toldMs, unpublishedMs);
                rtmpdump.stop();
            }
            List<Tag> recorded = readTolerant(recording);
            checkTimeline("rtmpdump at nginx dest/src", recorded, outagesMs);
            long videoHeaders = recorded.stream().filter(t -> t.type() == MessageTypes.VIDEO && t.config()).count();
            assertTrue(videoHeaders >= RESTARTS + 1, "one AVC sequence header per publisher run reached the "
                    + "destination; got " + videoHeaders);
            assertEquals(1, push(gw, "dest/").connects(), "the push kept one connection: " + push(gw, "dest/"));
            assertEquals(1, pull(gw).connects(), "the pull kept one connection: " + pull(gw));
        }
    }

    /** A recorded tag: FLV type, timestamp, and whether it is a sequence header or metadata. */
    private record Tag(int type, long timestampMs, boolean config) {}

    /** Per track: timestamps never go back, and no step is longer than the longest outage plus 2 s. */
    private static void checkTimeline(String where, List<Tag> tags, List<Long> outagesMs) {
        long allowedGapMs = outagesMs.stream().mapToLong(Long::longValue).max().orElseThrow() + 2_000;
        for (int type : new int[] {MessageTypes.AUDIO, MessageTypes.VIDEO}) {
            long last = -1;
            int n = 0;
            for (Tag t : tags) {
                if (t.type() != type) {
                    continue;
                }
                n++;
                if (last >= 0) {
                    if (t.timestampMs() < last) {
                        fail("%s: type %d timestamp went back from %d to %d at tag %d".formatted(where, type, last,
                                t.timestampMs(), n));
                    }
                    if (t.timestampMs() - last > allowedGapMs) {
                        fail("%s: type %d timestamp jumped from %d to %d at tag %d; outages were %s ms".formatted(
                                where, type, last, t.timestampMs(), n, outagesMs));
                    }
                }
                last = t.timestampMs();
            }
            assertTrue(n > (RESTARTS + 1) * SourceClip.FPS / 2, where + ": only " + n + " tags of type " + type);
        }
    }

    private static long maxArrivalGapMs(List<RtmpRecorder.Tag> tags) {
        long max = 0;
        for (int i = 1; i < tags.size(); i++) {
            max = Math.max(max, tags.get(i).arrivalNanos() - tags.get(i - 1).arrivalNanos());
        }
        return max / 1_000_000;
    }

    /** The tags of an FLV file a killed recorder may have cut short: a partial last tag is left out. */
    private static List<Tag> readTolerant(Path file) throws Exception {
        List<Tag> out = new ArrayList<>();
        try (FlvReader r = new FlvReader(new BufferedInputStream(Files.newInputStream(file)), 1 << 24)) {
            for (FlvReader.Tag t; (t = r.next()) != null; ) {
                boolean config = switch (t.type()) {
                    case MessageTypes.VIDEO -> FlvTags.parseVideo(t.body()).isSequenceHeader();
                    case MessageTypes.AUDIO -> FlvTags.parseAudio(t.body()).isSequenceHeader();
                    default -> true;
                };
                out.add(new Tag(t.type(), t.timestampMs(), config));
            }
        } catch (PeerClosedException truncated) {
            // rtmpdump was stopped mid-tag.
        }
        return out;
    }
}
