package io.loomcast.gateway.transcode;

import io.loomcast.gateway.hub.Delivery;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.hub.StreamNotice;
import io.loomcast.gateway.hub.SubscriberQueue;
import io.loomcast.gateway.hub.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Watches a rendition from inside the hub as a passive subscriber (like a push: it is no player, so it starts
 * nothing), counting what would show a restart: the source notices, and each track's sequence headers.
 */
final class RenditionWatch implements AutoCloseable {
    private static final QueueLimits NEVER_DROP = new QueueLimits(1L << 30, 3_600_000, Duration.ofHours(1));

    private final Subscription subscription;
    private final Thread drainer;
    private volatile int started;
    private volatile int ended;
    private volatile int videoHeaders;
    private volatile int videoFrames;
    private volatile int audioHeaders;
    private volatile int audioFrames;
    /** Whether the first picture after the sequence header was a keyframe; null before any. */
    private volatile Boolean videoStartedWithKeyframe;
    /** Whether the first audio message was a sequence header, as a player needs; null before any audio. */
    private volatile Boolean audioStartedWithHeader;

    RenditionWatch(StreamHub hub, String rendition) {
        subscription = hub.subscribePassive(rendition, "test watch", NEVER_DROP, SubscriberQueue.Listener.NONE);
        drainer = Thread.ofVirtual().name("watch " + rendition).start(this::drain);
    }

    private void drain() {
        try {
            for (List<Delivery> batch; (batch = subscription.queue().take(256, 100, TimeUnit.MILLISECONDS)) != null; ) {
                for (Delivery d : batch) {
                    switch (d) {
                        case Frame f when f.kind() == Frame.Kind.VIDEO -> {
                            if (f.config()) {
                                videoHeaders++;
                            } else {
                                if (videoStartedWithKeyframe == null) {
                                    videoStartedWithKeyframe = f.keyframe();
                                }
                                videoFrames++;
                            }
                        }
                        case Frame f when f.kind() == Frame.Kind.AUDIO -> {
                            if (audioStartedWithHeader == null) {
                                audioStartedWithHeader = f.config();
                            }
                            if (f.config()) {
                                audioHeaders++;
                            } else {
                                audioFrames++;
                            }
                        }
                        case Frame f -> { }
                        case StreamNotice n -> {
                            if (n == StreamNotice.SOURCE_STARTED) {
                                started++;
                            } else if (n == StreamNotice.SOURCE_ENDED) {
                                ended++;
                            }
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int started() {
        return started;
    }

    int ended() {
        return ended;
    }

    int videoHeaders() {
        return videoHeaders;
    }

    int videoFrames() {
        return videoFrames;
    }

    int audioHeaders() {
        return audioHeaders;
    }

    int audioFrames() {
        return audioFrames;
    }

    Boolean videoStartedWithKeyframe() {
        return videoStartedWithKeyframe;
    }

    Boolean audioStartedWithHeader() {
        return audioStartedWithHeader;
    }

    @Override
    public String toString() {
        return "started %d, ended %d, video %d headers + %d frames, audio %d headers + %d frames (first a header: %s)"
                .formatted(started, ended, videoHeaders, videoFrames, audioHeaders, audioFrames, audioStartedWithHeader);
    }

    @Override
    public void close() {
        subscription.close();
        drainer.interrupt();
    }
}
