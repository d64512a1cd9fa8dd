package io.loomcast.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.GopCacheLimits;
import io.loomcast.gateway.hub.Publication;
import io.loomcast.gateway.hub.StreamHub;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A stream's flusher is made when its first player on this server starts, while the publisher may be sending.
 * The stream calls the flusher from the publisher's thread as soon as it listens; a flusher that listened
 * before it had a thread failed that call, and the publisher's session ended with it (seen once in CI, when a
 * player of a rendition started). Here flushers come and go while a publisher pushes without pause.
 */
class StreamFlusherStartTest {
    private static final int FLUSHERS = 20_000;

    @Test
    void aFlusherStartingWhileFramesArriveNeverFailsThePublisher() throws Exception {
        StreamHub hub = new StreamHub(GopCacheLimits.OFF);
        Publication p = hub.publish("live/x", "pub").orElseThrow();
        FanOut counters = new FanOut(Duration.ZERO);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        byte[] payload = new byte[16];
        Thread publisher = Thread.ofPlatform().name("publisher").start(() -> {
            try {
                for (long ts = 0; !Thread.currentThread().isInterrupted(); ts++) {
                    p.push(Frame.Kind.AUDIO, ts, payload, false, false);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        int made = 0;
        try {
            for (; made < FLUSHERS && failure.get() == null; made++) {
                StreamFlusher f = new StreamFlusher(p.stream(), 0, Duration.ofMillis(10).toNanos(), counters);
                f.start();
                assertTrue(f.join(), "a new flusher takes players");
                assertTrue(f.leave(null), "and stops with its last one");
            }
        } finally {
            publisher.interrupt();
            publisher.join(10_000);
        }
        assertEquals(null, failure.get(), () -> "the publisher's thread failed after " + failure.get());
        assertEquals(FLUSHERS, made);
    }
}
