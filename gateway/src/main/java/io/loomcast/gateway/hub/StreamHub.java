package io.loomcast.gateway.hub;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every live stream by name. Streams appear when first published or subscribed and are forgotten when they
 * have neither source nor subscribers. Creation and removal go through the map's atomic compute, so a
 * stream is never forgotten while someone is joining it.
 */
public final class StreamHub {
    private final ConcurrentHashMap<String, Stream> streams = new ConcurrentHashMap<>();
    private final GopCacheLimits gopLimits;
    private final Duration unpublishGrace;
    private final java.util.concurrent.CopyOnWriteArrayList<HubListener> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Frames dropped for subscribers that have left, by {@link #subscriberKind}: with the live queues' own, a total that never goes back. */
    private final ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> leftDrops = new ConcurrentHashMap<>();

    /** A hub whose players hear at once that a publisher left. */
    public StreamHub(GopCacheLimits gopLimits) {
        this(gopLimits, Duration.ZERO);
    }

    /**
     * @param unpublishGrace how long a stream's subscribers hear nothing after its source left, so a source that
     *                       comes back within it continues the stream for them ({@code server.unpublishGrace})
     */
    public StreamHub(GopCacheLimits gopLimits, Duration unpublishGrace) {
        if (unpublishGrace.isNegative()) {
            throw new IllegalArgumentException("negative unpublish grace " + unpublishGrace);
        }
        this.gopLimits = gopLimits;
        this.unpublishGrace = unpublishGrace;
    }

    private void left(Subscription s) {
        leftDrops.computeIfAbsent(subscriberKind(s), k -> new java.util.concurrent.atomic.LongAdder())
                .add(s.queue().droppedFrames());
    }

    /** {@code push}, {@code transcode} or {@code player}, from who subscribed. */
    public static String subscriberKind(Subscription s) {
        return s.owner().startsWith("push ") ? "push" : s.owner().startsWith("transcode") ? "transcode" : "player";
    }

    /** Frames dropped for slow subscribers since start, by subscriber kind (present and past subscribers). */
    public java.util.Map<String, Long> droppedFramesByKind() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (String k : java.util.List.of("player", "push", "transcode")) {
            out.put(k, 0L);
        }
        leftDrops.forEach((k, v) -> out.merge(k, v.sum(), Long::sum));
        for (Stream st : streams.values()) {
            for (Subscription s : st.subscriptions()) {
                out.merge(subscriberKind(s), s.queue().droppedFrames(), Long::sum);
            }
        }
        return out;
    }

    public void addListener(HubListener l) {
        listeners.add(l);
    }

    public void removeListener(HubListener l) {
        listeners.remove(l);
    }

    /** Becomes the source of {@code name}, or empty when the stream already has a live source. */
    public Optional<Publication> publish(String name, String owner) {
        Publication[] out = new Publication[1];
        streams.compute(name, (k, s) -> {
            Stream stream = s != null ? s : newStream(k);
            out[0] = stream.publish(owner);
            return stream;
        });
        Publication p = out[0];
        if (p == null) {
            forgetIfIdle(name);
            return Optional.empty();
        }
        p.onClose(() -> {
            listeners.forEach(l -> l.sourceEnded(name));
            forgetIfIdle(name);
        });
        listeners.forEach(l -> l.sourceStarted(name));
        return Optional.of(p);
    }

    /**
     * Subscribes to {@code name}, creating it when nobody publishes yet: the player waits for a source.
     * A player counts as demand (an on-demand pull runs for it); use {@link #subscribePassive} for pushes.
     */
    public Subscription subscribe(String name, String owner, QueueLimits limits, SubscriberQueue.Listener listener) {
        return subscribe(name, owner, limits, listener, true, Stream.JoinAt.CACHED_KEYFRAME);
    }

    /** Subscribes a player from {@code at} on: a play2 switch starts at the next keyframe of the new stream. */
    public Subscription subscribe(String name, String owner, QueueLimits limits, SubscriberQueue.Listener listener,
            Stream.JoinAt at) {
        return subscribe(name, owner, limits, listener, true, at);
    }

    /** Subscribes without counting as demand: a push follows a stream but does not keep a pull running. */
    public Subscription subscribePassive(String name, String owner, QueueLimits limits,
            SubscriberQueue.Listener listener) {
        return subscribe(name, owner, limits, listener, false, Stream.JoinAt.CACHED_KEYFRAME);
    }

    private Subscription subscribe(String name, String owner, QueueLimits limits, SubscriberQueue.Listener listener,
            boolean demand, Stream.JoinAt at) {
        Subscription[] out = new Subscription[1];
        int[] demandNow = new int[1];
        streams.compute(name, (k, s) -> {
            Stream stream = s != null ? s : newStream(k);
            out[0] = stream.subscribe(owner, limits, listener, demand, at);
            demandNow[0] = stream.demand();
            return stream;
        });
        Subscription sub = out[0];
        sub.onClose(() -> {
            if (demand) {
                int left = find(name).map(Stream::demand).orElse(0);
                listeners.forEach(l -> l.demandChanged(name, left));
            }
            forgetIfIdle(name);
        });
        if (demand) {
            listeners.forEach(l -> l.demandChanged(name, demandNow[0]));
        }
        return sub;
    }

    /** Demand held on a stream without subscribing; {@link #close} releases it, once. */
    public interface DemandHold extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Counts as one player of {@code name} until closed, without receiving anything: a transcoder running a
     * rendition for players holds its source's demand, so an on-demand pull of that source runs for them.
     */
    public DemandHold holdDemand(String name) {
        int[] demandNow = new int[1];
        streams.compute(name, (k, s) -> {
            Stream stream = s != null ? s : newStream(k);
            stream.holdDemand(1);
            demandNow[0] = stream.demand();
            return stream;
        });
        listeners.forEach(l -> l.demandChanged(name, demandNow[0]));
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                int[] left = new int[1];
                streams.computeIfPresent(name, (k, s) -> {
                    s.holdDemand(-1);
                    left[0] = s.demand();
                    return s;
                });
                listeners.forEach(l -> l.demandChanged(name, left[0]));
                forgetIfIdle(name);
            }
        };
    }

    /**
     * Whether a player asking for {@code name} can expect media: it has a source, or lost it less than the grace
     * ago, or a listener starts it on demand (a rendition, an on-demand pull). play2 refuses other names.
     */
    public boolean known(String name) {
        Stream s = streams.get(name);
        if (s != null && (s.live() || s.inGrace())) {
            return true;
        }
        return listeners.stream().anyMatch(l -> l.startsOnDemand(name));
    }

    private Stream newStream(String name) {
        return new Stream(name, gopLimits, unpublishGrace, this::left);
    }

    private void forgetIfIdle(String name) {
        streams.computeIfPresent(name, (k, s) -> s.idle() ? null : s);
    }

    public Optional<Stream> find(String name) {
        return Optional.ofNullable(streams.get(name));
    }

    public List<Stream> streams() {
        return List.copyOf(streams.values());
    }
}
