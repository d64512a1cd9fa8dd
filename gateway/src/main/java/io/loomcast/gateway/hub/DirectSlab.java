package io.loomcast.gateway.hub;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * Direct memory for one stream's wire forms, cut from blocks of {@value #BLOCK_BYTES} bytes. A direct buffer of
 * its own per frame cost a {@code malloc}, zeroing, a cleaner and, later, a {@code free}: 3% of a relay's CPU
 * with ten pushes (issue 13, "Relay"). A block is one allocation for a dozen frames.
 *
 * <p>A block's memory is freed once no slice of it is reachable, so a frame that lives long keeps its whole block.
 * A stream's frames live about as long as each other (the GOP cache and the queues drop them oldest first), so a
 * stream holds its live frames plus about one block. Frames that stay for the stream's life (sequence headers,
 * metadata) and frames over a quarter of a block (keyframes, mostly) get exact buffers of their own instead.
 */
final class DirectSlab {
    static final int BLOCK_BYTES = 64 * 1024;
    /** Larger copies get a buffer of their own: a block must not end with a long unused tail. */
    static final int MAX_SLICE_BYTES = BLOCK_BYTES / 4;

    private final ReentrantLock lock = new ReentrantLock();
    /** The block being cut; its position is where the next slice starts. */
    private ByteBuffer block;
    /** {@link #slice} as a function, made once: a bound method reference is a new object each time it is taken. */
    final IntFunction<ByteBuffer> slices = this::slice;

    /** {@code n} bytes of direct memory for one caller to fill: position 0, limit and capacity {@code n}. */
    ByteBuffer slice(int n) {
        if (n > MAX_SLICE_BYTES) {
            return ByteBuffer.allocateDirect(n);
        }
        ByteBuffer slice;
        lock.lock();
        try {
            if (block == null || block.remaining() < n) {
                block = ByteBuffer.allocateDirect(BLOCK_BYTES);
            }
            int at = block.position();
            slice = block.slice(at, n);
            block.position(at + n);
        } finally {
            lock.unlock();
        }
        // The slice is this caller's alone: filled outside the lock.
        return slice;
    }
}
