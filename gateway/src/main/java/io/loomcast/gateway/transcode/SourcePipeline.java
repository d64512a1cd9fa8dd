package io.loomcast.gateway.transcode;

import io.loomcast.gateway.config.TranscodeProfile;
import io.loomcast.gateway.hub.Delivery;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.hub.StreamNotice;
import io.loomcast.gateway.hub.SubscriberQueue;
import io.loomcast.gateway.hub.Subscription;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transcodes one source stream into all of its profiles: it decodes once, on its own platform thread, and
 * hands every decoded frame (a reference, not a copy) to each profile's {@link RenditionWorker}. It is a
 * passive subscriber of the source in the hub, so a decoder that falls behind is shed by the hub's queue like
 * any slow subscriber.
 *
 * <p>Profiles come and go while it runs ({@link #add}, {@link #remove}): the others' encoders and outputs are
 * not touched, and there is still one decoder however many profiles there are.
 *
 * <p>Lifecycle: a new sequence header reopens the decoder (resolution or codec settings changed); the source
 * ending drains the decoders and the encoders, ends the renditions and frees every codec; the source coming
 * back starts them again from its sequence headers. A corrupt packet is counted and skipped.
 */
final class SourcePipeline {
    private static final Logger log = LoggerFactory.getLogger(SourcePipeline.class);

    private final String stream;
    private final StreamHub hub;
    private final QueueLimits limits;
    private final Runnable onExit;
    private final Thread thread;
    private final SourceDecoder decoder;
    private final ReentrantLock lock = new ReentrantLock();
    /** By profile, in the order added; guarded by {@link #lock}, like {@link #exited}. */
    private final Map<TranscodeProfile, RenditionWorker> workers = new LinkedHashMap<>();
    private boolean exited;
    private volatile boolean running = true;
    private volatile boolean keepAfterSourceEnds;
    private volatile boolean started;
    private volatile boolean endedWithSource;
    private volatile Subscription subscription;

    /**
     * @param keepAfterSourceEnds wait for the source's return when it ends, rather than exit (see
     *                            {@link #keepAfterSourceEnds(boolean)})
     * @param cascadeScaling      scale smaller renditions from larger ones' pictures where they fit
     * @param onExit              run on the pipeline's thread as it exits, whatever the cause
     */
    SourcePipeline(String stream, StreamHub hub, QueueLimits limits, TranscodeMetrics metrics,
            boolean keepAfterSourceEnds, boolean cascadeScaling, Runnable onExit) {
        this.stream = stream;
        this.hub = hub;
        this.limits = limits;
        this.keepAfterSourceEnds = keepAfterSourceEnds;
        this.onExit = onExit;
        this.decoder = new SourceDecoder(stream, List.of(), metrics, cascadeScaling);
        this.thread = Thread.ofPlatform().daemon().name("transcode-decode " + stream).unstarted(this::run);
    }

    void start() {
        started = true;
        subscription = hub.subscribePassive(stream, "transcode", limits, new SubscriberQueue.Listener() {
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
        thread.start();
        log.info("transcode {}: one decoder for {} profile(s): {}", stream, workers().size(),
                workers().stream().map(RenditionWorker::outName).toList());
    }

    boolean started() {
        return started;
    }

    /** Whether it exited because its source ended (not stopped, shed by the hub, or failed). */
    boolean endedWithSource() {
        return endedWithSource;
    }

    /**
     * Whether the pipeline outlives its source: yes while a route names the stream exactly or players wait for
     * a rendition; no for a wildcard route's, which ends with its source.
     */
    void keepAfterSourceEnds(boolean keep) {
        keepAfterSourceEnds = keep;
    }

    /** Turns cascade scaling on or off (a reload); the renditions carry on, from the next picture. */
    void cascadeScaling(boolean on) {
        decoder.cascadeScaling(on);
    }

    /**
     * Starts {@code w} and hands it every frame decoded from now on; the others carry on untouched. Returns
     * false, leaving {@code w} unstarted, when the pipeline has exited or already has a worker for its profile.
     */
    boolean add(RenditionWorker w) {
        lock.lock();
        try {
            if (exited || workers.containsKey(w.profile())) {
                return false;
            }
            workers.put(w.profile(), w);
            w.start();
            decoder.add(w);
        } finally {
            lock.unlock();
        }
        if (thread.isAlive()) {
            List<String> others = workers().stream().filter(o -> o != w).map(RenditionWorker::outName).toList();
            log.info("transcode {}: added {}{}", stream, w.outName(),
                    others.isEmpty() ? "" : "; " + others + " carry on untouched");
        }
        return true;
    }

    /**
     * Detaches the worker of {@code profile}: it gets no more frames. The caller retires it
     * ({@link RenditionWorker#retire}). Null when there is none.
     */
    RenditionWorker remove(TranscodeProfile profile) {
        lock.lock();
        try {
            RenditionWorker w = workers.remove(profile);
            if (w != null) {
                decoder.remove(w);
            }
            return w;
        } finally {
            lock.unlock();
        }
    }

    /** The workers now, in the order added. */
    List<RenditionWorker> workers() {
        lock.lock();
        try {
            return List.copyOf(workers.values());
        } finally {
            lock.unlock();
        }
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
        for (RenditionWorker w : workers()) {
            w.retire(millis);
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
                                if (!keepAfterSourceEnds) {
                                    endedWithSource = true;
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
            List<RenditionWorker> left;
            lock.lock();
            try {
                exited = true; // from here on add() refuses, so no worker is left behind unfinished
                left = List.copyOf(workers.values());
            } finally {
                lock.unlock();
            }
            left.forEach(RenditionWorker::finish);
            onExit.run();
        }
    }
}
