package io.loomcast.gateway.relay;

import static io.loomcast.gateway.relay.Relays.local;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.ChunkStreams;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpClient;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.RtmpRecorder;
import io.loomcast.gateway.testing.TwoSecondClip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one read of the source brings goes to each push in one write (issue 13, "Relay"): the frames a selector
 * thread parses from one read are sent when the read's messages are all handled, not one write per message.
 * Without a merge window: nothing waits longer than the rest of its read.
 */
class OneWritePerReadTest {
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    /** The clip's media: its first second, sent in one go, and the rest, sent two messages at a time. */
    private record Media(List<FlvReader.Tag> first, List<FlvReader.Tag> rest, long firstFrames) {
        static Media load() throws IOException {
            List<FlvReader.Tag> media = new ArrayList<>(TwoSecondClip.tags());
            media.removeIf(t -> t.type() != 8 && t.type() != 9);
            int secondKeyframe = -1;
            for (int i = 0, keyframes = 0; i < media.size() && secondKeyframe < 0; i++) {
                FlvReader.Tag t = media.get(i);
                if (t.type() == 9 && !config(t) && (t.body()[0] & 0xf0) == 0x10 && ++keyframes == 2) {
                    secondKeyframe = i;
                }
            }
            assertTrue(secondKeyframe > 0, "the clip has two keyframes");
            List<FlvReader.Tag> first = media.subList(0, secondKeyframe);
            return new Media(first, media.subList(secondKeyframe, media.size()),
                    first.stream().filter(t -> !config(t)).count());
        }

        int pairs() {
            return rest.size() / 2;
        }

        /**
         * Publishes the first second in one go and waits until {@code arrived} says it has all come; runs
         * {@code then}, and sends the rest, two messages per socket write, each pair once the last has arrived: a
         * subscriber that keeps up is idle and caught up when its pair comes, and is written by the thread that
         * read the pair.
         */
        void publish(RtmpClient publisher, int streamId, LongPredicate arrived, Runnable then) throws IOException {
            for (FlvReader.Tag t : first) {
                send(publisher, streamId, t);
            }
            publisher.flush();
            await(arrived, firstFrames);
            then.run();
            for (int p = 0; p < pairs(); p++) {
                send(publisher, streamId, rest.get(2 * p));
                send(publisher, streamId, rest.get(2 * p + 1));
                publisher.flush();
                await(arrived, firstFrames + 2L * (p + 1));
            }
        }

        private static void await(LongPredicate arrived, long frames) {
            Poll.until(() -> arrived.test(frames), DEADLINE, frames + " frames at every subscriber", () -> "");
        }
    }

    /**
     * The writes that a run of {@code pairs} pairs may take for one subscriber: one a pair, where a message per
     * write would be twice that. A pair that a socket split across two reads costs one more: a tenth of them is
     * allowed for, and the last write, whose count may trail its bytes.
     */
    private static long mostWrites(int pairs) {
        return pairs + pairs / 10 + 1;
    }

    @Test
    void twoMessagesInOneReadAreOneWritePerPush() throws Exception {
        Media media = Media.load();
        try (NginxRtmp nginx = NginxRtmp.start(Files.createDirectories(dir.resolve("nginx")),
                NginxRtmp.Options.withApps("a", "b"));
             Gateway gw = Relays.pushingToAB(nginx, """
                     server: {listen: 127.0.0.1:0, mergeWrites: 0}
                     relay: {linger: 500ms}
                     """);
             RtmpRecorder a = RtmpRecorder.start(nginx.url("a/src"), dir.resolve("a.flv"));
             RtmpRecorder b = RtmpRecorder.start(nginx.url("b/src"), dir.resolve("b.flv"));
             RtmpClient publisher = RtmpClient.connect(RtmpUrl.parse(local(gw, "live/src")), ClientOptions.DEFAULT)) {
            int id = publisher.publish("src");
            long[] writesBefore = {0};
            media.publish(publisher, id,
                    frames -> a.videoFrames() + a.audioFrames() >= frames && b.videoFrames() + b.audioFrames() >= frames,
                    () -> writesBefore[0] = gw.relay().pushWrites());
            long writes = gw.relay().pushWrites() - writesBefore[0];
            int pairs = media.pairs();
            assertTrue(writes <= 2 * mostWrites(pairs), "%d writes to two pushes for %d pairs of messages".formatted(
                    writes, pairs));
            assertTrue(writes >= 2L * pairs - 2, "%d writes to two pushes for %d pairs".formatted(writes, pairs));
            for (RtmpRecorder r : List.of(a, b)) {
                Relays.assertInOrder(r);
            }
        }
    }

    private static void send(RtmpClient publisher, int streamId, FlvReader.Tag t) throws IOException {
        int csid = t.type() == 8 ? ChunkStreams.AUDIO : ChunkStreams.VIDEO;
        publisher.send(new RawMessage(csid, t.type(), streamId, t.timestampMs(), t.body()), false);
    }

    /** A sequence header (AVC or AAC), which the recorders do not count as a frame. */
    private static boolean config(FlvReader.Tag t) {
        byte[] b = t.body();
        return b.length > 1 && b[1] == 0 && (t.type() == 9 ? (b[0] & 0x0f) == 7 : ((b[0] & 0xff) >> 4) == 10);
    }
}
