package io.loomcast.gateway.hub;

/**
 * A stream's single output timeline (DESIGN.md, "Time"). Sources come and go; each source's 32-bit RTMP
 * timestamps are unwrapped and shifted so the output continues just after the last output timestamp and
 * never goes back on any track. Platforms reject a stream whose DTS jumps back ("non-monotonous DTS"), so
 * this holds across publisher reconnects and upstream restarts alike.
 *
 * <p>The first source is passed through unshifted: a publisher that starts at 20 000 s keeps its
 * timestamps. Not thread-safe: the stream calls it under its own lock.
 */
public final class Timeline {
    private static final long WRAP = 1L << 32;
    private static final long HALF = 1L << 31;
    /**
     * A source whose timestamps go back by more than this has restarted without telling us (an encoder
     * reset, an upstream publisher restarting behind a relay): re-base it like a new source. Smaller steps
     * back are reordering between tracks, handled by the per-track clamp.
     */
    static final long DISCONTINUITY_MS = 2_000;

    /** Largest output timestamp so far, over all tracks; -1 before the first frame. */
    private long lastOutMs = -1;
    private final long[] lastOutByKind = {-1, -1, -1};

    /** Per source: the unwrapped previous input timestamp and the shift applied to it. */
    private boolean sourceStarted;
    private long lastInUnwrapped;
    private long offsetMs;
    private boolean firstSource = true;
    private long discontinuities;

    /** A new source starts; its first frame decides the shift. */
    public void newSource() {
        sourceStarted = false;
    }

    /** Maps a source's 32-bit timestamp for a frame of {@code kind} onto the output timeline. */
    public long map(Frame.Kind kind, long sourceTimestamp32) {
        long in = sourceTimestamp32 & 0xFFFF_FFFFL;
        long unwrapped;
        if (!sourceStarted) {
            unwrapped = in;
            offsetMs = firstSource ? 0 : (lastOutMs + 1) - in;
            firstSource = false;
            sourceStarted = true;
        } else {
            // RTMP 5.3.1.3: timestamps wrap at 2^32; a step back of more than half the range is a wrap forward.
            long base = lastInUnwrapped & ~(WRAP - 1);
            unwrapped = base + in;
            if (unwrapped < lastInUnwrapped - HALF) {
                unwrapped += WRAP;
            } else if (unwrapped > lastInUnwrapped + HALF && unwrapped >= WRAP) {
                unwrapped -= WRAP;
            }
            if (unwrapped < lastInUnwrapped - DISCONTINUITY_MS) {
                offsetMs = (lastOutMs + 1) - unwrapped;
                discontinuities++;
            }
        }
        lastInUnwrapped = unwrapped;
        long out = Math.max(0, unwrapped + offsetMs);
        int k = kind.ordinal();
        // Never back on a track: a source whose audio starts a little before its video is clamped, not shifted.
        if (out < lastOutByKind[k]) {
            out = lastOutByKind[k];
        }
        lastOutByKind[k] = out;
        lastOutMs = Math.max(lastOutMs, out);
        return out;
    }

    /** Backward jumps inside one source that were re-based. */
    public long discontinuities() {
        return discontinuities;
    }

    /** Largest output timestamp so far, or -1. */
    public long lastOutMs() {
        return lastOutMs;
    }
}
