package io.loomcast.gateway.routing;

import io.loomcast.gateway.config.PushConfig;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.hub.Delivery;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.hub.StreamNotice;
import io.loomcast.gateway.hub.SubscriberQueue;
import io.loomcast.gateway.hub.Subscription;
import io.loomcast.gateway.protocol.chunk.EncodedMessage;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.MessageCodec;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpClient;
import io.loomcast.gateway.session.SelectorReads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push: a local stream published to one destination. It is a passive subscriber of the hub stream with
 * its own bounded queue and its own virtual threads, so a dead, refusing, slow or half-open destination
 * costs only itself. It connects when the source is live, starts at a keyframe with metadata and sequence
 * headers, reconnects with backoff, and unpublishes cleanly once the source has been gone for the linger
 * time. Timestamps sent to the destination never go back, across source restarts (the hub's timeline) and
 * across our own reconnects (an offset kept here).
 *
 * <p>Over plain TCP, a live push that keeps up is written by whoever delivers its frame (the selector thread that
 * read the publisher, say), with one non-blocking gathering write: a frame then wakes no push thread at all
 * (issue 13, "Relay"). With a merge window, the frame is held instead, and the relay's {@link PushWindow} timer
 * writes what is held once the window is over. The destination's replies are read by a selector too. A write the
 * socket does not take whole, a notice, anything else goes to the push's own thread, which carries on as before.
 */
final class PushRunner implements PushWindow.Held {
    private static final Logger log = LoggerFactory.getLogger(PushRunner.class);

    private final String stream;
    /** What this push subscribes to: the stream itself, or its rendition {@code app/name@profile}. */
    private final String source;
    private final PushConfig config;
    private final RtmpUrl url;
    private final String shownUrl;
    private final StreamHub hub;
    private final RelaySettings settings;
    private final boolean ephemeral;
    private final Runnable onExit;
    private final String routeId;
    /** Set by {@link #stopGracefully}: the connection ends with FCUnpublish and deleteStream, not a bare close. */
    private volatile boolean unpublishOnStop;
    private final LongAdder frames = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder drops = new LongAdder();
    private volatile RelayState state = RelayState.IDLE;
    private volatile String lastError = "";
    private volatile long connects;
    private volatile long failures;
    private volatile boolean running = true;
    private volatile RtmpClient client;
    private volatile Subscription subscription;
    /** Why we closed the connection ourselves (a stall, a refusal), for the failure that follows; null if we did not. */
    private volatile String closeReason;
    private volatile boolean stalled;
    private Thread thread;
    /** Last timestamp sent to the destination, over all connections; -1 before the first. */
    private long lastSentMs = -1;
    /** Something was queued since the sender last looked: set by the queue, cleared by the sender. */
    private volatile boolean signalled;
    /** Wakes the sender when its queue gets something, with no wake-up while it is busy anyway. */
    private final SubscriberQueue.Listener wakeUp = new SubscriberQueue.Listener() {
        @Override
        public void available() {
            wake();
        }

        @Override
        public void closed(String reason) {
            wakeThread();
        }
    };
    /** Reads the destinations' replies for pushes written directly; null: each push reads on its own thread. */
    private final SelectorReads replies;
    /** The relay's merge-window timer; null with no window. */
    private final PushWindow window;
    /** Frames are held for {@link #window}: set by the delivering thread, cleared when the window is over. */
    private volatile boolean held;
    /** Gathering writes of media to the destination, for tests and metrics. */
    private final LongAdder writes = new LongAdder();
    /** Of those, the ones the window's timer made. */
    private final LongAdder windowWrites = new LongAdder();
    /** Frames wait for the end of a selector thread's read ({@link SelectorReads#afterRead}); cleared when it ends. */
    private volatile boolean afterReadPending;
    private final SelectorReads.AfterRead sendAfterRead = this::sendAfterRead;
    /** Held by whoever sends this push's frames: its own thread, or a delivering thread writing directly. */
    private final ReentrantLock sending = new ReentrantLock();
    /** Whether a delivering thread may write the next frames itself: the push's thread is idle and live. */
    private volatile boolean direct;
    /**
     * Why a direct write failed, for the push's thread to raise. The frames that write took are gone with the
     * connection, so the push's own thread, woken with nothing left to write, would otherwise never meet the
     * failure itself, and every later frame would be taken by a direct write and lost the same way.
     */
    private volatile IOException directFailure;
    /** What a direct write needs of the live connection; set by the push's thread before it allows one. */
    private Subscription liveSub;
    private Frame.WireKey liveKey;
    /** The linger deadline the notices sent so far leave (0 while the source is live); under {@link #sending}. */
    private volatile long lingerDeadline;
    private final List<Delivery> taken = new ArrayList<>();
    private ByteBuffer[] batchBytes = new ByteBuffer[64];
    private EncodedMessage[] batchMessages = new EncodedMessage[64];

    PushRunner(String stream, String routeId, PushConfig config, StreamHub hub, RelaySettings settings,
            boolean ephemeral, SelectorReads replies, PushWindow window, Runnable onExit) {
        this.replies = replies;
        this.window = window;
        this.stream = stream;
        this.routeId = routeId;
        this.config = config;
        this.hub = hub;
        this.settings = settings;
        this.ephemeral = ephemeral;
        this.onExit = onExit;
        this.source = config.transcode().map(p -> p.renditionOf(stream)).orElse(stream);
        this.url = config.rtmpUrlFor(io.loomcast.gateway.config.StreamName.parse(stream));
        this.shownUrl = url.toString();
    }

    void start() {
        thread = Thread.ofVirtual().name("push " + stream + " -> " + shownUrl).start(this::run);
    }

    void stop() {
        running = false;
        RtmpClient c = client;
        if (c != null) {
            c.close();
        }
        Subscription s = subscription;
        if (s != null) {
            s.close();
        }
        thread.interrupt();
    }

    /**
     * Stops as an encoder that is switched off does: a live connection sends FCUnpublish and deleteStream, so the
     * destination ends the stream at once instead of waiting for a timeout. Returns at once; the push's thread
     * notices within its queue's poll (200 ms) and exits. Call {@link #stop} after a deadline if it has not.
     */
    void stopGracefully() {
        unpublishOnStop = true;
        running = false;
        direct = false;
        LockSupport.unpark(thread); // idle while frames go out directly: it would not wake for them
        if (client == null) {
            thread.interrupt(); // waiting for a source or a retry: nothing to unpublish, wake it now
        }
    }

    void awaitExit(Duration timeout) throws InterruptedException {
        thread.join(timeout);
    }

    boolean exited() {
        return !thread.isAlive();
    }

    /** Called by the relay's scanner: a write stuck past the write timeout means the destination stopped reading. */
    void checkStall(long nowNanos) {
        RtmpClient c = client;
        if (c == null) {
            return;
        }
        long started = c.writeStartedNanos();
        if (started != 0 && nowNanos - started > settings.writeTimeout().toNanos()) {
            closeReason = "write stalled for %d ms: the destination stopped reading".formatted(
                    settings.writeTimeout().toMillis());
            stalled = true;
            state = RelayState.STALLED;
            c.close();
        }
    }

    /** Gathering writes of media made so far, by this push's thread, a delivering thread or the window's timer. */
    long writes() {
        return writes.sum() + windowWrites.sum();
    }

    /** Media writes made by the merge window's timer. */
    long windowWrites() {
        return windowWrites.sum();
    }

    RelayStatus status() {
        Subscription s = subscription;
        long dropped = drops.sum() + (s == null ? 0 : s.queue().droppedFrames());
        return new RelayStatus("push", stream, shownUrl, state, connects, failures, lastError, frames.sum(), bytes.sum(),
                dropped, routeId, config.id());
    }

    private ClientOptions options() {
        ClientOptions o = settings.client()
                .withChunkSize(config.chunkSizeBytes())
                .withWindowAckSize((int) Math.min(Integer.MAX_VALUE, config.windowAckSizeBytes()))
                .withPeerBandwidth((int) Math.min(Integer.MAX_VALUE, config.peerBandwidthBytes()))
                .withReadTimeout(Duration.ZERO);
        return config.tls().map(t -> o.withCaFile(t.caFile())).orElse(o);
    }

    private void run() {
        Backoff backoff = new Backoff(config.reconnect(), ThreadLocalRandom.current());
        try {
            while (running) {
                Subscription sub = hub.subscribePassive(source, "push " + shownUrl, settings.queueLimits(), wakeUp);
                subscription = sub;
                try {
                    Frame first = awaitSource(sub);
                    if (first == null) {
                        if (ephemeral) {
                            return;
                        }
                        continue;
                    }
                    boolean unpublished = connectAndSend(sub, first, backoff);
                    if (unpublished && ephemeral) {
                        return;
                    }
                } catch (IOException e) {
                    if (!running) {
                        return;
                    }
                    boolean timedOut = stalled || e instanceof SocketTimeoutException;
                    lastError = closeReason != null ? closeReason : describe(e);
                    closeReason = null;
                    stalled = false;
                    // After lastError: a status() that sees this failure counted also sees why.
                    failures++;
                    Duration delay = backoff.nextDelay();
                    if (delay == null) {
                        state = RelayState.FAILED;
                        log.error("push {} -> {}: giving up after {} failures; last: {}", stream, shownUrl,
                                backoff.failures(), lastError);
                        return;
                    }
                    state = timedOut ? RelayState.STALLED : RelayState.BACKOFF;
                    log.warn("push {} -> {}: {}; reconnecting in {} ms (failure {})", stream, shownUrl, lastError,
                            delay.toMillis(), backoff.failures());
                    Thread.sleep(delay);
                } finally {
                    sub.close();
                    subscription = null;
                    RtmpClient c = client;
                    if (c != null) {
                        c.close();
                        client = null;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            state = running ? state : RelayState.STOPPED;
            onExit.run();
        }
    }

    /**
     * Waits for the first frame of a live source; null when the runner stops, or (ephemeral pushes) when no
     * source shows up within the linger time.
     */
    private Frame awaitSource(Subscription sub) throws InterruptedException, IOException {
        state = RelayState.IDLE;
        long deadline = System.nanoTime() + settings.relay().linger().toNanos();
        while (running) {
            // One at a time: what follows the first frame (sequence headers) must stay queued for the send loop.
            List<Delivery> batch = sub.queue().take(1, 250, TimeUnit.MILLISECONDS);
            if (batch == null) {
                throw new IOException("subscription closed: " + sub.queue().closedReason());
            }
            for (Delivery d : batch) {
                if (d instanceof Frame f) {
                    return f;
                }
            }
            if (ephemeral && !hub.find(stream).map(s -> s.live()).orElse(false) && System.nanoTime() > deadline) {
                return null;
            }
        }
        return null;
    }

    /** One connection: publish, then relay frames until the source has been gone for the linger (true) or an error. */
    private boolean connectAndSend(Subscription sub, Frame first, Backoff backoff) throws IOException, InterruptedException {
        state = RelayState.CONNECTING;
        RtmpClient c = RtmpClient.connect(url, options());
        client = c;
        if (!running) {
            return false;
        }
        int streamId = c.publish(url.streamName());
        connects++;
        backoff.reset();
        lastError = "";
        state = RelayState.LIVE;
        log.info("push {} -> {}: publishing (connection {})", stream, shownUrl, connects);
        long mergeNanos = settings.mergeWrites().toNanos();
        boolean directCapable = replies != null && c.canSelect() && (mergeNanos == 0 || window != null);
        Thread reader = null;
        if (directCapable) {
            replies.add(c, new SelectorReads.Reader() {
                @Override
                public void message(RawMessage m) throws IOException {
                    onReply(c, MessageCodec.decode(m));
                }

                @Override
                public void ended(IOException cause) {
                    // The connection is closed; the next write fails and reports it.
                }
            });
        } else {
            reader = Thread.ofVirtual().name("push-reader " + shownUrl).start(() -> readReplies(c));
        }
        try {
            long offset = (lastSentMs >= 0 && first.timestampMs() <= lastSentMs) ? lastSentMs + 1 - first.timestampMs() : 0;
            // The wire form every push to the same chunk size and stream id (and offset) shares.
            Frame.WireKey key = new Frame.WireKey(c.chunkSizeBytes(), streamId, Frame.Use.PUBLISH, offset);
            sending.lock();
            try {
                taken.clear();
                taken.add(first);
                directFailure = null; // the last connection's
                lingerDeadline = 0;
                liveSub = sub;
                liveKey = key;
            } finally {
                sending.unlock();
            }
            while (running) {
                sending.lock();
                try {
                    IOException failed = directFailure;
                    if (failed != null) {
                        throw failed;
                    }
                    c.finishWrites(); // what a direct write left
                    int n = sub.queue().poll(taken, Integer.MAX_VALUE);
                    if (n < 0) {
                        throw new IOException("fell too far behind: " + sub.queue().closedReason());
                    }
                    if (!taken.isEmpty()) {
                        send(c);
                        sub.queue().progressed();
                        continue;
                    }
                } finally {
                    sending.unlock();
                }
                if (lingerDeadline != 0 && System.nanoTime() - lingerDeadline > 0) {
                    c.unpublish(url.streamName(), streamId);
                    log.info("push {} -> {}: source gone for {} ms, unpublished", stream, shownUrl,
                            settings.relay().linger().toMillis());
                    state = RelayState.IDLE;
                    return true;
                }
                awaitMedia(lingerDeadline, mergeNanos, directCapable);
            }
            if (unpublishOnStop) {
                c.unpublish(url.streamName(), streamId);
                log.info("push {} -> {}: stopped, unpublished", stream, shownUrl);
            }
            return false;
        } finally {
            direct = false;
            c.close();
            if (reader != null) {
                reader.interrupt();
            }
        }
    }

    /**
     * Sends what {@link #taken} holds in one gathering write of the shared wire bytes, and keeps the linger
     * deadline the notices among them leave. Under {@link #sending}.
     */
    private void send(RtmpClient c) throws IOException {
        int count = batch();
        if (count > 0) {
            c.writeShared(batchBytes, batchMessages, count);
            writes.increment();
            Arrays.fill(batchBytes, 0, count, null);
            Arrays.fill(batchMessages, 0, count, null);
        }
    }

    /** Moves {@link #taken} into the batch arrays in the live connection's wire form, counting what is sent; returns how many frames. */
    private int batch() {
        Frame.WireKey key = liveKey;
        int count = 0;
        for (Delivery d : taken) {
            switch (d) {
                case Frame f -> {
                    if (count == batchBytes.length) {
                        batchBytes = Arrays.copyOf(batchBytes, count * 2);
                        batchMessages = Arrays.copyOf(batchMessages, count * 2);
                    }
                    EncodedMessage m = f.wire(key, PushWire::message);
                    batchBytes[count] = m.bytes().duplicate();
                    batchMessages[count] = m;
                    count++;
                    lastSentMs = Math.max(lastSentMs, f.timestampMs() + key.timestampOffsetMs());
                    frames.increment();
                    bytes.add(f.sizeBytes());
                }
                case StreamNotice n -> lingerDeadline = n == StreamNotice.SOURCE_ENDED
                        ? System.nanoTime() + settings.relay().linger().toNanos() : 0;
            }
        }
        taken.clear();
        return count;
    }

    /**
     * On the thread that delivered a frame: sends what the queue holds with one non-blocking write, when the
     * push's own thread is idle. Returns false when that thread must look instead: it was busy, the socket did
     * not take it all, a notice came, or the connection failed.
     */
    private boolean sendDirect(LongAdder counted) {
        if (!sending.tryLock()) {
            return false;
        }
        try {
            RtmpClient c = client;
            if (!direct || !running || c == null) {
                return false;
            }
            // Only once the connection is ours are frames taken off the queue: taken, they must go out.
            if (!c.tryHoldWrites()) {
                return false;
            }
            try {
                if (liveSub.queue().poll(taken, Integer.MAX_VALUE) < 0) {
                    return false;
                }
                int count = batch();
                boolean whole = count == 0 || c.tryWriteShared(batchBytes, batchMessages, count);
                if (count > 0) {
                    counted.increment();
                }
                Arrays.fill(batchBytes, 0, count, null);
                Arrays.fill(batchMessages, 0, count, null);
                liveSub.queue().progressed();
                return whole && lingerDeadline == 0;
            } finally {
                c.releaseWrites();
            }
        } catch (IOException e) {
            directFailure = e; // the caller wakes the push's thread, which raises it
            return false;
        } catch (RuntimeException e) {
            // A fault of this push's own must not reach the thread that delivered the frame (the publisher's
            // selector thread, or a deferred task after its read): the push reconnects, the rest go on.
            log.warn("push {} -> {}: a direct write failed", stream, shownUrl, e);
            directFailure = new IOException("direct write failed: " + e, e);
            return false;
        } finally {
            sending.unlock();
        }
    }

    private void wake() {
        if (direct) {
            PushWindow w = window;
            if (w != null) {
                if (!held) {
                    held = true;
                    w.hold(this);
                }
                return;
            }
            // On a selector thread, what the rest of this read brings goes out in the same write. A frame from
            // another thread while one is pending is taken by that task's write, which polls after it is queued.
            if (afterReadPending) {
                return;
            }
            if (SelectorReads.afterRead(sendAfterRead)) {
                afterReadPending = true; // the task runs later on this same thread, and clears it
                return;
            }
            if (sendDirect(writes)) {
                return;
            }
        }
        wakeThread();
    }

    /** The read that delivered frames is over: send them, as {@link #wake} would have at once. */
    private void sendAfterRead() {
        afterReadPending = false; // before the frames are taken: one delivered from here on defers again
        if (!direct || !sendDirect(writes)) {
            wakeThread();
        }
    }

    @Override
    public void windowOver() {
        held = false; // before the frames are taken: one delivered from here on is held again
        if (!sendDirect(windowWrites)) {
            wakeThread();
        }
    }

    private void wakeThread() {
        if (!signalled) {
            signalled = true;
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /**
     * Parks until the queue has something (then, with a merge window, lets the window fill), the linger
     * deadline passes, or the push stops. Untimed while the source is live: a timed park costs a timer.
     */
    private void awaitMedia(long lingerDeadline, long mergeNanos, boolean directCapable) {
        // Idle and live: a delivering thread may write the next frames itself, until this thread is woken.
        direct = directCapable && lingerDeadline == 0;
        while (!signalled && running) {
            if (lingerDeadline != 0) {
                long left = lingerDeadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                LockSupport.parkNanos(this, left);
            } else {
                LockSupport.park(this);
            }
        }
        direct = false;
        // Held frames were the window's, and it is over; only a push with no direct writes waits out its own.
        if (mergeNanos > 0 && !directCapable && running) {
            long deadline = System.nanoTime() + mergeNanos;
            for (long left = mergeNanos; left > 0 && running; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(this, left);
            }
        }
        signalled = false;
    }

    /** Drains what the destination sends (acks, pings); an error status ends the connection. */
    private void readReplies(RtmpClient c) {
        try {
            while (true) {
                onReply(c, c.read());
            }
        } catch (IOException e) {
            // The writer notices the closed connection and reports it.
        }
    }

    /** A message from the destination: an error status closes the connection, for the writer to report. */
    private void onReply(RtmpClient c, Message m) throws IOException {
        if (m instanceof CommandMessage cmd && cmd.name().equals(CommandMessage.ON_STATUS)
                && cmd.infoField("level").orElse("").equals("error")) {
            closeReason = "destination refused: " + cmd.infoField("code").orElse("?");
            c.close();
            throw new IOException(closeReason);
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
