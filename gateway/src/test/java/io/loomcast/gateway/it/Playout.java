package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.testing.MediaFrame;
import java.util.List;

/**
 * What a player must have got, compared with the hub's reference recording of the same stream.
 *
 * <p>Frames are pictures and pieces of sound: sequence headers and AVC end-of-sequence markers are not
 * counted (ffmpeg's FLV muxer writes an end-of-sequence marker of its own when it closes a file).
 *
 * <p>The tolerance, per track: the player's frames are exactly a contiguous run of the reference's, the same
 * timestamps and sizes in the same order, with nothing missing in between and nothing extra. A player that
 * joined before the publisher starts at the reference's first frame; one that joined later starts where the
 * GOP cache put it, which must be a keyframe. Only the end may fall short, by at most
 * {@link #TAIL_TOLERANCE_MS} of media: a player may stop at end of stream before taking its last messages
 * (GStreamer's rtmp2src drops the last AAC frame in about one run in three, while ffmpeg and rtmpdump in the
 * same run get it). 200 ms is 5 video frames at 25 fps, a fraction of a GOP; any loss mid-stream, any
 * duplicate or any foreign frame still fails.
 */
final class Playout {
    static final long TAIL_TOLERANCE_MS = 200;

    private Playout() {}

    /** Where the player started. */
    enum Join { BEFORE_PUBLISH, LATE }

    /**
     * Asserts {@code played} (as the player recorded it, any interleaving) against {@code reference} (the hub
     * recording), track by track, and that the first video frame after the sequence header is a keyframe.
     */
    static void assertPlayed(String who, List<MediaFrame> reference, List<MediaFrame> played, Join join,
            long tailToleranceMs) {
        assertStartsOnKeyframe(who, played);
        for (Frame.Kind kind : List.of(Frame.Kind.VIDEO, Frame.Kind.AUDIO)) {
            List<MediaFrame> ref = track(reference, kind);
            List<MediaFrame> got = track(played, kind);
            String what = "%s, %s track".formatted(who, kind);
            assertFalse(ref.isEmpty(), what + ": the reference has no frames");
            assertFalse(got.isEmpty(), what + ": the player got no frames");
            int start = indexOf(ref, got.getFirst());
            if (start < 0) {
                fail("%s: first frame %s is not in the reference (%d frames, %s .. %s)".formatted(what,
                        got.getFirst(), ref.size(), ref.getFirst(), ref.getLast()));
            }
            if (join == Join.BEFORE_PUBLISH) {
                assertEquals(0, start, what + ": joined before the publisher, so must start at the first frame, "
                        + "but starts at " + got.getFirst() + " (reference starts " + ref.getFirst() + ")");
            }
            assertTrue(start + got.size() <= ref.size(), "%s: %d frames from index %d, more than the reference's %d"
                    .formatted(what, got.size(), start, ref.size()));
            for (int i = 0; i < got.size(); i++) {
                if (!got.get(i).sameAs(ref.get(start + i))) {
                    fail("%s: frame %d is %s, expected %s (the reference's frame %d)".formatted(what, i, got.get(i),
                            ref.get(start + i), start + i));
                }
            }
            long shortMs = ref.getLast().timestampMs() - got.getLast().timestampMs();
            assertTrue(shortMs <= tailToleranceMs, "%s: ends at %s, %d ms before the reference's last %s (%d of %d "
                    .formatted(what, got.getLast(), shortMs, ref.getLast(), got.size(), ref.size() - start)
                    + "frames since it joined); tolerance " + tailToleranceMs + " ms");
        }
    }

    /** The first video frame that is not a sequence header must be a keyframe, and come after a sequence header. */
    static void assertStartsOnKeyframe(String who, List<MediaFrame> played) {
        boolean sawConfig = false;
        for (MediaFrame f : played) {
            if (f.kind() != Frame.Kind.VIDEO) {
                continue;
            }
            if (f.config()) {
                sawConfig = true;
                continue;
            }
            if (f.endOfSequence()) {
                continue;
            }
            assertTrue(sawConfig, who + ": first video frame " + f + " came before any AVC sequence header");
            assertTrue(f.keyframe(), who + ": first video frame " + f + " is not a keyframe");
            return;
        }
        fail(who + ": no video frame at all");
    }

    static List<MediaFrame> track(List<MediaFrame> frames, Frame.Kind kind) {
        return frames.stream().filter(f -> f.kind() == kind && f.media()).toList();
    }

    private static int indexOf(List<MediaFrame> frames, MediaFrame wanted) {
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).sameAs(wanted)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Every media frame arrived within {@code maxLatenessMs} of the best frame's latency (arrival minus
     * timestamp). A real-time publisher makes that latency constant but for jitter, so a publisher or player held
     * up by something else shows here.
     */
    static void assertOnTime(String who, List<MediaFrame> frames, long maxLatenessMs) {
        List<MediaFrame> media = frames.stream().filter(MediaFrame::media).toList();
        assertFalse(media.isEmpty(), who);
        long best = Long.MAX_VALUE;
        for (MediaFrame f : media) {
            best = Math.min(best, f.arrivalNanos() / 1_000_000 - f.timestampMs());
        }
        for (MediaFrame f : media) {
            long lateMs = f.arrivalNanos() / 1_000_000 - f.timestampMs() - best;
            assertTrue(lateMs <= maxLatenessMs, "%s: %s arrived %d ms late".formatted(who, f, lateMs));
        }
    }
}
