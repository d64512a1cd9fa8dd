package io.loomcast.gateway.session;

import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything a connection sends, written by one thread (DESIGN.md, "Threads"): control replies from the
 * session's reader thread, and media from the subscriptions of the streams it plays. Control goes first.
 * The socket has exactly one writer, so the chunk writer's header state needs no lock.
 *
 * <p>Each round takes what is ready and sends it with one gathering write: the shared, pre-chunked media
 * bytes are not copied.
 *
 * <p>The control queue is bounded in bytes: a peer that sends commands and never reads the replies would
 * otherwise grow it without end (one such connection once took the gateway from 92 to 560 MiB in ten seconds).
 * Past the bound the connection is closed, with a counted reason.
 */
public final class Outbound {
    /** Frames taken from one subscription per round, so one busy stream cannot starve control messages. */
    private static final int MAX_FRAMES_PER_ROUND = 64;
    /** What a queued message costs beyond its payload: the largest chunk header (RTMP 5.3.1) and our record. */
    private static final int OVERHEAD_BYTES_PER_MESSAGE = 18 + 48;

    private final Connection connection;
    private final ChunkWriter writer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ArrayDeque<Control> control = new ArrayDeque<>();
    private final List<Playback> playbacks = new CopyOnWriteArrayList<>();
    private final int maxBacklogBytes;
    private final ServerCounters counters;
    private boolean signalled;
    private boolean finishing;
    private long backlogBytes;
    private boolean overflowed;

    /** A control message, and the outgoing chunk size to switch to once it is written (0: no change). */
    private record Control(RawMessage message, int chunkSizeAfter) {
        long costBytes() {
            return message.payload().length + OVERHEAD_BYTES_PER_MESSAGE;
        }
    }

    /**
     * @param maxBacklogBytes control bytes that may wait unsent; one more closes the connection
     * @param counters        where that is counted ({@link Refusal#CONTROL_BACKLOG})
     */
    public Outbound(Connection connection, int maxBacklogBytes, ServerCounters counters) {
        this.connection = connection;
        this.writer = new ChunkWriter();
        this.maxBacklogBytes = maxBacklogBytes;
        this.counters = counters;
    }

    /** Queues a control or command message. */
    public void send(RawMessage message) {
        enqueue(new Control(message, 0));
    }

    /** Queues our Set Chunk Size; later messages are chunked at {@code chunkSizeBytes}. */
    public void sendChunkSize(RawMessage setChunkSize, int chunkSizeBytes) {
        enqueue(new Control(setChunkSize, chunkSizeBytes));
    }

    private void enqueue(Control c) {
        long backlog;
        lock.lock();
        try {
            if (overflowed) {
                return;
            }
            backlog = backlogBytes + c.costBytes();
            if (backlog > maxBacklogBytes) {
                overflowed = true;
                control.clear();
                backlogBytes = 0;
            } else {
                backlogBytes = backlog;
                control.addLast(c);
                signalled = true;
                wake.signal();
                return;
            }
        } finally {
            lock.unlock();
        }
        counters.refused(Refusal.CONTROL_BACKLOG);
        connection.close("%d bytes of replies unread, over server.limits.maxControlBacklog (%d): the peer sends "
                .formatted(backlog, maxBacklogBytes) + "commands and does not read the answers");
    }

    public void add(Playback p) {
        playbacks.add(p);
        wakeUp();
    }

    public void remove(Playback p) {
        playbacks.remove(p);
    }

    /** Something became ready to send. */
    public void wakeUp() {
        lock.lock();
        try {
            signalled = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Sends what is queued for control, then stops: used to deliver a final error status before closing. */
    public void finish() {
        lock.lock();
        try {
            finishing = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    public int chunkSizeBytes() {
        return writer.chunkSizeBytes();
    }

    /** The writer loop; returns after {@link #finish()} once control is flushed, or throws when the socket fails. */
    public void run() throws IOException, InterruptedException {
        List<ByteBuffer> buffers = new ArrayList<>();
        while (true) {
            boolean finishNow;
            lock.lock();
            try {
                signalled = false;
                finishNow = finishing;
            } finally {
                lock.unlock();
            }
            buffers.clear();
            drainControl(buffers);
            if (!finishNow) {
                for (Playback p : playbacks) {
                    p.collect(buffers, writer, MAX_FRAMES_PER_ROUND);
                }
            }
            if (!buffers.isEmpty()) {
                connection.write(buffers.toArray(new ByteBuffer[0]));
                for (Playback p : playbacks) {
                    p.written();
                }
                continue;
            }
            if (finishNow) {
                return;
            }
            lock.lock();
            try {
                while (!signalled && !finishing) {
                    wake.await();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void drainControl(List<ByteBuffer> buffers) {
        while (true) {
            Control c;
            lock.lock();
            try {
                c = control.pollFirst();
                if (c != null) {
                    backlogBytes -= c.costBytes();
                }
            } finally {
                lock.unlock();
            }
            if (c == null) {
                return;
            }
            buffers.add(ByteBuffer.wrap(writer.encode(c.message())));
            if (c.chunkSizeAfter() > 0) {
                writer.chunkSize(c.chunkSizeAfter());
            }
        }
    }
}
