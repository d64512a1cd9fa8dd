package io.loomcast.gateway.transcode;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between the decoder thread and one encoder thread. The decoder never waits: when an
 * encoder cannot keep real time and {@code maxVideoFrames} pictures are waiting, the queue drops pictures up
 * to the next source keyframe (counted) rather than letting latency build. Audio and end-of-source items are
 * kept unless the queue holds {@code maxItems}, which only an encoder that has stopped making progress reaches.
 */
final class EncoderQueue {
    private final int maxVideoFrames;
    private final int maxItems;
    private final boolean lossless;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<WorkItem> items = new ArrayDeque<>();
    private int videoQueued;
    private boolean skippingToKeyframe;
    private boolean closed;
    private long dropped;
    private long dropBursts;

    /**
     * @param lossless wait for room instead of dropping: for offline work (a file, a benchmark), where the
     *                 input has no clock to keep up with and latency does not matter
     */
    EncoderQueue(int maxVideoFrames, int maxItems, boolean lossless) {
        this.maxVideoFrames = maxVideoFrames;
        this.maxItems = maxItems;
        this.lossless = lossless;
    }

    /** What became of an offered item; a new burst is logged once. */
    enum Outcome { QUEUED, DROPPED, DROPPED_NEW_BURST }

    /** Queues {@code item} or drops (and releases) it. */
    Outcome offer(WorkItem item) {
        lock.lock();
        try {
            if (closed) {
                item.release();
                return Outcome.DROPPED;
            }
            while (lossless && !closed && (items.size() >= maxItems
                    || (item instanceof WorkItem.Video && videoQueued >= maxVideoFrames))) {
                notFull.awaitUninterruptibly();
            }
            if (item instanceof WorkItem.Video v) {
                if (skippingToKeyframe && !v.keyframe()) {
                    return drop(item, false);
                }
                if (videoQueued >= maxVideoFrames) {
                    boolean newBurst = !skippingToKeyframe;
                    skippingToKeyframe = true;
                    return drop(item, newBurst);
                }
                skippingToKeyframe = false;
                videoQueued++;
            } else if (items.size() >= maxItems && !(item instanceof WorkItem.SourceEnded)) {
                return drop(item, false);
            }
            items.addLast(item);
            notEmpty.signal();
            return Outcome.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    private Outcome drop(WorkItem item, boolean newBurst) {
        item.release();
        dropped++;
        if (newBurst) {
            dropBursts++;
            return Outcome.DROPPED_NEW_BURST;
        }
        return Outcome.DROPPED;
    }

    /** The next item, waiting up to {@code timeout}; null on timeout or once closed. */
    WorkItem take(long timeout, TimeUnit unit) throws InterruptedException {
        lock.lock();
        try {
            long nanos = unit.toNanos(timeout);
            while (items.isEmpty() && !closed) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            WorkItem item = items.pollFirst();
            if (item instanceof WorkItem.Video) {
                videoQueued--;
            }
            notFull.signalAll();
            return item;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the queue and releases what is still in it; later offers are released at once. */
    void close() {
        lock.lock();
        try {
            closed = true;
            items.forEach(WorkItem::release);
            items.clear();
            videoQueued = 0;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    long dropBursts() {
        lock.lock();
        try {
            return dropBursts;
        } finally {
            lock.unlock();
        }
    }
}
