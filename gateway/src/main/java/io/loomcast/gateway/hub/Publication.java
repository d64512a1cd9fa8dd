package io.loomcast.gateway.hub;

/**
 * A source's handle on the stream it feeds: a local publisher or an upstream pull. Only the current
 * source's frames are taken; after {@link #close()} (or once replaced) pushes are ignored.
 */
public final class Publication implements AutoCloseable {
    private final Stream stream;
    private final String owner;
    private volatile boolean closed;
    private Runnable onClose = () -> {};

    Publication(Stream stream, String owner) {
        this.stream = stream;
        this.owner = owner;
    }

    public Stream stream() {
        return stream;
    }

    /** Who publishes, for logs (a connection id or an upstream URL, already redacted). */
    public String owner() {
        return owner;
    }

    /**
     * Hands one message to the stream. {@code sourceTimestamp32} is the source's own RTMP timestamp; the
     * stream maps it onto its timeline.
     */
    public void push(Frame.Kind kind, long sourceTimestamp32, byte[] payload, boolean keyframe, boolean config) {
        if (!closed) {
            stream.push(this, kind, sourceTimestamp32, payload, keyframe, config);
        }
    }

    void onClose(Runnable r) {
        this.onClose = r;
    }

    /** Stops publishing; the stream's subscribers hear of it once the unpublish grace has run out. */
    @Override
    public void close() {
        close(true);
    }

    /**
     * Stops publishing and tells the subscribers at once, without the unpublish grace: for a source that only
     * relays another stream which has already had its grace (a rendition whose source is gone for good).
     */
    public void end() {
        close(false);
    }

    private void close(boolean grace) {
        if (!closed) {
            closed = true;
            stream.unpublish(this, grace);
            onClose.run();
        }
    }
}
