package io.loomcast.gateway.hub;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where a subscriber's queue starts, or starts again: at a video keyframe, with the sequence headers and
 * metadata held back until it and stamped with its timestamp (as nginx-rtmp stamps its cached headers with the
 * current time). A player or recorder that measures from its first timestamp then sees no jump between the
 * headers and the picture they belong to.
 *
 * <p>Three ways to wait: mid-stream (a late joiner without a GOP, a queue that shed, a play2 switch) everything
 * but the keyframe is dropped; at a new source only its video waits, since its audio before the first picture
 * is all new; and a queue that waits for a switch point keeps waiting for a picture even while only audio comes
 * (a rendition whose encoder has not produced one yet). A stream without video opens at its first frame.
 * Not thread-safe: its {@link SubscriberQueue} calls it under its lock.
 */
final class KeyframeGate {

    /** What to do with a frame offered while the gate may be closed. */
    enum Verdict {
        /** Queue it: after whatever {@link #release} gives. */
        PASS,
        /** Queue it, the keyframe the gate waited for: the wait is over. */
        OPEN,
        /** A sequence header or metadata, kept for the frame that opens the gate. */
        HOLD,
        /** Skipped while the gate waits. */
        DROP
    }

    /** The order players expect held frames in: metadata, then the video and audio sequence headers. */
    private static final Frame.Kind[] RELEASE_ORDER = {Frame.Kind.DATA, Frame.Kind.VIDEO, Frame.Kind.AUDIO};

    private final Frame[] held = new Frame[Frame.Kind.values().length];
    private boolean waiting;
    /** Whether audio (and other data) waits too: yes mid-stream, no at the start of a new source. */
    private boolean audioWaits;
    /** Wait for a picture even before any video was seen: a play2 switch, until its switch point. */
    private boolean videoExpected;
    private boolean sawVideo;

    /** Waits for the next keyframe, dropping everything else meanwhile (receiveVideo, a shed queue). */
    void awaitKeyframe() {
        waiting = true;
        audioWaits = true;
    }

    /**
     * Starts over: waiting for a keyframe with {@code headers} held when {@code wait}, open otherwise. {@code
     * expectVideo}: wait for a picture even while only audio comes.
     */
    void restart(List<Frame> headers, boolean wait, boolean expectVideo) {
        Arrays.fill(held, null);
        waiting = wait;
        audioWaits = true;
        videoExpected = wait && expectVideo;
        if (wait) {
            headers.forEach(this::hold);
        }
    }

    /** A new source: its video waits for its first keyframe, its audio does not, unless a switch point is awaited. */
    void newSource() {
        waiting = true;
        Arrays.fill(held, null);
        if (!videoExpected) {
            audioWaits = false;
            sawVideo = false;
        }
    }

    Verdict admit(Frame f) {
        if (f.kind() == Frame.Kind.VIDEO) {
            sawVideo = true;
        }
        if (!waiting) {
            return Verdict.PASS;
        }
        if (f.config()) {
            hold(f);
            return Verdict.HOLD;
        }
        boolean keyframe = f.kind() == Frame.Kind.VIDEO && f.keyframe();
        if ((sawVideo || videoExpected) && !keyframe && (audioWaits || f.kind() == Frame.Kind.VIDEO)) {
            return Verdict.DROP;
        }
        if (keyframe) {
            waiting = false;
            videoExpected = false;
            return Verdict.OPEN;
        }
        return Verdict.PASS;
    }

    /** What was held, stamped with {@code timestampMs}, in the order players expect: metadata, video, audio. */
    void release(long timestampMs, Consumer<Frame> queue) {
        for (Frame.Kind kind : RELEASE_ORDER) {
            Frame h = held[kind.ordinal()];
            if (h != null) {
                held[kind.ordinal()] = null;
                queue.accept(h.at(Math.max(0, timestampMs)));
            }
        }
    }

    /** The newest of each kind; a video header also says the stream has video. */
    private void hold(Frame h) {
        sawVideo |= h.kind() == Frame.Kind.VIDEO;
        held[h.kind().ordinal()] = h;
    }

    boolean waiting() {
        return waiting;
    }

    boolean sawVideo() {
        return sawVideo;
    }
}
