package io.loomcast.gateway.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

/** One gathering write of a run of buffers, finished whatever the socket's mode: the server's and the client's. */
final class GatheringWrite {
    private GatheringWrite() {}

    /** Hears each write that took something: how many bytes, and how many are still to go. */
    interface Progress {
        Progress NONE = (written, remaining) -> { };

        void wrote(long written, long remaining);
    }

    /**
     * Writes every byte of {@code buffers[first, count)}. A non-blocking socket that takes nothing is full: that
     * is waited out a millisecond at a time (the caller's write timeout watches). {@code progress} hears each
     * write that took something.
     */
    static void writeFully(SocketChannel channel, ByteBuffer[] buffers, int first, int count, Progress progress)
            throws IOException {
        long remaining = 0;
        for (int i = first; i < count; i++) {
            remaining += buffers[i].remaining();
        }
        while (remaining > 0) {
            long n = channel.write(buffers, first, count - first);
            if (n == 0) {
                LockSupport.parkNanos(1_000_000);
                continue;
            }
            remaining -= n;
            progress.wrote(n, remaining);
            while (first < count && !buffers[first].hasRemaining()) {
                first++;
            }
        }
    }
}
