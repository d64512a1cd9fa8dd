package io.loomcast.gateway.api;

import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.Stream;
import io.loomcast.gateway.transcode.Thumbnails;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Thumbnails on demand: a stream's latest keyframe is decoded only when someone asks for its picture, and at
 * most once per {@link #MIN_INTERVAL} per stream; requests in between get the last picture. Nobody looking means
 * no decoding at all. Entries of streams that ended are dropped on the next request.
 */
final class ThumbnailCache implements AutoCloseable {
    /** The dashboard asks every few seconds; one decode per stream in this time, whoever asks. */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(3);
    static final int MAX_WIDTH = 320;
    private static final long WAIT_SECONDS = 10;

    private record Entry(long decodedNanos, Frame keyframe, CompletableFuture<byte[]> jpeg) {}

    private final Thumbnails thumbnails;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    ThumbnailCache(Thumbnails thumbnails) {
        this.thumbnails = thumbnails;
    }

    /**
     * The JPEG of {@code stream}'s latest keyframe.
     *
     * @throws ApiException 404 when the stream has no keyframe to show, 500 when it does not decode
     */
    byte[] jpeg(Stream stream) {
        Frame key = stream.lastKeyframe().orElseThrow(() -> ApiException.notFound(stream.name()
                + " has no keyframe to show yet"));
        Frame header = stream.headers().video();
        if (header == null) {
            throw ApiException.notFound(stream.name() + " has no video sequence header");
        }
        long now = System.nanoTime();
        Entry e = entries.compute(stream.name(), (k, old) -> {
            // A failed decode is not retried sooner than a good one would be: a broken stream costs no more.
            boolean fresh = old != null && (now - old.decodedNanos() < MIN_INTERVAL.toNanos()
                    || old.keyframe() == key && !old.jpeg().isCompletedExceptionally());
            if (fresh) {
                return old;
            }
            return new Entry(now, key, thumbnails.jpeg(header.payload(), key.payload(), MAX_WIDTH));
        });
        try {
            return e.jpeg().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted");
        } catch (ExecutionException | TimeoutException ex) {
            Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            throw new ApiException(500, "no thumbnail of " + stream.name() + ": " + cause.getMessage());
        }
    }

    /** Forgets streams that are no longer in {@code live}. */
    void retain(java.util.Set<String> live) {
        entries.keySet().retainAll(live);
    }

    @Override
    public void close() {
        thumbnails.close();
    }
}
