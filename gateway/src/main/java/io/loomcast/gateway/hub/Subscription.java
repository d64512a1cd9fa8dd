package io.loomcast.gateway.hub;

/**
 * A subscriber's handle: its bounded queue, drained by the subscriber's own writer thread. Players, pushes
 * and transcoders all subscribe the same way.
 */
public final class Subscription implements AutoCloseable {
    private final Stream stream;
    private final String owner;
    private final SubscriberQueue queue;
    private final boolean demand;
    private volatile boolean closed;
    private Runnable onClose = () -> {};

    Subscription(Stream stream, String owner, SubscriberQueue queue, boolean demand) {
        this.stream = stream;
        this.owner = owner;
        this.queue = queue;
        this.demand = demand;
    }

    /** Whether this subscriber counts as demand for the stream (players do, pushes do not). */
    public boolean demand() {
        return demand;
    }

    public Stream stream() {
        return stream;
    }

    public String owner() {
        return owner;
    }

    public SubscriberQueue queue() {
        return queue;
    }

    /**
     * Starts over at the newest keyframe the stream holds, with the sequence headers first, dropping what the
     * queue piled up: a live seek, or the end of a pause.
     */
    public void rejoin() {
        if (!closed) {
            stream.rejoin(this);
        }
    }

    void onClose(Runnable r) {
        this.onClose = r;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            queue.close("unsubscribed");
            stream.unsubscribe(this);
            onClose.run();
        }
    }
}
