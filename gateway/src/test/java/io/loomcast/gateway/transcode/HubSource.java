package io.loomcast.gateway.transcode;

import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.Publication;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.media.FlvReader;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Publishes FLV tags into the hub as a source paced in real time by their timestamps, on its own thread. */
final class HubSource implements AutoCloseable {
    private final Publication publication;
    private final Thread thread;
    private volatile boolean done;

    HubSource(StreamHub hub, String stream, List<FlvReader.Tag> tags) {
        publication = hub.publish(stream, "test source").orElseThrow();
        thread = Thread.ofVirtual().name("test source " + stream).start(() -> {
            long start = System.nanoTime();
            try {
                for (FlvReader.Tag t : tags) {
                    long wait = start + t.timestampMs() * 1_000_000 - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait); // pacing to the media clock
                    }
                    Frame f = OfflineTranscode.frameOf(t);
                    if (f != null) {
                        publication.push(f.kind(), f.timestampMs(), f.payload(), f.keyframe(), f.config());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                done = true;
            }
        });
    }

    /** Whether every tag has been sent (the source is still live until closed). */
    boolean done() {
        return done;
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join();
        publication.close();
    }
}
