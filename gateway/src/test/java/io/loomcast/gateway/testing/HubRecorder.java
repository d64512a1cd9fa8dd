package io.loomcast.gateway.testing;

import io.loomcast.gateway.hub.Delivery;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.hub.StreamNotice;
import io.loomcast.gateway.hub.SubscriberQueue;
import io.loomcast.gateway.hub.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference of what a stream carried: a subscriber inside the hub, with a queue too large to ever drop,
 * recording every audio and video frame and every source notice. Subscribed before the publisher starts,
 * it sees exactly what the gateway received, with no socket in between; players are compared with it.
 */
public final class HubRecorder implements AutoCloseable {
    private static final QueueLimits NEVER_DROP = new QueueLimits(1L << 30, 3_600_000, Duration.ofHours(1));

    private final Subscription subscription;
    private final Thread drainer;
    private final Recorded recorded = new Recorded();

    private HubRecorder(StreamHub hub, String streamPath, boolean demand) {
        SubscriberQueue.Listener listener = new SubscriberQueue.Listener() {
            @Override
            public void available() { }

            @Override
            public void burstStarted(String reason) {
                recorded.note("DROPPED: " + reason);
            }

            @Override
            public void closed(String reason) { }
        };
        this.subscription = demand ? hub.subscribe(streamPath, "it-reference", NEVER_DROP, listener)
                : hub.subscribePassive(streamPath, "it-reference", NEVER_DROP, listener);
        this.drainer = Thread.ofVirtual().name("hub-recorder-" + streamPath).start(this::drain);
    }

    public static HubRecorder subscribe(StreamHub hub, String streamPath) {
        return new HubRecorder(hub, streamPath, true);
    }

    /** The same without counting as a player (like a push): it starts no on-demand pull or rendition. */
    public static HubRecorder subscribePassive(StreamHub hub, String streamPath) {
        return new HubRecorder(hub, streamPath, false);
    }

    private void drain() {
        try {
            while (true) {
                List<Delivery> batch = subscription.queue().take(256, 100, TimeUnit.MILLISECONDS);
                if (batch == null) {
                    return;
                }
                for (Delivery d : batch) {
                    switch (d) {
                        case Frame f when f.kind() != Frame.Kind.DATA -> recorded.add(MediaFrame.of(f.kind(),
                                f.timestampMs(), f.payload(), System.nanoTime()));
                        case Frame f -> { }
                        case StreamNotice n -> recorded.note(n.name());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Recorded recorded() {
        return recorded;
    }

    /** Frames so far. */
    public List<MediaFrame> frames() {
        return recorded.frames();
    }

    /** Waits until the source has ended {@code times} times (SOURCE_ENDED notices). */
    public void awaitSourceEnded(int times, Duration timeout) {
        recorded.await(r -> r.notes().stream().filter(StreamNotice.SOURCE_ENDED.name()::equals).count() >= times,
                timeout, "source ended " + times + " time(s) in the hub recorder");
    }

    @Override
    public void close() {
        subscription.close();
        drainer.interrupt();
    }

    /** Frames and notes, with waiting on a condition over them. */
    public static final class Recorded extends Observed<Recorded> {
        private final List<MediaFrame> frames = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        void add(MediaFrame f) {
            update(() -> frames.add(f));
        }

        void note(String n) {
            update(() -> notes.add(n));
        }

        public List<MediaFrame> frames() {
            return read(() -> List.copyOf(frames));
        }

        public List<String> notes() {
            return read(() -> List.copyOf(notes));
        }
    }
}
