package io.loomcast.gateway.session;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The buffers of one gathering write, reused round after round by the thread that owns it, so a round
 * allocates no list and no array. Holds on to nothing between rounds: {@link #clear()} drops the buffers.
 */
final class WriteBatch {
    /** Linux takes at most IOV_MAX (1024) buffers in one writev; the JDK splits larger arrays itself. */
    private ByteBuffer[] buffers = new ByteBuffer[16];
    private int count;
    private long bytes;

    void add(ByteBuffer b) {
        if (count == buffers.length) {
            buffers = Arrays.copyOf(buffers, count * 2);
        }
        buffers[count++] = b;
        bytes += b.remaining();
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
    }
}
