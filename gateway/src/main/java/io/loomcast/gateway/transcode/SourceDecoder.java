package io.loomcast.gateway.transcode;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;

import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.media.AudioCodec;
import io.loomcast.gateway.media.AudioTag;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.VideoCodec;
import io.loomcast.gateway.media.VideoTag;
import io.loomcast.gateway.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decoding half of a source's pipeline, on the caller's thread: FLV messages in, decoded frames out to
 * every {@link RenditionWorker} as references (av_frame_clone shares the decoder's buffers, so N profiles
 * cost one decode and no copies). Audio goes to copying workers as it came, and is decoded only when some
 * worker re-encodes it. Fed by {@link SourcePipeline} from the hub, or by {@link OfflineTranscode} from a file.
 *
 * <p>Workers may be added and removed from other threads while it runs ({@link #add}, {@link #remove}); the
 * decoder thread iterates a copy-on-write list. A worker that joins mid-stream needs nothing for video (decoded
 * pictures are whole pictures, and its encoder starts with an IDR), but copied audio needs the AAC sequence
 * header it missed: the source's last one is kept and handed to it before its first audio frame. For
 * re-encoded audio, the AAC decoder opens from that kept header too, and closes when no worker re-encodes.
 * Metadata needs nothing: each rendition writes its own onMetaData when its encoder opens.
 *
 * <p>Cascade scaling: when one rendition's size fits inside another's, the decoder pairs their work items for
 * each picture ({@link CascadePlan}, {@link ScaledHandoff}), and the smaller one scales the larger one's
 * scaled picture instead of the source. Each encoder still runs on its own thread and gets every picture.
 */
final class SourceDecoder {
    private static final Logger log = LoggerFactory.getLogger(SourceDecoder.class);

    private final String stream;
    private final List<RenditionWorker> workers;
    private final TranscodeMetrics metrics;
    /** The source's current audio sequence header (the whole FLV payload), or null; decoder thread only. */
    private byte[] audioConfig;
    /** Copying workers that have the current audio sequence header; decoder thread only. */
    private final Set<RenditionWorker> haveAudioConfig = Collections.newSetFromMap(new IdentityHashMap<>());
    private PacketDecoder videoDecoder;
    private PacketDecoder audioDecoder;
    private boolean warnedVideoCodec;
    private boolean warnedAudioCodec;
    private long corrupt;
    private volatile boolean cascadeScaling;
    /** The cascade plan and what it was made for: workers, source size, switch; decoder thread only. */
    private CascadePlan plan = CascadePlan.NONE;
    private RenditionWorker[] planWorkers = new RenditionWorker[0];
    private int planWidth;
    private int planHeight;
    private boolean planCascade;

    SourceDecoder(String stream, List<RenditionWorker> workers, TranscodeMetrics metrics, boolean cascadeScaling) {
        this.stream = stream;
        this.workers = new CopyOnWriteArrayList<>(workers);
        this.metrics = metrics;
        this.cascadeScaling = cascadeScaling;
    }

    /** Turns cascade scaling on or off from the next picture on; any thread. */
    void cascadeScaling(boolean on) {
        cascadeScaling = on;
    }

    /** Hands later frames to {@code w} too; any thread. */
    void add(RenditionWorker w) {
        workers.add(w);
    }

    /** Stops handing frames to {@code w}; any thread. An item already being offered to it may still arrive. */
    void remove(RenditionWorker w) {
        workers.remove(w);
    }

    /** Decodes one source message and hands what it completes to the workers. */
    void frame(Frame f) {
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
                log.info("transcode {}: H.264 decoder opened ({} bytes of AVCDecoderConfigurationRecord, {})",
                        stream, record.length, videoDecoder.threads() == 1 ? "one thread" : "FFmpeg's frame threads");
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
        RenditionWorker[] ws = workers.toArray(new RenditionWorker[0]);
        CascadePlan cascade = planFor(ws, frame.width(), frame.height());
        List<List<ScaledHandoff>> toSmaller = new ArrayList<>(Collections.nCopies(ws.length, List.of()));
        ScaledHandoff[] fromLarger = new ScaledHandoff[ws.length];
        for (int i = 0; i < ws.length; i++) {
            int parent = cascade.parentOf(i);
            if (parent >= 0) {
                fromLarger[i] = new ScaledHandoff();
                if (toSmaller.get(parent).isEmpty()) {
                    toSmaller.set(parent, new ArrayList<>(2));
                }
                toSmaller.get(parent).add(fromLarger[i]);
            }
        }
        for (int i = 0; i < ws.length; i++) {
            ws[i].offer(new WorkItem.Video(av_frame_clone(frame), pts, key, fps, toSmaller.get(i), fromLarger[i]));
        }
    }

    /** The cascade plan for these workers and this source size, made again only when either changes. */
    private CascadePlan planFor(RenditionWorker[] ws, int width, int height) {
        boolean on = cascadeScaling;
        if (width == planWidth && height == planHeight && on == planCascade && Arrays.equals(ws, planWorkers)) {
            return plan;
        }
        CascadePlan next = on ? CascadePlan.of(Arrays.stream(ws).map(w -> w.profile().video()).toList(), width,
                height) : CascadePlan.NONE;
        if (!next.equals(plan) && (next.cascades() || plan.cascades())) {
            log.info("transcode {}: cascade scaling for a {}x{} source: {}", stream, width, height,
                    next.cascades() ? next.describe(Arrays.stream(ws).map(w -> w.profile().name()).toList())
                            : "none, every rendition scales the source");
        }
        plan = next;
        planWorkers = ws;
        planWidth = width;
        planHeight = height;
        planCascade = on;
        return plan;
    }

    private void audio(Frame f) throws ProtocolException, TranscodeException {
        byte[] b = f.payload();
        AudioTag tag = FlvTags.parseAudio(b);
        if (tag.isSequenceHeader()) {
            audioConfig = b;
            haveAudioConfig.clear();
        }
        boolean anyEncodes = false;
        for (RenditionWorker w : workers) {
            if (w.copiesAudio()) {
                if (!tag.isSequenceHeader() && audioConfig != null && haveAudioConfig.add(w)) {
                    // Joined after the sequence header went by: it gets the header first, at this frame's time.
                    w.offer(new WorkItem.AudioCopy(f.timestampMs(), audioConfig, true));
                } else if (tag.isSequenceHeader()) {
                    haveAudioConfig.add(w);
                }
                w.offer(new WorkItem.AudioCopy(f.timestampMs(), b, tag.isSequenceHeader()));
            } else {
                anyEncodes = true;
            }
        }
        if (haveAudioConfig.size() > workers.size()) {
            haveAudioConfig.retainAll(workers); // forget removed workers
        }
        if (!anyEncodes) {
            closeAudioDecoder(); // the last worker that re-encoded audio left
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
            audioDecoder.configure(ascOf(b, tag), this::decodedAudio);
        } else if (tag.isCodedFrame() && tag.payloadLength() > 0) {
            if (!audioDecoder.isOpen() && audioConfig != null) {
                // A worker that re-encodes joined after the sequence header: open from the one kept.
                audioDecoder.configure(ascOf(audioConfig, FlvTags.parseAudio(audioConfig)), this::decodedAudio);
            }
            if (audioDecoder.isOpen() && !audioDecoder.decode(b, tag.payloadOffset(), tag.payloadLength(),
                    f.timestampMs(), f.timestampMs(), true, this::decodedAudio)) {
                skipCorrupt(f, "the decoder rejected it");
            }
        }
    }

    private static byte[] ascOf(byte[] payload, AudioTag tag) {
        return Arrays.copyOfRange(payload, tag.payloadOffset(), tag.payloadOffset() + tag.payloadLength());
    }

    private void decodedAudio(AVFrame frame) {
        long pts = frame.best_effort_timestamp();
        for (RenditionWorker w : workers) {
            if (!w.copiesAudio()) {
                w.offer(new WorkItem.Audio(av_frame_clone(frame), pts));
            }
        }
    }

    /** The source stopped: drain the decoders into the workers, free them, and tell the workers. */
    void sourceEnded() {
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
        audioConfig = null; // the next source sends its own
        haveAudioConfig.clear();
        workers.forEach(w -> w.offer(new WorkItem.SourceEnded()));
        log.info("transcode {}: source ended; decoders drained and freed", stream);
    }

    /** Frees the decoders; a later sequence header opens them again. */
    void closeDecoders() {
        if (videoDecoder != null) {
            videoDecoder.close();
            videoDecoder = null;
        }
        closeAudioDecoder();
    }

    private void closeAudioDecoder() {
        if (audioDecoder != null) {
            audioDecoder.close();
            audioDecoder = null;
        }
    }
}
