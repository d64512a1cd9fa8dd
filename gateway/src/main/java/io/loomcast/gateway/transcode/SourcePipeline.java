package io.loomcast.gateway.transcode;

import io.loomcast.gateway.hub.Delivery;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.hub.StreamNotice;
import io.loomcast.gateway.hub.SubscriberQueue;
import io.loomcast.gateway.hub.Subscription;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transcodes one source stream into all of its profiles: it decodes once, on its own platform thread, and
 * hands every decoded frame (a reference, not a copy) to each profile's {@link RenditionWorker}. It is a
 * passive subscriber of the source in the hub, so a decoder that falls behind is shed by the hub's queue like
 * any slow subscriber.
 *
 * <p>Lifecycle: a new sequence header reopens the decoder (resolution or codec settings changed); the source
 * ending drains the decoders and the encoders, ends the renditions and frees every codec; the source coming
 * back starts them again from its sequence headers. A corrupt packet is counted and skipped.
 */
final class SourcePipeline {
    private static final Logger log = LoggerFactory.getLogger(SourcePipeline.class);

    private final String stream;
    private final List<RenditionWorker> workers;
    private final StreamHub hub;
    private final QueueLimits limits;
    private final TranscodeMetrics metrics;
    private final boolean exitWhenSourceEnds;
    private final Runnable onExit;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Subscription subscription;
    private final SourceDecoder decoder;

    SourcePipeline(String stream, List<RenditionWorker> workers, StreamHub hub, QueueLimits limits,
            TranscodeMetrics metrics, boolean exitWhenSourceEnds, Runnable onExit) {
        this.stream = stream;
        this.workers = List.copyOf(workers);
        this.hub = hub;
        this.limits = limits;
        this.metrics = metrics;
        this.exitWhenSourceEnds = exitWhenSourceEnds;
        this.onExit = onExit;
        this.decoder = new SourceDecoder(stream, workers, metrics);
        this.thread = Thread.ofPlatform().daemon().name("transcode-decode " + stream).unstarted(this::run);
    }

    void start() {
        subscription = hub.subscribePassive(stream, "transcode", limits, new SubscriberQueue.Listener() {
            @Override
            public void available() {}

            @Override
            public void burstStarted(String reason) {
                log.warn("transcode {}: the decoder fell behind the source, the hub skips to the next keyframe: {}",
                        stream, reason);
            }

            @Override
            public void closed(String reason) {
                log.warn("transcode {}: unsubscribed by the hub: {}", stream, reason);
            }
        });
        workers.forEach(RenditionWorker::start);
        thread.start();
        log.info("transcode {}: one decoder for {} profile(s): {}", stream, workers.size(),
                workers.stream().map(RenditionWorker::outName).toList());
    }

    void stop() {
        running = false;
        Subscription s = subscription;
        if (s != null) {
            s.close();
        }
        thread.interrupt();
    }

    /** Waits for the decoder and the encoders to finish; an encoder still busy after {@code millis} is stopped. */
    void awaitExit(long millis) throws InterruptedException {
        thread.join(millis);
        for (RenditionWorker w : workers) {
            w.awaitExit(millis);
            w.stop();
        }
    }

    private void run() {
        try {
            while (running) {
                List<Delivery> batch = subscription.queue().take(32, 250, TimeUnit.MILLISECONDS);
                if (batch == null) {
                    return; // unsubscribed (stop) or shed for being far behind
                }
                for (Delivery d : batch) {
                    switch (d) {
                        case Frame f -> decoder.frame(f);
                        case StreamNotice n -> {
                            if (n == StreamNotice.SOURCE_ENDED) {
                                decoder.sourceEnded();
                                if (exitWhenSourceEnds) {
                                    return;
                                }
                            }
                        }
                    }
                }
                if (!batch.isEmpty()) {
                    subscription.queue().progressed();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("transcode {}: decoder thread failed: {}", stream, e.toString(), e);
        } finally {
            subscription.close();
            decoder.closeDecoders();
            workers.forEach(RenditionWorker::finish);
            onExit.run();
        }
    }
}
