package io.loomcast.gateway.session;

import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Everything a connection sends (DESIGN.md, "Threads"): control replies from the session's reader thread,
 * and media from the subscriptions of the streams it plays. Control goes first.
 *
 * <p>Two threads may write, one at a time under {@link #writeLock}, which also guards the chunk writer's
 * header state: the connection's own writer ({@link #run()} on a thread of its own, or {@link #serve} on the
 * session's thread once a selector reads the connection), and, for a player that keeps up, the
 * {@link StreamFlusher} of the stream it plays. The flusher serves every caught-up player of a stream from one
 * thread, so a frame costs one wake-up per stream rather than one per player. A player that falls behind, or has
 * control waiting, is served by its writer, which wakes per delivery (or once per merge window).
 *
 * <p>Each round takes what is ready and sends it with one gathering write of the shared, pre-chunked bytes.
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
    /** A write that takes longer than this means the socket was full: the player is not keeping up. */
    private static final long QUICK_WRITE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Connection connection;
    private final FanOut fanOut;
    private final long mergeWindowNanos;
    private final ChunkWriter writer;
    /** Held by whoever writes to the socket: the writer thread, or a flusher for one of the playbacks. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ArrayDeque<Control> control = new ArrayDeque<>();
    private final List<Playback> playbacks = new CopyOnWriteArrayList<>();
    private final WriteBatch batch = new WriteBatch();
    /** What a flusher's write could not put in a full socket, for the writer thread; under {@link #writeLock}. */
    private ByteBuffer[] unsent;
    private final int maxBacklogBytes;
    private final ServerCounters counters;
    private long backlogBytes;
    private boolean overflowed;
    private volatile boolean controlPending;
    private boolean signalled;
    /** When media first became ready since the writer's last round; 0 when none is waiting. */
    private long mediaSignalNanos;
    private boolean finishing;
    /** Set by {@link #handOver()}: the writer thread's loop returns, for another thread to serve. */
    private boolean handingOver;

    /** A control message, and the outgoing chunk size to switch to once it is written (0: no change). */
    private record Control(RawMessage message, int chunkSizeAfter) {
        long costBytes() {
            return message.payload().length + OVERHEAD_BYTES_PER_MESSAGE;
        }
    }

    /** A connection whose players are all served by its own writer thread, media sent at once. */
    public Outbound(Connection connection, int maxBacklogBytes, ServerCounters counters) {
        this(connection, maxBacklogBytes, counters, FanOut.NONE, 0);
    }

    /**
     * @param maxBacklogBytes  control bytes that may wait unsent; one more closes the connection
     * @param counters         where that is counted ({@link Refusal#CONTROL_BACKLOG})
     * @param fanOut           the server's stream flushers, which write for players that keep up
     * @param mergeWindowNanos media may wait this long to be sent with what follows it; 0 sends at once
     */
    public Outbound(Connection connection, int maxBacklogBytes, ServerCounters counters, FanOut fanOut,
            long mergeWindowNanos) {
        this.connection = connection;
        this.maxBacklogBytes = maxBacklogBytes;
        this.counters = counters;
        this.fanOut = fanOut;
        this.mergeWindowNanos = mergeWindowNanos;
        this.writer = new ChunkWriter();
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
                controlPending = true;
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

    /** Starts serving {@code p}: first from the writer thread, which hands it to its stream's flusher once it keeps up. */
    public void add(Playback p) {
        p.direct(false);
        p.flusher(null, this);
        playbacks.add(p);
        fanOut.join(p, this);
        wakeUp();
    }

    public void remove(Playback p) {
        playbacks.remove(p);
        fanOut.leave(p);
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

    /** Media became ready for a playback the writer thread serves: it goes out now, or within the merge window. */
    void mediaReady() {
        lock.lock();
        try {
            if (mediaSignalNanos == 0) {
                mediaSignalNanos = System.nanoTime();
            }
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

    /** What the flusher's turn for a player came to. */
    enum Flush {
        /** Everything queued went out. */
        WROTE,
        /** Nothing went out here: nothing was queued, or the writer thread must do it (it was woken). */
        SKIPPED,
        /** The socket took part of it: the rest waits for the writer thread, which now serves the player. */
        FULL
    }

    /**
     * The flusher's turn for {@code p}: sends what its queue holds, on the flusher's thread. Sends nothing when the
     * writer thread must do it instead: control is waiting (it goes first), or the writer thread holds the socket
     * right now; the writer thread is woken then.
     *
     * <p>On a connection a selector reads the write never waits: what a full socket does not take is kept, goes
     * out first with the writer thread's next round, and the answer is {@link Flush#FULL}, so the flusher gives
     * the player back to its writer thread. One slow player then costs the others nothing; a flusher that waited
     * on it would hold every player after it in the pass.
     */
    Flush flushDirect(Playback p, WriteBatch scratch) throws IOException {
        if (controlPending || !writeLock.tryLock()) {
            wakeUp();
            return Flush.SKIPPED;
        }
        try {
            if (!p.direct() || unsent != null) {
                return Flush.SKIPPED;
            }
            p.collect(scratch, writer, Integer.MAX_VALUE);
            if (scratch.isEmpty()) {
                return Flush.SKIPPED;
            }
            if (connection.writesWithoutWaiting()) {
                ByteBuffer[] buffers = scratch.buffers();
                int first = connection.tryWrite(buffers, scratch.count());
                if (first < scratch.count()) {
                    unsent = scratch.rest(first);
                    wakeUp();
                    return Flush.FULL;
                }
            } else {
                connection.write(scratch.buffers(), scratch.count());
            }
            p.written();
            return Flush.WROTE;
        } finally {
            scratch.clear();
            writeLock.unlock();
        }
    }

    /**
     * The writer loop; returns after {@link #finish()} once control is flushed, or after {@link #handOver()}, or
     * throws when the socket fails.
     */
    public void run() throws IOException, InterruptedException {
        serve(() -> handingOver);
        lock.lock();
        try {
            handingOver = false; // taken: a writer thread started later (to flush a last status) runs on
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes the writer thread's {@link #run()} return after its current round, so another thread can take its
     * place with {@link #serve}; the caller then joins the writer thread. A session read by a selector does that:
     * its own thread then writes too, and a player costs one virtual thread instead of two.
     */
    public void handOver() {
        lock.lock();
        try {
            handingOver = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The writer loop on the calling thread, as in {@link #run()}, until {@code event} is true; it is checked
     * whenever this thread is woken, and whoever makes it true must then call {@link #wakeUp()}. Returns when it
     * is true, or after {@link #finish()} once control is flushed.
     */
    public void serve(BooleanSupplier event) throws IOException, InterruptedException {
        while (true) {
            int next = awaitRound(event);
            if (next == EVENT) {
                return;
            }
            boolean finishNow = next == FINISH;
            boolean wrote;
            writeLock.lock();
            try {
                wrote = round(finishNow);
            } finally {
                batch.clear();
                writeLock.unlock();
            }
            if (finishNow && !wrote) {
                return;
            }
        }
    }

    private static final int ROUND = 0;
    private static final int FINISH = 1;
    private static final int EVENT = 2;

    /**
     * Waits until there is something to do; media alone waits out the merge window. Returns {@link #EVENT} when
     * {@code event} is true, {@link #FINISH} when the session is finishing (send control only, then stop), else
     * {@link #ROUND}.
     */
    private int awaitRound(BooleanSupplier event) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (event.getAsBoolean()) {
                    return EVENT;
                }
                if (finishing) {
                    signalled = false;
                    return FINISH;
                }
                if (signalled) {
                    long waited = mediaSignalNanos == 0 ? 0 : System.nanoTime() - mediaSignalNanos;
                    if (controlPending || mergeWindowNanos == 0 || mediaSignalNanos == 0 || waited >= mergeWindowNanos) {
                        signalled = false;
                        mediaSignalNanos = 0;
                        return ROUND;
                    }
                    wake.awaitNanos(mergeWindowNanos - waited);
                } else {
                    wake.await();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** One round under the write lock: control, then media of every playback; returns whether it wrote. */
    private boolean round(boolean finishNow) throws IOException {
        if (unsent != null) {
            // What a flusher's write left in a full socket goes first, in the same write: a message's bytes must
            // not be split.
            for (ByteBuffer b : unsent) {
                batch.add(b);
            }
            unsent = null;
        }
        drainControl(batch);
        if (!finishNow) {
            for (Playback p : playbacks) {
                p.collect(batch, writer, MAX_FRAMES_PER_ROUND);
            }
        }
        if (batch.isEmpty()) {
            idle();
            return false;
        }
        long started = System.nanoTime();
        connection.write(batch.buffers(), batch.count());
        fanOut.writerWrites.increment();
        boolean quick = System.nanoTime() - started < QUICK_WRITE_NANOS;
        for (Playback p : playbacks) {
            p.written();
            if (!p.direct() && p.caughtUp(quick && !p.subscription().queue().ready())) {
                fanOut.direct(p, true);
            }
        }
        // More may be queued than one round takes: go again without waiting.
        lock.lock();
        try {
            signalled = true;
        } finally {
            lock.unlock();
        }
        return true;
    }

    /**
     * Nothing to write: a player of a stream with no source has nothing to catch up on, so its stream's flusher
     * takes it now. Otherwise a waiting player stays on its own writer until three quick rounds, which players
     * joining in a crowd do not get; when the source came, their writers all woke at once (thousands of writes
     * by writer threads in the first second of the knee's 2,200-player steps, where the flusher then made few).
     */
    private void idle() {
        for (Playback p : playbacks) {
            if (!p.direct() && p.quiet() && !p.subscription().stream().live() && !p.subscription().queue().ready()) {
                fanOut.direct(p, true);
            }
        }
    }

    private void drainControl(WriteBatch out) {
        while (true) {
            Control c;
            lock.lock();
            try {
                c = control.pollFirst();
                if (c == null) {
                    controlPending = false;
                    return;
                }
                backlogBytes -= c.costBytes();
            } finally {
                lock.unlock();
            }
            out.add(ByteBuffer.wrap(writer.encode(c.message())));
            if (c.chunkSizeAfter() > 0) {
                writer.chunkSize(c.chunkSizeAfter());
            }
        }
    }
}
