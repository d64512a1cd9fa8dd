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

    /** Waits for a full socket to have room, or a while; the write is then tried again. */
    interface Room {
        /** A millisecond at a time. */
        Room POLL = () -> LockSupport.parkNanos(1_000_000);

        void await();
    }

    /** {@link #writeFully(SocketChannel, ByteBuffer[], int, int, Progress, Room)}, polling a full socket. */
    static void writeFully(SocketChannel channel, ByteBuffer[] buffers, int first, int count, Progress progress)
            throws IOException {
        writeFully(channel, buffers, first, count, progress, Room.POLL);
    }

    /**
     * Writes every byte of {@code buffers[first, count)}. A non-blocking socket that takes nothing is full: that
     * is waited out with {@code room} (the caller's write timeout watches). {@code progress} hears each write that
     * took something.
     */
    static void writeFully(SocketChannel channel, ByteBuffer[] buffers, int first, int count, Progress progress,
            Room room) throws IOException {
        long remaining = 0;
        for (int i = first; i < count; i++) {
            remaining += buffers[i].remaining();
        }
        while (remaining > 0) {
            long n = channel.write(buffers, first, count - first);
            if (n == 0) {
                room.await();
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
