package io.loomcast.gateway.hub;

import java.util.ArrayList;
import java.util.List;

/**
 * The frames since the latest video keyframe, so a new player starts on a picture at once instead of
 * waiting up to a GOP. Bounded by bytes and by duration: a GOP longer than either bound is dropped
 * whole, and caching resumes at the next keyframe (players joining meanwhile wait for it).
 * Audio-only streams cache nothing. Not thread-safe: the stream calls it under its lock.
 */
public final class GopCache {
    private final GopCacheLimits limits;
    private final List<Frame> frames = new ArrayList<>();
    private long bytes;
    private boolean collecting;

    public GopCache(GopCacheLimits limits) {
        this.limits = limits;
    }

    public void add(Frame f) {
        if (!limits.enabled() || f.config()) {
            return;
        }
        if (f.kind() == Frame.Kind.VIDEO && f.keyframe()) {
            clear();
            collecting = true;
        }
        if (!collecting) {
            return;
        }
        frames.add(f);
        bytes += f.sizeBytes();
        if (bytes > limits.maxBytes() || f.timestampMs() - frames.getFirst().timestampMs() > limits.maxDurationMs()) {
            clear();
        }
    }

    public void clear() {
        frames.clear();
        bytes = 0;
        collecting = false;
    }

    /** The cached frames, oldest (the keyframe) first; empty when there is nothing to start from. */
    public List<Frame> frames() {
        return List.copyOf(frames);
    }

    public boolean isEmpty() {
        return frames.isEmpty();
    }

    public long bytes() {
        return bytes;
    }
}
