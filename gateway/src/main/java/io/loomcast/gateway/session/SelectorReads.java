package io.loomcast.gateway.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads many connections from a few selector threads instead of a virtual thread each: the players of a load
 * generator holding thousands of them, the server's publishers, and the relay's pulls and pushes' replies
 * (issue 13, "the bench's own cost" and "Relay").
 *
 * <p>Why: a virtual thread waiting on a socket costs, per wake-up, a read that finds nothing, a poller
 * registration, the poller thread's wake-up and then a carrier thread's, beside the read itself; on a VM where
 * a system call and a cross-CPU wake-up are dear that was most of the bench's CPU, and most of a relay's. A
 * selector keeps each connection registered, reads it once per readiness into one buffer per thread, and
 * parses on the spot. Only reading moves here: writes stay where they were.
 */
public final class SelectorReads implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SelectorReads.class);
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    /** How often a thread looks for connections closed under it (by a watchdog, say). */
    private static final long REAP_PERIOD_MILLIS = 250;

    /** Where a connection's messages go, and how it ended. Called on the selector thread. */
    public interface Reader extends RtmpClient.MessageSink {
        /** The connection ended: {@code cause} is null when the peer closed it, else the failure. */
        void ended(IOException cause);
    }

    /** A connection read here: called on its selector thread, never two at once. */
    public interface Target {
        /**
         * The channel is readable: read what it has into {@code scratch} (cleared for the call) and act on it;
         * {@code self} may {@link Handle#pause() pause} the reading. Returns false once the peer has closed the
         * connection.
         */
        boolean readable(Handle self, ByteBuffer scratch) throws IOException;

        /** Reading ended: {@code cause} is null when the peer closed, else the failure (a close under us too). */
        void ended(IOException cause);
    }

    /**
     * One registered connection: its target may pause reading it, and anyone may resume. A thread writing to it
     * may also wait here for room in a full socket ({@link #awaitWritable}): the selector wakes it when the peer
     * has read, where it would otherwise poll.
     */
    public static final class Handle {
        private final Loop loop;
        private final SocketChannel channel;
        private final Target target;
        private volatile SelectionKey key;
        /** Guards the key's interest: whether reading is on, and who waits for room to write. */
        private final ReentrantLock lock = new ReentrantLock();
        /** Written under the lock; read bare by the selector thread before each read. */
        private volatile boolean reading = true;
        private Thread writeWaiter;

        private Handle(Loop loop, SocketChannel channel, Target target) {
            this.loop = loop;
            this.channel = channel;
            this.target = target;
        }

        /** The connection read. */
        public SocketChannel channel() {
            return channel;
        }

        /** Stops reading until {@link #resume()}; from the target's own {@code readable} call. */
        public void pause() {
            lock.lock();
            try {
                reading = false;
                interest();
            } finally {
                lock.unlock();
            }
        }

        /**
         * Stops reading the connection for good, without closing it or calling {@link Target#ended}; any thread.
         * The selector lets go of it at once, so closing the channel then releases its socket at once too.
         */
        public void cancel() {
            SelectionKey k = key;
            if (k != null) {
                k.attach(null);
                k.cancel();
                loop.selector.wakeup();
            }
            Thread w;
            lock.lock();
            try {
                w = writeWaiter;
                writeWaiter = null;
            } finally {
                lock.unlock();
            }
            if (w != null) {
                LockSupport.unpark(w);
            }
        }

        /** Reads again after {@link #pause()}; any thread. Fails when the connection was closed meanwhile. */
        public void resume() throws IOException {
            lock.lock();
            try {
                reading = true;
                if (!interest() && key != null) {
                    throw new ClosedChannelException(); // not yet registered is fine: registering reads the state
                }
            } finally {
                lock.unlock();
            }
            loop.selector.wakeup();
        }

        /**
         * Waits until the socket has room to write, at most {@code maxNanos} (a closed connection or a lost wake-up
         * costs no more than that); the caller then tries its write again. Any thread but the selector's.
         */
        public void awaitWritable(long maxNanos) {
            boolean registered;
            lock.lock();
            try {
                writeWaiter = Thread.currentThread();
                registered = interest();
            } finally {
                lock.unlock();
            }
            if (registered) {
                loop.selector.wakeup();
            }
            LockSupport.parkNanos(this, maxNanos);
            lock.lock();
            try {
                if (writeWaiter == Thread.currentThread()) {
                    writeWaiter = null;
                    interest();
                }
            } finally {
                lock.unlock();
            }
        }

        /** The socket has room: wakes whoever waits for it. On the selector thread. */
        private void writable() {
            Thread w;
            lock.lock();
            try {
                w = writeWaiter;
                writeWaiter = null;
                interest();
            } finally {
                lock.unlock();
            }
            if (w != null) {
                LockSupport.unpark(w);
            }
        }

        private boolean reading() {
            return reading;
        }

        /**
         * Sets the key's interest from the state, under {@link #lock}; false when there is no valid key (not yet,
         * or no longer).
         */
        private boolean interest() {
            SelectionKey k = key;
            if (k == null || !k.isValid()) {
                return false;
            }
            try {
                k.interestOps((reading ? SelectionKey.OP_READ : 0) | (writeWaiter != null ? SelectionKey.OP_WRITE : 0));
                return true;
            } catch (CancelledKeyException e) {
                return false;
            }
        }
    }

    /** Work that one read's messages leave for when they are all handled: see {@link #afterRead}. */
    public interface AfterRead {
        /** The read that deferred this is over. On the selector thread; must not block. */
        void afterRead();
    }

    /**
     * On a selector thread acting on one read, defers {@code task} until every message of that read has been
     * handled, and returns true; on any other thread returns false, and the caller does the work now. A caller
     * defers itself at most once per read (a flag it clears when its task runs), so a read that brought an audio
     * and a video message sends them to a push with one write, not two (issue 13: the relay read 1.28 messages
     * per read, and made one write per message per push). A task runs even when the read failed or ended the
     * connection; one that throws is logged, and the rest still run.
     */
    public static boolean afterRead(AfterRead task) {
        if (Thread.currentThread() instanceof LoopThread t && t.loop.reading) {
            t.loop.afterRead.add(task);
            return true;
        }
        return false;
    }

    /** A selector thread, so {@link #afterRead} finds its loop without a thread-local. */
    private static final class LoopThread extends Thread {
        final Loop loop;

        LoopThread(Loop loop, String name) {
            super(loop, name);
            this.loop = loop;
            setDaemon(true);
        }
    }

    private final Loop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    /** Starts {@code threads} selector threads (platform threads, named {@code name-N}). */
    public SelectorReads(int threads, String name) throws IOException {
        loops = new Loop[Math.max(1, threads)];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new Loop(Selector.open());
            Thread t = new LoopThread(loops[i], name + "-" + i);
            loops[i].thread = t;
            t.start();
        }
    }

    /**
     * Takes over reading {@code client} (see {@link RtmpClient#nonBlocking()}); from now on {@code reader} hears
     * its messages on a selector thread, until {@link Reader#ended}. What the client had read already goes to
     * {@code reader} first, on the calling thread; if that fails, the client is closed and the failure thrown.
     */
    public void add(RtmpClient client, Reader reader) throws IOException {
        SocketChannel channel = client.nonBlocking();
        try {
            client.drainBuffered(reader);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        add(channel, new Target() {
            @Override
            public boolean readable(Handle self, ByteBuffer scratch) throws IOException {
                return client.pump(scratch, reader);
            }

            @Override
            public void ended(IOException cause) {
                client.close();
                reader.ended(cause);
            }
        });
    }

    /**
     * Reads {@code channel} (already non-blocking) from one of the selector threads, calling {@code target} as
     * bytes come, until {@link Target#ended}.
     */
    public Handle add(SocketChannel channel, Target target) {
        Loop loop = loops[Math.floorMod(next.getAndIncrement(), loops.length)];
        Handle h = new Handle(loop, channel, target);
        loop.pending.add(h);
        loop.selector.wakeup();
        return h;
    }

    @Override
    public void close() {
        for (Loop l : loops) {
            l.running = false;
            l.selector.wakeup();
        }
        for (Loop l : loops) {
            try {
                l.thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static final class Loop implements Runnable {
        final Selector selector;
        final ConcurrentLinkedQueue<Handle> pending = new ConcurrentLinkedQueue<>();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
        /** Every connection this thread reads: a key closed under us leaves the selector's set unannounced. */
        final Set<SelectionKey> keys = new HashSet<>();
        volatile boolean running = true;
        Thread thread;
        private long lastReapNanos = System.nanoTime();
        /** Set while a target acts on a read: {@link SelectorReads#afterRead} defers to its end. */
        boolean reading;
        final ArrayList<AfterRead> afterRead = new ArrayList<>();
        /** {@link #ready}, made once: a method reference in the loop would be a new object per turn. */
        private final Consumer<SelectionKey> onReady = this::ready;

        Loop(Selector selector) {
            this.selector = selector;
        }

        @Override
        public void run() {
            try {
                while (running) {
                    turn();
                }
            } catch (IOException | ClosedSelectorException e) {
                log.warn("selector thread failed: {}", e.toString());
            } finally {
                for (SelectionKey k : List.copyOf(keys)) {
                    end(k, null);
                }
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // Closing at the end; nothing more to tell.
                }
            }
        }

        /**
         * One wait and what it found. A method of its own, so the JIT compiles it: a loop entered once and never
         * left is compiled only by on-stack replacement, after tens of thousands of turns, and a selector that
         * turns a hundred times a second ran interpreted for minutes (issue 13, "Relay").
         */
        private void turn() throws IOException {
            // The timeout finds connections closed under us (a watchdog closing an idle player). With none to
            // read, the thread sleeps until add() or close() wakes it: an idle gateway's selectors would
            // otherwise wake four times a second each, for nothing.
            selector.select(onReady, keys.isEmpty() ? 0 : REAP_PERIOD_MILLIS);
            register();
            long now = System.nanoTime();
            if (now - lastReapNanos > REAP_PERIOD_MILLIS * 1_000_000L) {
                lastReapNanos = now;
                reapClosed();
            }
        }

        private void register() {
            for (Handle h; (h = pending.poll()) != null; ) {
                try {
                    h.key = h.channel.register(selector, SelectionKey.OP_READ, h);
                    keys.add(h.key);
                    h.lock.lock();
                    try {
                        h.interest(); // paused, or a writer waiting, before the key existed
                    } finally {
                        h.lock.unlock();
                    }
                } catch (IOException | CancelledKeyException e) {
                    h.target.ended(e instanceof IOException io ? io : new IOException(e));
                }
            }
        }

        private void ready(SelectionKey key) {
            Handle h = (Handle) key.attachment();
            if (h == null) {
                return;
            }
            try {
                int ready = key.readyOps();
                if ((ready & SelectionKey.OP_WRITE) != 0) {
                    h.writable();
                }
                if ((ready & SelectionKey.OP_READ) == 0 || !h.reading()) {
                    return; // only room to write, or paused after this round's readiness was collected
                }
                buffer.clear();
                reading = true;
                if (!h.target.readable(h, buffer)) {
                    end(key, null);
                }
            } catch (IOException e) {
                end(key, e);
            } catch (CancelledKeyException e) {
                end(key, null);
            } catch (RuntimeException e) {
                log.warn("reading a connection failed", e);
                end(key, new IOException(e));
            } finally {
                reading = false;
                if (!afterRead.isEmpty()) {
                    runAfterRead();
                }
            }
        }

        private void runAfterRead() {
            for (int i = 0; i < afterRead.size(); i++) {
                try {
                    afterRead.get(i).afterRead();
                } catch (RuntimeException e) {
                    // One subscriber's failure must not leave the others' frames unsent.
                    log.warn("after a read: {}", e.toString(), e);
                }
            }
            afterRead.clear();
        }

        private void reapClosed() {
            for (SelectionKey k : List.copyOf(keys)) {
                if (!k.isValid() || !k.channel().isOpen()) {
                    end(k, null);
                }
            }
        }

        private void end(SelectionKey key, IOException cause) {
            Handle h = (Handle) key.attachment();
            key.cancel();
            keys.remove(key);
            if (key.attach(null) != null) {
                h.target.ended(cause);
            }
        }
    }
}
