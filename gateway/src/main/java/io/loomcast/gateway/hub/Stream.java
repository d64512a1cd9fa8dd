package io.loomcast.gateway.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One live stream, {@code app/name}: at most one source at a time, any number of subscribers.
 *
 * <p>The source's thread calls {@link Publication#push}; the stream re-bases the timestamp onto its
 * {@link Timeline}, updates its caches (metadata, the latest sequence headers, the GOP cache) and offers the
 * frame to every subscriber's queue. Offers never block, so a slow subscriber cannot stall the source or
 * its siblings. The lock (never {@code synchronized}: JDK 21 pins virtual threads in monitors) makes a
 * subscriber's join atomic with respect to the frames: it gets the caches, then every later frame, once.
 */
public final class Stream {
    private final String name;
    private final GopCacheLimits gopLimits;
    private final ReentrantLock lock = new ReentrantLock();
    private final Timeline timeline = new Timeline();
    private final GopCache gop;
    /** Copy-on-write under the lock, so the push loop iterates a stable array. */
    private Subscription[] subscribers = new Subscription[0];
    private Publication source;
    private Frame metadata;
    private Frame videoConfig;
    private Frame audioConfig;
    /** Demand that is not a subscriber (a transcoder running renditions for players); changed under the lock. */
    private volatile int demandHolds;

    private final LongAdder framesIn = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder videoBytesIn = new LongAdder();
    private final LongAdder audioBytesIn = new LongAdder();
    private final LongAdder videoFramesIn = new LongAdder();
    /** What subscribers that left took and lost, so the stream's totals never go back when one leaves. */
    private final LongAdder leftBytesOut = new LongAdder();
    private final LongAdder leftDroppedFrames = new LongAdder();
    /** The latest video keyframe (for thumbnails), kept even when the GOP cache is off or over its bounds. */
    private volatile Frame lastKeyframe;
    /** Wall-clock ms when the current source started, 0 without one. */
    private volatile long sourceSinceMillis;

    /** Hears what a leaving subscriber dropped, for totals that outlive the stream. */
    private final java.util.function.Consumer<Subscription> onLeave;

    Stream(String name, GopCacheLimits gopLimits) {
        this(name, gopLimits, s -> { });
    }

    Stream(String name, GopCacheLimits gopLimits, java.util.function.Consumer<Subscription> onLeave) {
        this.onLeave = onLeave;
        this.name = name;
        this.gopLimits = gopLimits;
        this.gop = new GopCache(gopLimits);
    }

    public String name() {
        return name;
    }

    /** Makes {@code owner} the source, or returns null when another source is live (a second publisher). */
    Publication publish(String owner) {
        lock.lock();
        try {
            if (source != null) {
                return null;
            }
            source = new Publication(this, owner);
            sourceSinceMillis = System.currentTimeMillis();
            timeline.newSource();
            offerAll(StreamNotice.SOURCE_STARTED);
            return source;
        } finally {
            lock.unlock();
        }
    }

    void push(Publication from, Frame.Kind kind, long sourceTimestamp32, byte[] payload, boolean keyframe,
            boolean config) {
        lock.lock();
        try {
            if (from != source) {
                return;
            }
            Frame f = new Frame(kind, timeline.map(kind, sourceTimestamp32), payload, keyframe, config);
            framesIn.increment();
            bytesIn.add(payload.length);
            switch (kind) {
                case VIDEO -> {
                    videoBytesIn.add(payload.length);
                    if (!config) {
                        videoFramesIn.increment();
                        if (keyframe) {
                            lastKeyframe = f;
                        }
                    }
                }
                case AUDIO -> audioBytesIn.add(payload.length);
                case DATA -> { }
            }
            if (config) {
                switch (kind) {
                    case DATA -> metadata = f;
                    case VIDEO -> videoConfig = f;
                    case AUDIO -> audioConfig = f;
                }
            }
            gop.add(f);
            for (Subscription s : subscribers) {
                s.queue().offer(f);
            }
        } finally {
            lock.unlock();
        }
    }

    void unpublish(Publication from) {
        lock.lock();
        try {
            if (from != source) {
                return;
            }
            source = null;
            sourceSinceMillis = 0;
            lastKeyframe = null;
            metadata = null;
            videoConfig = null;
            audioConfig = null;
            gop.clear();
            offerAll(StreamNotice.SOURCE_ENDED);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a subscriber ({@code demand}: whether it counts towards {@link #demand()}). When a source is live it
     * first gets metadata and sequence headers, then the GOP cache; with none to start from it skips to the
     * next keyframe.
     */
    Subscription subscribe(String owner, QueueLimits limits, SubscriberQueue.Listener listener, boolean demand) {
        lock.lock();
        try {
            SubscriberQueue q = new SubscriberQueue(limits, System::nanoTime, listener);
            Subscription s = new Subscription(this, owner, q, demand);
            if (source != null) {
                for (Frame f : new Frame[] {metadata, videoConfig, audioConfig}) {
                    if (f != null) {
                        q.offer(f);
                    }
                }
                List<Frame> cached = gop.frames();
                if (cached.isEmpty()) {
                    q.awaitKeyframe();
                }
                cached.forEach(q::offer);
            }
            Subscription[] next = java.util.Arrays.copyOf(subscribers, subscribers.length + 1);
            next[subscribers.length] = s;
            subscribers = next;
            return s;
        } finally {
            lock.unlock();
        }
    }

    void unsubscribe(Subscription s) {
        lock.lock();
        try {
            List<Subscription> next = new ArrayList<>(List.of(subscribers));
            if (next.remove(s)) {
                subscribers = next.toArray(new Subscription[0]);
                leftBytesOut.add(s.queue().takenBytes());
                leftDroppedFrames.add(s.queue().droppedFrames());
                onLeave.accept(s);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Adds {@code delta} (+1 or -1) to the demand held without a subscription. */
    void holdDemand(int delta) {
        lock.lock();
        try {
            demandHolds += delta;
        } finally {
            lock.unlock();
        }
    }

    private void offerAll(Delivery d) {
        for (Subscription s : subscribers) {
            s.queue().offer(d);
        }
    }

    /** No source and no subscribers: the hub may forget the stream. */
    boolean idle() {
        lock.lock();
        try {
            return source == null && subscribers.length == 0 && demandHolds == 0;
        } finally {
            lock.unlock();
        }
    }

    public boolean live() {
        lock.lock();
        try {
            return source != null;
        } finally {
            lock.unlock();
        }
    }

    public int subscriberCount() {
        return subscribers.length;
    }

    /** The current subscribers, a snapshot: each one's queue depth and drops, for metrics and tests. */
    public List<Subscription> subscriptions() {
        lock.lock();
        try {
            return List.of(subscribers);
        } finally {
            lock.unlock();
        }
    }

    /** Subscribers that count as demand (players, not pushes or transcoders), plus held demand. */
    public int demand() {
        int n = demandHolds;
        for (Subscription s : subscribers) {
            if (s.demand()) {
                n++;
            }
        }
        return n;
    }

    public long framesIn() {
        return framesIn.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long videoBytesIn() {
        return videoBytesIn.sum();
    }

    public long audioBytesIn() {
        return audioBytesIn.sum();
    }

    /** Coded video frames received (sequence headers not counted). */
    public long videoFramesIn() {
        return videoFramesIn.sum();
    }

    /** Bytes every subscriber, present and past, took from its queue to send. */
    public long bytesOut() {
        long n = leftBytesOut.sum();
        for (Subscription s : subscribers) {
            n += s.queue().takenBytes();
        }
        return n;
    }

    /** Frames dropped for slow subscribers, present and past. */
    public long droppedFrames() {
        long n = leftDroppedFrames.sum();
        for (Subscription s : subscribers) {
            n += s.queue().droppedFrames();
        }
        return n;
    }

    /** Subscribers that count as players (not pushes or transcoders). */
    public int players() {
        int n = 0;
        for (Subscription s : subscribers) {
            if (s.demand()) {
                n++;
            }
        }
        return n;
    }

    /** The latest video keyframe of the current source, if it sent one. */
    public java.util.Optional<Frame> lastKeyframe() {
        return java.util.Optional.ofNullable(lastKeyframe);
    }

    /** The current source's sequence headers and metadata, for codec details; null where it sent none. */
    public record Headers(Frame metadata, Frame video, Frame audio) {}

    public Headers headers() {
        lock.lock();
        try {
            return new Headers(metadata, videoConfig, audioConfig);
        } finally {
            lock.unlock();
        }
    }

    /** Who feeds the stream now (a connection name or {@code pull URL}, redacted), or empty. */
    public java.util.Optional<String> sourceOwner() {
        lock.lock();
        try {
            return source == null ? java.util.Optional.empty() : java.util.Optional.of(source.owner());
        } finally {
            lock.unlock();
        }
    }

    /** Wall-clock ms since the epoch when the current source started, or 0 when there is none. */
    public long sourceSinceMillis() {
        return sourceSinceMillis;
    }

    public GopCacheLimits gopLimits() {
        return gopLimits;
    }

    @Override
    public String toString() {
        return "Stream[" + name + "]";
    }
}
