package io.loomcast.gateway.session;

import io.loomcast.gateway.protocol.chunk.EncodedMessage;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The buffers of one gathering write, reused round after round by the thread that owns it, so a round
 * allocates no list and no array. Holds on to nothing between rounds: {@link #clear()} drops the buffers.
 *
 * <p>A write consumes its buffers, so each needs a view of the shared wire bytes of its own. A batch made
 * with {@code reuseViews} (a stream flusher's, which writes the same frames to every player of a pass, one
 * player after another) keeps each form's view across its writes, and only rewinds it: a frame then costs one
 * view per pass, not one per player (issue 13, "no per-subscriber allocation on the hot path"). The views
 * are dropped with {@link #forgetViews()} at the end of the pass. A write that leaves bytes unsent must hand
 * the rest on as {@link #rest copies}, since the views are used again.
 */
final class WriteBatch {
    /**
     * Views kept for reuse at most: a pass carries a few frames (one or two, a merge window's worth with one), and
     * past this each further form gets a view per write again rather than a longer search.
     */
    private static final int MAX_VIEWS = 64;
    /** Linux takes at most IOV_MAX (1024) buffers in one writev; the JDK splits larger arrays itself. */
    private ByteBuffer[] buffers = new ByteBuffer[16];
    private int count;
    private long bytes;

    private final boolean reuseViews;
    /** The shared bytes seen since the last {@link #forgetViews()}, and a view of each. */
    private ByteBuffer[] sharedSeen = new ByteBuffer[8];
    private ByteBuffer[] views = new ByteBuffer[8];
    /** The round each view was last added in: a view is never in one write twice. */
    private long[] viewRound = new long[8];
    private int viewCount;
    private long round = 1;

    WriteBatch() {
        this(false);
    }

    WriteBatch(boolean reuseViews) {
        this.reuseViews = reuseViews;
    }

    void add(ByteBuffer b) {
        if (count == buffers.length) {
            buffers = Arrays.copyOf(buffers, count * 2);
        }
        buffers[count++] = b;
        bytes += b.remaining();
    }

    /** Adds a shared wire form's bytes, through a view this batch may reuse in later writes. */
    void add(EncodedMessage shared) {
        ByteBuffer b = shared.bytes();
        if (!reuseViews) {
            add(b.duplicate());
            return;
        }
        for (int i = 0; i < viewCount; i++) {
            if (sharedSeen[i] == b && viewRound[i] != round) {
                viewRound[i] = round;
                add(views[i].rewind());
                return;
            }
        }
        ByteBuffer view = b.duplicate();
        if (viewCount == MAX_VIEWS) {
            add(view);
            return;
        }
        if (viewCount == views.length) {
            sharedSeen = Arrays.copyOf(sharedSeen, viewCount * 2);
            views = Arrays.copyOf(views, viewCount * 2);
            viewRound = Arrays.copyOf(viewRound, viewCount * 2);
        }
        sharedSeen[viewCount] = b;
        views[viewCount] = view;
        viewRound[viewCount] = round;
        viewCount++;
        add(view);
    }

    /**
     * What is left of this batch from buffer {@code first} on, in buffers of its own: for a write that must go on
     * later, after this batch's views are used again.
     */
    ByteBuffer[] rest(int first) {
        ByteBuffer[] rest = new ByteBuffer[count - first];
        for (int i = 0; i < rest.length; i++) {
            rest[i] = buffers[first + i].duplicate();
        }
        return rest;
    }

    boolean isEmpty() {
        return count == 0;
    }

    int count() {
        return count;
    }

    long bytes() {
        return bytes;
    }

    ByteBuffer[] buffers() {
        return buffers;
    }

    void clear() {
        Arrays.fill(buffers, 0, count, null);
        count = 0;
        bytes = 0;
        round++;
    }

    /** Drops the views kept for reuse, so the batch holds no frame's bytes between passes. */
    void forgetViews() {
        Arrays.fill(sharedSeen, 0, viewCount, null);
        Arrays.fill(views, 0, viewCount, null);
        viewCount = 0;
    }
}
