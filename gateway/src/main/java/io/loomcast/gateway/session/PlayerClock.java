package io.loomcast.gateway.session;

import io.loomcast.gateway.hub.Frame;

/**
 * The timestamps one player sees. Normally they are the stream's timeline itself, so the player shares every
 * frame's bytes with the stream's other players. A play2 switch puts the player on another stream's timeline,
 * and a live seek or the end of a pause restarts it at a keyframe it may already have passed; then its frames
 * are moved by an offset so that its timestamps keep going forward (RTMP players and recorders reject a step
 * back, "non-monotonous DTS"). Writer thread only.
 */
final class PlayerClock {

    /** How the next frame re-bases the clock. */
    enum Rebase {
        /** Keep the offset. */
        NONE,
        /** A play2 switch: the next frame follows the last one sent by one millisecond, whatever its stream time. */
        CONTINUE,
        /** A seek or unpause: the next frame goes no earlier than just after the last one sent, later if it is. */
        FORWARD
    }

    private long offsetMs;
    private long lastOutMs = -1;
    private final long[] lastOutByKind = {-1, -1, -1};
    private Rebase rebase = Rebase.NONE;

    /** The next frame mapped re-bases the clock this way. */
    void rebase(Rebase how) {
        rebase = how;
    }

    /** The player's timestamp for {@code f}, and it counts as sent. */
    long map(Frame f) {
        long in = f.timestampMs();
        if (rebase != Rebase.NONE && lastOutMs >= 0) {
            long follow = lastOutMs + 1 - in;
            offsetMs = rebase == Rebase.CONTINUE ? follow : Math.max(offsetMs, follow);
        }
        rebase = Rebase.NONE;
        long out = Math.max(0, in + offsetMs);
        int k = f.kind().ordinal();
        // Never back on a track: audio stamped a little before the keyframe it arrives after is clamped.
        out = Math.max(out, lastOutByKind[k]);
        lastOutByKind[k] = out;
        lastOutMs = Math.max(lastOutMs, out);
        return out;
    }

    /** The largest timestamp sent so far, or -1. */
    long lastOutMs() {
        return lastOutMs;
    }

    /** What is added to the stream's timeline now: 0 while the player shares the stream's bytes. */
    long offsetMs() {
        return offsetMs;
    }
}
