package io.loomcast.gateway.transcode;

import io.loomcast.gateway.hub.Frame;
import java.util.ArrayDeque;

/**
 * Puts a rendition's output in timestamp order across tracks. Audio is ready almost at once, video only after
 * the encoder's lookahead, so audio is held until video has reached its timestamp (as FFmpeg's muxers
 * interleave). Then a player or push that starts at a keyframe finds the audio of that keyframe's time after
 * it, and audio and video start together. Audio is never held longer than {@link #MAX_HOLD_MS}: a source
 * without video, or a stalled encoder, must not silence it.
 */
final class Interleaver {
    static final long MAX_HOLD_MS = 1_000;
    /** Before the first picture, audio waits this long for it (an encoder opening under load is slow). */
    static final long MAX_START_HOLD_MS = 5_000;

    /** Where ordered output goes: the rendition's publication. */
    interface Sink {
        void push(Frame.Kind kind, long timestampMs, byte[] payload, boolean keyframe, boolean config);
    }

    private record Held(long timestampMs, byte[] payload, boolean config) {}

    private final Sink sink;
    private final ArrayDeque<Held> audio = new ArrayDeque<>();
    private boolean videoExpected;
    private boolean videoStarted;

    Interleaver(Sink sink) {
        this.sink = sink;
    }

    /** The source has video, so audio waits for it from now on. */
    void expectVideo() {
        videoExpected = true;
    }

    void video(long timestampMs, byte[] payload, boolean keyframe, boolean config) {
        if (!videoStarted && !config) {
            // The output starts with both tracks together: audio from before the first picture is left out
            // (sequence headers stay), so a player does not get seconds of sound over a blank picture.
            videoStarted = true;
            audio.removeIf(h -> !h.config() && h.timestampMs() < timestampMs);
        }
        while (!audio.isEmpty() && audio.peekFirst().timestampMs() <= timestampMs) {
            release(audio.pollFirst());
        }
        sink.push(Frame.Kind.VIDEO, timestampMs, payload, keyframe, config);
    }

    void audio(long timestampMs, byte[] payload, boolean config) {
        if (!videoExpected) {
            sink.push(Frame.Kind.AUDIO, timestampMs, payload, false, config);
            return;
        }
        audio.addLast(new Held(timestampMs, payload, config));
        long hold = videoStarted ? MAX_HOLD_MS : MAX_START_HOLD_MS;
        while (audio.peekLast().timestampMs() - audio.peekFirst().timestampMs() > hold) {
            release(audio.pollFirst());
        }
    }

    /** Sends everything held: the source ended. */
    void flush() {
        while (!audio.isEmpty()) {
            release(audio.pollFirst());
        }
        videoExpected = false;
        videoStarted = false;
    }

    private void release(Held h) {
        sink.push(Frame.Kind.AUDIO, h.timestampMs(), h.payload(), false, h.config());
    }
}
