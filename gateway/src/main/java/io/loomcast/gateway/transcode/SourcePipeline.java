package io.loomcast.gateway.transcode;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;

import io.loomcast.gateway.hub.Delivery;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.hub.StreamNotice;
import io.loomcast.gateway.hub.SubscriberQueue;
import io.loomcast.gateway.hub.Subscription;
import io.loomcast.gateway.media.AudioCodec;
import io.loomcast.gateway.media.AudioTag;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.VideoCodec;
import io.loomcast.gateway.media.VideoTag;
import io.loomcast.gateway.protocol.ProtocolException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avutil.AVFrame;
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
    private PacketDecoder videoDecoder;
    private PacketDecoder audioDecoder;
    private boolean warnedVideoCodec;
    private boolean warnedAudioCodec;
    private long corrupt;

    SourcePipeline(String stream, List<RenditionWorker> workers, StreamHub hub, QueueLimits limits,
            TranscodeMetrics metrics, boolean exitWhenSourceEnds, Runnable onExit) {
        this.stream = stream;
        this.workers = List.copyOf(workers);
        this.hub = hub;
        this.limits = limits;
        this.metrics = metrics;
        this.exitWhenSourceEnds = exitWhenSourceEnds;
        this.onExit = onExit;
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
                        case Frame f -> frame(f);
                        case StreamNotice n -> {
                            if (n == StreamNotice.SOURCE_ENDED) {
                                sourceEnded();
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
            closeDecoders();
            workers.forEach(RenditionWorker::finish);
            onExit.run();
        }
    }

    private void frame(Frame f) {
        try {
            switch (f.kind()) {
                case VIDEO -> video(f);
                case AUDIO -> audio(f);
                case DATA -> { } // each rendition describes itself; the source's metadata no longer fits
            }
        } catch (ProtocolException e) {
            skipCorrupt(f, e.getMessage());
        } catch (TranscodeException e) {
            if (e.averror() != 0) {
                skipCorrupt(f, e.getMessage());
            } else {
                log.error("transcode {}: {}", stream, e.getMessage());
            }
        }
    }

    private void skipCorrupt(Frame f, String why) {
        metrics.corruptInput();
        if (corrupt++ % 100 == 0) {
            log.warn("transcode {}: skipped a corrupt {} message at {} ms ({}); {} so far", stream,
                    f.kind().name().toLowerCase(java.util.Locale.ROOT), f.timestampMs(), why, corrupt);
        }
    }

    private void video(Frame f) throws ProtocolException, TranscodeException {
        byte[] b = f.payload();
        VideoTag tag = FlvTags.parseVideo(b);
        if (tag.codec() != VideoCodec.AVC) {
            if (!warnedVideoCodec) {
                warnedVideoCodec = true;
                log.warn("transcode {}: video codec {} is not transcoded (H.264 only); video skipped", stream,
                        tag.codec());
            }
            return;
        }
        if (videoDecoder == null) {
            videoDecoder = PacketDecoder.h264(stream, metrics);
        }
        if (tag.isSequenceHeader()) {
            byte[] record = Arrays.copyOfRange(b, tag.payloadOffset(), tag.payloadOffset() + tag.payloadLength());
            if (videoDecoder.configure(record, this::decodedVideo)) {
                log.info("transcode {}: H.264 decoder opened ({} bytes of AVCDecoderConfigurationRecord)", stream,
                        record.length);
            }
        } else if (tag.isCodedFrame() && videoDecoder.isOpen() && tag.payloadLength() > 0) {
            long pts = f.timestampMs() + tag.compositionTimeMs();
            if (!videoDecoder.decode(b, tag.payloadOffset(), tag.payloadLength(), f.timestampMs(), pts,
                    tag.isKeyframe(), this::decodedVideo)) {
                skipCorrupt(f, "the decoder rejected it");
            }
        }
    }

    private void decodedVideo(AVFrame frame) {
        long pts = frame.best_effort_timestamp();
        boolean key = (frame.flags() & PacketDecoder.AV_FRAME_FLAG_KEY) != 0;
        double fps = videoDecoder.frameRate();
        for (RenditionWorker w : workers) {
            w.offer(new WorkItem.Video(av_frame_clone(frame), pts, key, fps));
        }
    }

    private void audio(Frame f) throws ProtocolException, TranscodeException {
        byte[] b = f.payload();
        AudioTag tag = FlvTags.parseAudio(b);
        boolean anyEncodes = false;
        for (RenditionWorker w : workers) {
            if (w.copiesAudio()) {
                w.offer(new WorkItem.AudioCopy(f.timestampMs(), b, tag.isSequenceHeader()));
            } else {
                anyEncodes = true;
            }
        }
        if (!anyEncodes) {
            return;
        }
        if (tag.codec() != AudioCodec.AAC) {
            if (!warnedAudioCodec) {
                warnedAudioCodec = true;
                log.warn("transcode {}: audio codec {} is not re-encoded (AAC only); audio skipped", stream,
                        tag.codec());
            }
            return;
        }
        if (audioDecoder == null) {
            audioDecoder = PacketDecoder.aac(stream, metrics);
        }
        if (tag.isSequenceHeader()) {
            byte[] asc = Arrays.copyOfRange(b, tag.payloadOffset(), tag.payloadOffset() + tag.payloadLength());
            audioDecoder.configure(asc, this::decodedAudio);
        } else if (tag.isCodedFrame() && audioDecoder.isOpen() && tag.payloadLength() > 0) {
            if (!audioDecoder.decode(b, tag.payloadOffset(), tag.payloadLength(), f.timestampMs(), f.timestampMs(),
                    true, this::decodedAudio)) {
                skipCorrupt(f, "the decoder rejected it");
            }
        }
    }

    private void decodedAudio(AVFrame frame) {
        long pts = frame.best_effort_timestamp();
        for (RenditionWorker w : workers) {
            if (!w.copiesAudio()) {
                w.offer(new WorkItem.Audio(av_frame_clone(frame), pts));
            }
        }
    }

    private void sourceEnded() {
        try {
            if (videoDecoder != null) {
                videoDecoder.drain(this::decodedVideo);
            }
            if (audioDecoder != null) {
                audioDecoder.drain(this::decodedAudio);
            }
        } catch (TranscodeException e) {
            log.warn("transcode {}: draining the decoders: {}", stream, e.getMessage());
        }
        closeDecoders();
        workers.forEach(w -> w.offer(new WorkItem.SourceEnded()));
        log.info("transcode {}: source ended; decoders drained and freed", stream);
    }

    private void closeDecoders() {
        if (videoDecoder != null) {
            videoDecoder.close();
            videoDecoder = null;
        }
        if (audioDecoder != null) {
            audioDecoder.close();
            audioDecoder = null;
        }
    }
}
