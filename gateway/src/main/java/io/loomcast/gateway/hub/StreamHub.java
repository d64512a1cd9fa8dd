package io.loomcast.gateway.hub;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every live stream by name. Streams appear when first published or subscribed and are forgotten when they
 * have neither source nor subscribers. Creation and removal go through the map's atomic compute, so a
 * stream is never forgotten while someone is joining it.
 */
public final class StreamHub {
    private final ConcurrentHashMap<String, Stream> streams = new ConcurrentHashMap<>();
    private final GopCacheLimits gopLimits;

    public StreamHub(GopCacheLimits gopLimits) {
        this.gopLimits = gopLimits;
    }

    /** Becomes the source of {@code name}, or empty when the stream already has a live source. */
    public Optional<Publication> publish(String name, String owner) {
        Publication[] out = new Publication[1];
        streams.compute(name, (k, s) -> {
            Stream stream = s != null ? s : new Stream(k, gopLimits);
            out[0] = stream.publish(owner);
            return stream;
        });
        Publication p = out[0];
        if (p == null) {
            forgetIfIdle(name);
            return Optional.empty();
        }
        p.onClose(() -> forgetIfIdle(name));
        return Optional.of(p);
    }

    /** Subscribes to {@code name}, creating it when nobody publishes yet: the player waits for a source. */
    public Subscription subscribe(String name, String owner, QueueLimits limits, SubscriberQueue.Listener listener) {
        Subscription[] out = new Subscription[1];
        streams.compute(name, (k, s) -> {
            Stream stream = s != null ? s : new Stream(k, gopLimits);
            out[0] = stream.subscribe(owner, limits, listener);
            return stream;
        });
        out[0].onClose(() -> forgetIfIdle(name));
        return out[0];
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
