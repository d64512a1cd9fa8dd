package io.loomcast.gateway.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads many client connections from a few selector threads instead of a virtual thread each: for a load
 * generator holding thousands of players (issue 13, "the bench's own cost").
 *
 * <p>Why: a virtual thread waiting on a socket costs, per wake-up, a read that finds nothing, a poller
 * registration and a second read, beside the wake-up itself; on a VM where a system call is dear that was most
 * of the bench's CPU. A selector keeps each connection registered, reads it once per readiness into one buffer
 * per thread, and parses on the spot. Only reading moves here: commands and acknowledgements are still written
 * by {@link RtmpClient}, from whichever thread.
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

    private record Registration(RtmpClient client, SocketChannel channel, Reader reader) {}

    private final Loop[] loops;
    private final AtomicInteger next = new AtomicInteger();

    /** Starts {@code threads} selector threads (platform threads, named {@code name-N}). */
    public SelectorReads(int threads, String name) throws IOException {
        loops = new Loop[Math.max(1, threads)];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new Loop(Selector.open());
            Thread t = Thread.ofPlatform().daemon().name(name + "-" + i).unstarted(loops[i]);
            loops[i].thread = t;
            t.start();
        }
    }

    /**
     * Takes over reading {@code client} (see {@link RtmpClient#nonBlocking()}); from now on {@code reader} hears
     * its messages on a selector thread, until {@link Reader#ended}.
     */
    public void add(RtmpClient client, Reader reader) throws IOException {
        SocketChannel channel = client.nonBlocking();
        Loop loop = loops[Math.floorMod(next.getAndIncrement(), loops.length)];
        loop.pending.add(new Registration(client, channel, reader));
        loop.selector.wakeup();
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
        final ConcurrentLinkedQueue<Registration> pending = new ConcurrentLinkedQueue<>();
        final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
        /** Every connection this thread reads: a key closed under us leaves the selector's set unannounced. */
        final Set<SelectionKey> keys = new HashSet<>();
        volatile boolean running = true;
        Thread thread;
        private long lastReapNanos = System.nanoTime();

        Loop(Selector selector) {
            this.selector = selector;
        }

        @Override
        public void run() {
            try {
                while (running) {
                    // The timeout finds connections closed under us (a watchdog closing an idle player).
                    selector.select(this::ready, REAP_PERIOD_MILLIS);
                    register();
                    long now = System.nanoTime();
                    if (now - lastReapNanos > REAP_PERIOD_MILLIS * 1_000_000L) {
                        lastReapNanos = now;
                        reapClosed();
                    }
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

        private void register() {
            for (Registration r; (r = pending.poll()) != null; ) {
                try {
                    keys.add(r.channel().register(selector, SelectionKey.OP_READ, r));
                } catch (IOException | CancelledKeyException e) {
                    r.reader().ended(e instanceof IOException io ? io : new IOException(e));
                }
            }
        }

        private void ready(SelectionKey key) {
            Registration r = (Registration) key.attachment();
            try {
                if (!r.client().pump(buffer, r.reader())) {
                    end(key, null);
                }
            } catch (IOException e) {
                end(key, e);
            } catch (CancelledKeyException e) {
                end(key, null);
            } catch (RuntimeException e) {
                log.warn("reading a connection failed", e);
                end(key, new IOException(e));
            }
        }

        private void reapClosed() {
            for (SelectionKey k : List.copyOf(keys)) {
                if (!k.channel().isOpen()) {
                    end(k, null);
                }
            }
        }

        private void end(SelectionKey key, IOException cause) {
            Registration r = (Registration) key.attachment();
            key.cancel();
            keys.remove(key);
            if (key.attach(null) != null) {
                r.client().close();
                r.reader().ended(cause);
            }
        }
    }
}
