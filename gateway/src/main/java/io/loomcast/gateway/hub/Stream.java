package io.loomcast.gateway.hub;

import java.time.Duration;
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
 *
 * <p>When the source leaves, the stream waits {@code unpublishGrace} before it tells its subscribers
 * ({@link StreamNotice#SOURCE_ENDED}). A source that starts within the grace continues the timeline as any new
 * source does, and the subscribers hear nothing: they get its sequence headers, then its first keyframe.
 * Encoders reconnect after a network blip, and players such as ffmpeg, rtmpdump and GStreamer end their
 * session at NetStream.Play.UnpublishNotify.
 */
public final class Stream {
    /**
     * Hears once for each frame or notice offered to the subscribers, after the offers and outside the lock:
     * the wake-up of a writer that serves many subscribers at once, instead of one wake-up per subscriber.
     */
    public interface DeliveryListener {
        void delivered();
    }

    /** Where a new subscriber starts. */
    public enum JoinAt {
        /** At the cached GOP's keyframe, so a player shows a picture at once: players, pushes, transcoders. */
        CACHED_KEYFRAME,
        /** At the next keyframe the source sends: a play2 switch, which keeps the old stream until then. */
        NEXT_KEYFRAME
    }

    private final String name;
    private final GopCacheLimits gopLimits;
    private final long unpublishGraceMs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Timeline timeline = new Timeline();
    private final GopCache gop;
    /** Direct memory for the wire forms of this stream's frames. */
    private final DirectSlab slab = new DirectSlab();
    /** Copy-on-write under the lock, so the push loop iterates a stable array. */
    private Subscription[] subscribers = new Subscription[0];
    private Publication source;
    private Frame metadata;
    private Frame videoConfig;
    private Frame audioConfig;
    /** Demand that is not a subscriber (a transcoder running renditions for players); changed under the lock. */
    private volatile int demandHolds;
    /** The source left and its subscribers have not been told yet; under the lock. */
    private boolean inGrace;
    /** Bumped by every publish and unpublish, so a grace timer that lost its race does nothing. */
    private long graceGeneration;

    private final java.util.concurrent.CopyOnWriteArrayList<DeliveryListener> deliveryListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

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
        this(name, gopLimits, Duration.ZERO, s -> { });
    }

    Stream(String name, GopCacheLimits gopLimits, Duration unpublishGrace,
            java.util.function.Consumer<Subscription> onLeave) {
        this.onLeave = onLeave;
        this.name = name;
        this.gopLimits = gopLimits;
        this.unpublishGraceMs = unpublishGrace.toMillis();
        this.gop = new GopCache(gopLimits);
    }

    public String name() {
        return name;
    }

    /** Makes {@code owner} the source, or returns null when another source is live (a second publisher). */
    Publication publish(String owner) {
        Publication p;
        lock.lock();
        try {
            if (source != null) {
                return null;
            }
            p = new Publication(this, owner);
            source = p;
            sourceSinceMillis = System.currentTimeMillis();
            timeline.newSource();
            graceGeneration++;
            if (inGrace) {
                inGrace = false; // back within the grace: the subscribers never knew it was gone
            } else {
                offerAll(StreamNotice.SOURCE_STARTED);
            }
            for (Subscription s : subscribers) {
                s.queue().newSource();
            }
        } finally {
            lock.unlock();
        }
        notifyDelivered();
        return p;
    }

    void push(Publication from, Frame.Kind kind, long sourceTimestamp32, byte[] payload, boolean keyframe,
            boolean config) {
        lock.lock();
        try {
            if (from != source) {
                return;
            }
            Frame f = new Frame(kind, timeline.map(kind, sourceTimestamp32), payload, keyframe, config, slab);
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
        notifyDelivered();
    }

    private void notifyDelivered() {
        for (DeliveryListener l : deliveryListeners) {
            l.delivered();
        }
    }

    public void addDeliveryListener(DeliveryListener l) {
        deliveryListeners.add(l);
    }

    public void removeDeliveryListener(DeliveryListener l) {
        deliveryListeners.remove(l);
    }

    void unpublish(Publication from, boolean grace) {
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
            long generation = ++graceGeneration;
            if (!grace || unpublishGraceMs <= 0) {
                offerAll(StreamNotice.SOURCE_ENDED);
            } else {
                inGrace = true;
                Thread.ofVirtual().name("unpublish grace " + name).start(() -> endGrace(generation));
            }
        } finally {
            lock.unlock();
        }
        notifyDelivered();
    }

    /** Runs on its own virtual thread: after the grace, tells the subscribers, unless a source came back. */
    private void endGrace(long generation) {
        try {
            Thread.sleep(unpublishGraceMs);
        } catch (InterruptedException e) {
            return;
        }
        lock.lock();
        try {
            if (inGrace && generation == graceGeneration) {
                inGrace = false;
                offerAll(StreamNotice.SOURCE_ENDED);
            }
        } finally {
            lock.unlock();
        }
        notifyDelivered();
    }

    /**
     * Adds a subscriber ({@code demand}: whether it counts towards {@link #demand()}). When a source is live it
     * first gets metadata and sequence headers, stamped with the time of the keyframe they precede: the GOP
     * cache's ({@link JoinAt#CACHED_KEYFRAME}, when there is one) or the next one the source sends.
     */
    Subscription subscribe(String owner, QueueLimits limits, SubscriberQueue.Listener listener, boolean demand,
            JoinAt at) {
        lock.lock();
        try {
            SubscriberQueue q = new SubscriberQueue(limits, System::nanoTime, listener);
            Subscription s = new Subscription(this, owner, q, demand);
            if (at == JoinAt.NEXT_KEYFRAME) {
                // A stream with audio and no video header is audio only: its next frame is the switch point.
                q.startAtNextKeyframe(cachedHeaders(), source == null || videoConfig != null || audioConfig == null);
            } else if (source != null) {
                q.start(cachedHeaders(), gop.frames());
            }
            Subscription[] next = java.util.Arrays.copyOf(subscribers, subscribers.length + 1);
            next[subscribers.length] = s;
            subscribers = next;
            return s;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts {@code s} over at the newest keyframe the stream holds, as a new subscriber would, dropping what
     * its queue had piled up (a seek, or the end of a pause). With no source, it only drops the backlog.
     */
    void rejoin(Subscription s) {
        lock.lock();
        try {
            if (source != null) {
                s.queue().start(cachedHeaders(), gop.frames());
            } else {
                s.queue().start(List.of(), List.of());
                s.queue().newSource();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The cached metadata and sequence headers, in the order players expect them. Under the lock. */
    private List<Frame> cachedHeaders() {
        List<Frame> out = new ArrayList<>(3);
        for (Frame f : new Frame[] {metadata, videoConfig, audioConfig}) {
            if (f != null) {
                out.add(f);
            }
        }
        return out;
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

    /** The source left less than the unpublish grace ago: its subscribers have not been told, one may come back. */
    public boolean inGrace() {
        lock.lock();
        try {
            return inGrace;
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
