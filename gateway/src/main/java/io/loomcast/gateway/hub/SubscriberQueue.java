package io.loomcast.gateway.hub;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * One subscriber's bounded queue: the publisher's thread offers without ever blocking, the subscriber's
 * writer thread takes in batches for a gathering write.
 *
 * <p>Over its byte or duration bound the queue sheds (DESIGN.md, "Backpressure"): when the stream has video
 * it drops every queued frame but sequence headers and metadata and then skips to the next keyframe, so the
 * subscriber resumes on a picture it can decode; audio-only, it drops the oldest audio. Drops are counted;
 * each burst is reported once through {@link Listener}. A subscriber that makes no progress for
 * {@link QueueLimits#stallTimeout()} with data waiting is closed with a reason.
 *
 * <p>Where it starts and starts again (a late joiner, a seek, a new source, a play2 switch) its {@link
 * KeyframeGate} decides: at a keyframe, the sequence headers held for it and stamped with its time.
 *
 * <p>A ReentrantLock, not {@code synchronized}: on JDK 21 a virtual thread blocked in a monitor pins its carrier.
 */
public final class SubscriberQueue {

    /**
     * Hears from the queue outside its lock: that something can be taken (wake the writer), once at the
     * start of each burst of drops, and when the queue closes itself.
     */
    public interface Listener {
        /** Hears nothing: for a subscriber that polls its queue with a timeout. */
        Listener NONE = new Listener() {};

        default void available() {}

        default void burstStarted(String reason) {}

        default void closed(String reason) {}
    }

    private final QueueLimits limits;
    private final LongSupplier nanoClock;
    private final Listener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition nonEmpty = lock.newCondition();
    private final ArrayDeque<Delivery> items = new ArrayDeque<>();
    private final KeyframeGate gate = new KeyframeGate();

    private long queuedBytes;
    private boolean inBurst;
    private String closedReason;
    private long lastProgressNanos;
    /** When the queue last went from empty to holding something: data has been waiting since then. */
    private long waitingSinceNanos;

    private final LongAdder droppedFrames = new LongAdder();
    private final LongAdder droppedBytes = new LongAdder();
    private final LongAdder dropBursts = new LongAdder();
    private final LongAdder takenBytes = new LongAdder();

    public SubscriberQueue(QueueLimits limits, LongSupplier nanoClock, Listener listener) {
        this.limits = limits;
        this.nanoClock = nanoClock;
        this.listener = listener;
        this.lastProgressNanos = nanoClock.getAsLong();
    }

    /** Skips to the next keyframe (receiveVideo turned back on). */
    public void awaitKeyframe() {
        lock.lock();
        try {
            gate.awaitKeyframe();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts the queue over at a keyframe, dropping the frames it holds but keeping notices in order: a new
     * subscriber, or one that seeks or resumes from pause. With {@code gop} (the stream's frames since its latest
     * keyframe) the {@code headers} go first, stamped with that keyframe's timestamp, then the GOP. Without one the
     * headers are held and go out just before the next keyframe, with its timestamp. The stream calls this under
     * its lock, so no frame of the source slips in between.
     */
    void start(List<Frame> headers, List<Frame> gop) {
        lock.lock();
        try {
            items.removeIf(Frame.class::isInstance);
            queuedBytes = 0;
            inBurst = false;
            gate.restart(headers, gop.isEmpty(), false);
        } finally {
            lock.unlock();
        }
        if (!gop.isEmpty()) {
            long keyframeMs = gop.getFirst().timestampMs();
            for (Frame h : headers) {
                offer(h.at(keyframeMs));
            }
            gop.forEach(this::offer);
        }
    }

    /**
     * Starts the queue at the source's next keyframe, with {@code headers} held for it: a play2 switch, which
     * keeps the old stream until then. {@code expectVideo}: wait for a picture even while only audio comes (a
     * rendition whose encoder has not produced its first picture yet); otherwise, for an audio-only stream,
     * the next frame of any kind is the start.
     */
    void startAtNextKeyframe(List<Frame> headers, boolean expectVideo) {
        lock.lock();
        try {
            items.removeIf(Frame.class::isInstance);
            queuedBytes = 0;
            inBurst = false;
            gate.restart(headers, true, expectVideo);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A new source starts feeding the stream: its video starts at its first keyframe (a pull may join its
     * upstream mid-GOP), and its sequence headers are held for the first frame that goes out. Its audio is
     * not held back, nor is an audio-only source: whether it has video is learned afresh. A queue still waiting
     * for a switch point keeps waiting for a picture.
     */
    void newSource() {
        lock.lock();
        try {
            gate.newSource();
        } finally {
            lock.unlock();
        }
    }

    /** Queues {@code d} or drops it by the rules above; never blocks on the consumer. */
    public void offer(Delivery d) {
        String closeReason = null;
        String burstReason = null;
        lock.lock();
        try {
            if (closedReason != null) {
                return;
            }
            long now = nanoClock.getAsLong();
            if (items.isEmpty()) {
                waitingSinceNanos = now;
            }
            if (d instanceof Frame f) {
                switch (gate.admit(f)) {
                    case HOLD -> {
                        return;
                    }
                    case DROP -> {
                        countDrop(f, false);
                        return;
                    }
                    case OPEN -> inBurst = false;
                    case PASS -> { }
                }
                gate.release(f.timestampMs(), this::enqueue);
                items.addLast(f);
                queuedBytes += f.sizeBytes();
                if (overLimit()) {
                    burstReason = shed();
                }
                // A stall is time with data waiting and no progress: a subscriber that drained everything and
                // then had nothing to do (a source that paused, or had not started yet) is not behind.
                long stalledSince = Math.max(lastProgressNanos, waitingSinceNanos);
                if (!items.isEmpty() && now - stalledSince > limits.stallTimeout().toNanos()) {
                    closeReason = "no progress for %d ms with %d bytes queued".formatted(
                            limits.stallTimeout().toMillis(), queuedBytes);
                    closeLocked(closeReason);
                }
            } else {
                items.addLast(d);
            }
            nonEmpty.signal();
        } finally {
            lock.unlock();
        }
        listener.available();
        if (burstReason != null) {
            listener.burstStarted(burstReason);
        }
        if (closeReason != null) {
            listener.closed(closeReason);
        }
    }

    private boolean overLimit() {
        return queuedBytes > limits.maxBytes() || spanMs() > limits.maxDurationMs();
    }

    private long spanMs() {
        Frame first = null;
        Frame last = null;
        for (Delivery d : items) {
            if (d instanceof Frame f && !f.config()) {
                first = f;
                break;
            }
        }
        Iterator<Delivery> it = items.descendingIterator();
        while (it.hasNext()) {
            if (it.next() instanceof Frame f && !f.config()) {
                last = f;
                break;
            }
        }
        return first == null ? 0 : last.timestampMs() - first.timestampMs();
    }

    /** Queues a released header under the lock. */
    private void enqueue(Frame f) {
        items.addLast(f);
        queuedBytes += f.sizeBytes();
    }

    /** Sheds under the lock; returns a reason when this starts a new burst. */
    private String shed() {
        String reason = "queue over limit (%d bytes, %d ms queued; limits %d bytes, %d ms)".formatted(
                queuedBytes, spanMs(), limits.maxBytes(), limits.maxDurationMs());
        if (gate.sawVideo()) {
            // Keep what a decoder needs to restart (sequence headers, metadata) and notices; skip to a keyframe.
            items.removeIf(d -> d instanceof Frame f && !f.config() && countDrop(f, true));
            gate.awaitKeyframe();
        } else {
            // Audio only: the oldest audio goes first; sequence headers and notices stay.
            Iterator<Delivery> it = items.iterator();
            while (overLimit() && it.hasNext()) {
                if (it.next() instanceof Frame f && !f.config()) {
                    it.remove();
                    countDrop(f, true);
                }
            }
        }
        if (inBurst) {
            return null;
        }
        inBurst = true;
        dropBursts.increment();
        return reason;
    }

    /** Counts a dropped frame; {@code wasQueued} when it leaves the queue rather than never entering it. */
    private boolean countDrop(Frame f, boolean wasQueued) {
        droppedFrames.increment();
        droppedBytes.add(f.sizeBytes());
        if (wasQueued) {
            queuedBytes -= f.sizeBytes();
        }
        return true;
    }

    /**
     * Waits up to {@code timeout} for at least one delivery, then takes up to {@code maxItems} of them.
     * Returns an empty list on timeout, and null once the queue is closed and drained.
     */
    public List<Delivery> take(int maxItems, long timeout, TimeUnit unit) throws InterruptedException {
        lock.lock();
        try {
            long waitNanos = unit.toNanos(timeout);
            while (items.isEmpty()) {
                if (closedReason != null) {
                    return null;
                }
                if (waitNanos <= 0) {
                    return List.of();
                }
                waitNanos = nonEmpty.awaitNanos(waitNanos);
            }
            List<Delivery> out = new ArrayList<>(Math.min(maxItems, items.size()));
            poll(out, maxItems);
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves up to {@code maxItems} deliveries into {@code into} without waiting or allocating: the fan-out
     * writers' form of {@link #take}. Returns how many were moved, or -1 once the queue is closed and drained.
     */
    public int poll(List<Delivery> into, int maxItems) {
        lock.lock();
        try {
            if (items.isEmpty()) {
                return closedReason != null ? -1 : 0;
            }
            int n = 0;
            while (n < maxItems && !items.isEmpty()) {
                Delivery d = items.pollFirst();
                if (d instanceof Frame f) {
                    queuedBytes -= f.sizeBytes();
                    takenBytes.add(f.sizeBytes());
                }
                into.add(d);
                n++;
            }
            if (items.isEmpty()) {
                // An audio-only queue that awaits a keyframe is not in a burst: it drops nothing for it.
                inBurst = gate.waiting() && gate.sawVideo();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** The writer finished writing what it took: the subscriber is keeping up this far. */
    public void progressed() {
        lock.lock();
        try {
            lastProgressNanos = nanoClock.getAsLong();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the queue: later offers are ignored, and the consumer gets null once it has drained. */
    public void close(String reason) {
        lock.lock();
        try {
            closeLocked(reason);
        } finally {
            lock.unlock();
        }
    }

    private void closeLocked(String reason) {
        if (closedReason == null) {
            closedReason = reason;
            nonEmpty.signalAll();
        }
    }

    /** Whether a non-blocking {@link #take} would return something (or null, once closed and drained). */
    public boolean ready() {
        lock.lock();
        try {
            return !items.isEmpty() || closedReason != null;
        } finally {
            lock.unlock();
        }
    }

    /** Why the queue closed, or null while open. */
    public String closedReason() {
        lock.lock();
        try {
            return closedReason;
        } finally {
            lock.unlock();
        }
    }

    public long queuedBytes() {
        lock.lock();
        try {
            return queuedBytes;
        } finally {
            lock.unlock();
        }
    }

    public long droppedFrames() {
        return droppedFrames.sum();
    }

    /** Bytes of frames the subscriber took to send: what it got of the stream. */
    public long takenBytes() {
        return takenBytes.sum();
    }

    public long droppedBytes() {
        return droppedBytes.sum();
    }

    public long dropBursts() {
        return dropBursts.sum();
    }
}
