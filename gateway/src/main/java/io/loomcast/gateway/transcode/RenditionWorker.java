package io.loomcast.gateway.transcode;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

import io.loomcast.gateway.config.AudioProfile;
import io.loomcast.gateway.config.TranscodeProfile;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.Publication;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One profile of one source: its own platform thread (every FFmpeg call is JNI, which would pin a virtual
 * thread's carrier) drains its {@link EncoderQueue}, encodes, and publishes the result as the local stream
 * {@code app/name@profile}, which players and pushes subscribe to like any other.
 *
 * <p>Timing: output timestamps are the input's, plus one constant {@code shiftMs} on both tracks that covers
 * the B-frame reordering delay (DTS before PTS) and the AAC priming, so no timestamp is negative and audio
 * and video keep their offset. The composition time is recomputed from the encoder's PTS and DTS.
 */
final class RenditionWorker {
    private static final Logger log = LoggerFactory.getLogger(RenditionWorker.class);
    /** Pictures waiting for the encoder before it counts as behind: half a second at 30 fps. */
    private static final int MAX_QUEUED_PICTURES = 15;
    private static final int MAX_QUEUED_ITEMS = 400;
    /**
     * Cascade scaling: how long a smaller rendition waits for the larger one's scaled picture before scaling
     * the source itself. The larger one is at most its queue (half a second) behind before it drops pictures,
     * and a dropped picture is declined at once, so this only bites when it is stuck inside an encode.
     */
    private static final long CASCADE_WAIT_MILLIS = 500;
    /** After such a wait in vain, pictures scaled from the source before waiting again: a stuck encoder costs
     * the smaller rendition one wait every two seconds, not one per picture. */
    private static final int CASCADE_RETRY_PICTURES = 60;

    private final String sourceName;
    private final String outName;
    private final TranscodeProfile profile;
    private final String encoderName;
    private final StreamHub hub;
    private final TranscodeMetrics metrics;
    private final EncoderQueue queue;
    private final long shiftMs;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean finishing;
    /** Video frames this rendition put out, and the last one's timestamp: the API's fps and speed. */
    private final java.util.concurrent.atomic.LongAdder framesOut = new java.util.concurrent.atomic.LongAdder();
    private volatile long lastOutMs = -1;

    private Publication publication;
    private Interleaver interleaver;
    private VideoEncoder video;
    private AudioEncoder audio;
    private byte[] videoConfig;
    private boolean audioConfigSent;
    private long lastKeptPtsMs = Long.MIN_VALUE;
    private long lastVideoDtsMs = -1;
    private long clampedTimestamps;
    private boolean encoderFailed;
    private long failures;
    private int cascadeSkips;
    private long cascadeTimeouts;

    RenditionWorker(String sourceName, TranscodeProfile profile, String encoderName, StreamHub hub,
            TranscodeMetrics metrics, boolean lossless) {
        this.queue = new EncoderQueue(MAX_QUEUED_PICTURES, MAX_QUEUED_ITEMS, lossless);
        this.sourceName = sourceName;
        this.outName = profile.renditionOf(sourceName);
        this.profile = profile;
        this.encoderName = encoderName;
        this.hub = hub;
        this.metrics = metrics;
        this.shiftMs = shiftMs(profile);
        this.thread = Thread.ofPlatform().daemon().name("transcode-encode " + outName).unstarted(this::run);
    }

    /** B-frame reordering (x264 with b-pyramid holds back at most 2 frames; 24 fps is the slowest we plan for)
     * and the AAC encoder's 1024 priming samples. */
    static long shiftMs(TranscodeProfile p) {
        int fps = p.video().fps().orElse(24);
        long videoDelay = p.video().bframes() > 0 ? 2 * (long) Math.ceil(1000.0 / fps) : 0;
        long audioDelay = p.audio() instanceof AudioProfile.Encode e ? (long) Math.ceil(1024 * 1000.0 / e.sampleRateHz()) : 0;
        return Math.max(videoDelay, audioDelay);
    }

    void start() {
        thread.start();
    }

    String outName() {
        return outName;
    }

    TranscodeProfile profile() {
        return profile;
    }

    boolean copiesAudio() {
        return profile.audio() instanceof AudioProfile.Copy;
    }

    /** Called by the decoder thread; never blocks, unless the queue is lossless (offline work). */
    void offer(WorkItem item) {
        EncoderQueue.Outcome outcome = queue.offer(item);
        if (outcome != EncoderQueue.Outcome.QUEUED) {
            metrics.dropped(1);
        }
        if (outcome == EncoderQueue.Outcome.DROPPED_NEW_BURST) {
            log.warn("{}: the encoder is not keeping real time; dropping input up to the next keyframe "
                    + "({} dropped so far)", outName, queue.dropped());
        }
    }

    long dropped() {
        return queue.dropped();
    }

    /** What it has done so far, for the API and metrics. */
    RenditionStatus status(String source) {
        return new RenditionStatus(source, outName, profile.name(), encoderName, framesOut.sum(), lastOutMs,
                queue.dropped());
    }

    /** Drains the encoders and ends the rendition after what is queued, then exits. */
    void finish() {
        finishing = true;
        queue.offer(new WorkItem.SourceEnded());
    }

    /** Exits at once: nothing more is encoded, the rendition ends. */
    void stop() {
        running = false;
        thread.interrupt();
    }

    void awaitExit(long millis) throws InterruptedException {
        thread.join(millis);
    }

    /**
     * Ends this worker for good and waits for its thread: drains what is queued and the encoders (so the
     * rendition ends cleanly), or, if that takes longer than {@code millis}, stops it at once. Either way its
     * codecs are freed by its own thread on the way out. Returns whether the thread has exited.
     */
    boolean retire(long millis) throws InterruptedException {
        finish();
        thread.join(millis);
        if (thread.isAlive()) {
            log.warn("{}: the encoder did not drain within {} ms; stopping it", outName, millis);
            stop();
            thread.join(millis); // an FFmpeg call in progress is not interruptible; it returns on its own
        }
        return !thread.isAlive();
    }

    private void run() {
        try {
            while (running) {
                WorkItem item = queue.take(250, TimeUnit.MILLISECONDS);
                if (item == null) {
                    continue;
                }
                try {
                    handle(item);
                } catch (TranscodeException | ProtocolException | RuntimeException e) {
                    // Logged on the 1st, 2nd, 4th, 8th... failure: an encoder failing every frame must not flood.
                    if (Long.bitCount(++failures) == 1) {
                        log.error("{}: {} failed ({} failures so far): {}", outName, item.getClass().getSimpleName(),
                                failures, e.getMessage(), e);
                    }
                } finally {
                    item.release();
                }
                if (finishing && item instanceof WorkItem.SourceEnded) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            queue.close();
            endOutput(false);
        }
    }

    private void handle(WorkItem item) throws TranscodeException, ProtocolException, InterruptedException {
        switch (item) {
            case WorkItem.Video v -> video(v);
            case WorkItem.Audio a -> encodeAudio(a);
            case WorkItem.AudioCopy c -> {
                if (ensurePublished()) {
                    interleaver.audio(c.timestampMs() + shiftMs, c.payload(), c.config());
                }
            }
            case WorkItem.SourceEnded e -> endOutput(true);
        }
    }

    private void video(WorkItem.Video v) throws TranscodeException, ProtocolException, InterruptedException {
        if (!ensurePublished()) {
            return;
        }
        interleaver.expectVideo();
        double fps = profile.video().fps().isPresent() ? profile.video().fps().getAsInt()
                : v.sourceFps() > 0 ? v.sourceFps() : 30;
        // Frame rate reduction: keep a picture once at least 3/4 of the output interval has passed.
        if (profile.video().fps().isPresent() && lastKeptPtsMs != Long.MIN_VALUE
                && v.ptsMs() - lastKeptPtsMs < 750.0 / fps && v.ptsMs() > lastKeptPtsMs) {
            return;
        }
        lastKeptPtsMs = v.ptsMs();
        OutputSize size = OutputSize.of(profile.video(), v.frame().width(), v.frame().height());
        if (video != null && (video.width() != size.width() || video.height() != size.height())) {
            log.info("{}: source is now {}x{}; reopening the encoder for {}x{}", outName, v.frame().width(),
                    v.frame().height(), size.width(), size.height());
            closeVideo(true);
        }
        if (video == null) {
            if (encoderFailed && !v.keyframe()) {
                return;
            }
            try {
                video = VideoEncoder.open(outName, encoderName, profile.video(), size.width(), size.height(), fps, metrics);
                encoderFailed = false;
            } catch (TranscodeException e) {
                encoderFailed = true;
                throw e;
            }
            publication.push(Frame.Kind.DATA, Math.max(0, v.ptsMs() + shiftMs), FlvBodies.onMetaData(size.width(),
                    size.height(), fps, profile.video().bitrate().bitsPerSecond(), profile.audio(), encoderName),
                    false, true);
            sendVideoConfig(AnnexB.split(video.extradata(), video.extradata().length));
        }
        List<VideoEncoder.Packet> out = new ArrayList<>();
        AVFrame larger = largerPicture(v);
        try {
            AVFrame from = v.frame();
            if (larger != null && larger.width() >= size.width() && larger.height() >= size.height()
                    && video.scales(v.frame())) {
                from = larger;
                metrics.cascadedPicture();
            }
            AVFrame picture = video.picture(from);
            for (ScaledHandoff smaller : v.toSmaller()) {
                smaller.offer(picture); // before encoding, so the smaller rendition works while this one encodes
            }
            video.encodePicture(picture, v.ptsMs(), out::add);
        } finally {
            if (larger != null) {
                av_frame_free(larger);
            }
        }
        for (VideoEncoder.Packet p : out) {
            emitVideo(p);
        }
    }

    /** The larger rendition's scaled picture of {@code v} (cascade scaling), or null to scale the source. */
    private AVFrame largerPicture(WorkItem.Video v) throws InterruptedException {
        ScaledHandoff h = v.fromLarger();
        if (h == null) {
            return null;
        }
        if (cascadeSkips > 0) {
            cascadeSkips--;
        } else if (!h.await(CASCADE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            cascadeSkips = CASCADE_RETRY_PICTURES;
            if (Long.bitCount(++cascadeTimeouts) == 1) {
                log.warn("{}: the larger rendition did not scale a picture within {} ms; scaling from the source "
                        + "for the next {} pictures ({} times so far)", outName, CASCADE_WAIT_MILLIS,
                        CASCADE_RETRY_PICTURES, cascadeTimeouts);
            }
        }
        return h.take();
    }

    /** Sends a new sequence header when {@code nals} hold an SPS and PPS other than the current ones. */
    private void sendVideoConfig(List<byte[]> nals) throws ProtocolException {
        List<byte[]> sps = nals.stream().filter(n -> AnnexB.type(n) == AnnexB.NAL_SPS).toList();
        List<byte[]> pps = nals.stream().filter(n -> AnnexB.type(n) == AnnexB.NAL_PPS).toList();
        if (sps.isEmpty() || pps.isEmpty()) {
            return;
        }
        byte[] record = AvcConfigRecord.build(sps, pps);
        if (!Arrays.equals(record, videoConfig)) {
            videoConfig = record;
            long ts = Math.max(0, lastVideoDtsMs);
            interleaver.video(ts, FlvBodies.avcSequenceHeader(record), true, true);
        }
    }

    private void emitVideo(VideoEncoder.Packet p) throws ProtocolException {
        List<byte[]> nals = AnnexB.split(p.annexB(), p.annexB().length);
        if (p.keyframe()) {
            sendVideoConfig(nals); // encoders without a global header, or ones that change their SPS in-band
        }
        if (videoConfig == null) {
            return; // nothing a player could decode this with
        }
        long dts = p.dtsMs() + shiftMs;
        long pts = p.ptsMs() + shiftMs;
        if (dts < 0 || dts < lastVideoDtsMs) {
            clampedTimestamps++;
            dts = Math.max(0, lastVideoDtsMs);
        }
        lastVideoDtsMs = dts;
        framesOut.increment();
        lastOutMs = dts;
        int cts = (int) Math.max(0, pts - dts);
        interleaver.video(dts, FlvBodies.avcFrame(p.keyframe(), cts, AnnexB.toAvcc(nals, false)), p.keyframe(), false);
    }

    private void encodeAudio(WorkItem.Audio a) throws TranscodeException {
        if (!ensurePublished() || !(profile.audio() instanceof AudioProfile.Encode e)) {
            return;
        }
        if (audio == null) {
            audio = AudioEncoder.open(outName, e, metrics);
            audioConfigSent = false;
        }
        if (!audioConfigSent) {
            interleaver.audio(Math.max(0, a.ptsMs() + shiftMs - audio.primingMs()),
                    FlvBodies.aacSequenceHeader(audio.audioSpecificConfig()), true);
            audioConfigSent = true;
        }
        audio.encode(a.frame(), a.ptsMs(), this::emitAudio);
    }

    private void emitAudio(AudioEncoder.Packet p) {
        long ts = p.ptsMs() + shiftMs;
        if (ts < 0) {
            clampedTimestamps++;
            ts = 0;
        }
        interleaver.audio(ts, FlvBodies.aacFrame(p.data()), false);
    }

    private boolean ensurePublished() {
        if (publication != null) {
            return true;
        }
        publication = hub.publish(outName, "transcode " + profile.name()).orElse(null);
        if (publication == null) {
            log.error("{}: cannot publish the rendition, another source already publishes that name", outName);
            return false;
        }
        Publication p = publication;
        interleaver = new Interleaver(p::push);
        log.info("{}: rendition started (encoder {}, timestamps shifted by {} ms)", outName, encoderName, shiftMs);
        return true;
    }

    private void closeVideo(boolean drain) {
        if (video == null) {
            return;
        }
        if (drain) {
            List<VideoEncoder.Packet> out = new ArrayList<>();
            try {
                video.drain(out::add);
                for (VideoEncoder.Packet p : out) {
                    emitVideo(p);
                }
            } catch (TranscodeException | ProtocolException e) {
                log.warn("{}: draining the video encoder: {}", outName, e.getMessage());
            }
        }
        video.close();
        video = null;
    }

    /** Drains (when {@code drain}) and frees the encoders, and ends the output stream. */
    private void endOutput(boolean drain) {
        closeVideo(drain);
        if (audio != null) {
            if (drain) {
                try {
                    audio.drain(this::emitAudio);
                } catch (TranscodeException e) {
                    log.warn("{}: draining the audio encoder: {}", outName, e.getMessage());
                }
            }
            audio.close();
            audio = null;
        }
        if (interleaver != null) {
            interleaver.flush();
        }
        if (publication != null) {
            // With its source gone for good (its unpublish grace over), the rendition's players hear it now;
            // a rendition stopped or restarted while its source plays on gets the grace, like any publisher.
            if (hub.find(sourceName).map(s -> !s.live() && !s.inGrace()).orElse(true)) {
                publication.end();
            } else {
                publication.close();
            }
            publication = null;
            log.info("{}: rendition ended ({} input pictures dropped, {} timestamps clamped)", outName,
                    queue.dropped(), clampedTimestamps);
        }
        interleaver = null;
        videoConfig = null;
        lastKeptPtsMs = Long.MIN_VALUE;
        lastVideoDtsMs = -1;
    }
}
