package io.loomcast.gateway.transcode;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link Transcoder}, for the API and tests: how many FFmpeg decoders and encoders are open
 * right now and have been opened, and what was skipped or dropped.
 */
public final class TranscodeMetrics {
    private final AtomicInteger videoDecoders = new AtomicInteger();
    private final AtomicInteger audioDecoders = new AtomicInteger();
    private final AtomicInteger videoEncoders = new AtomicInteger();
    private final AtomicInteger audioEncoders = new AtomicInteger();
    private final LongAdder videoDecoderOpens = new LongAdder();
    private final LongAdder videoEncoderOpens = new LongAdder();
    private final LongAdder corruptInputs = new LongAdder();
    private final LongAdder droppedFrames = new LongAdder();
    private final LongAdder encodedVideoFrames = new LongAdder();
    private final LongAdder playerRenditionsRefused = new LongAdder();
    private final LongAdder audioTimelineRepairs = new LongAdder();
    private final LongAdder cascadedPictures = new LongAdder();

    void decoderOpened(boolean video) {
        (video ? videoDecoders : audioDecoders).incrementAndGet();
        if (video) {
            videoDecoderOpens.increment();
        }
    }

    void decoderClosed(boolean video) {
        (video ? videoDecoders : audioDecoders).decrementAndGet();
    }

    void encoderOpened(boolean video) {
        (video ? videoEncoders : audioEncoders).incrementAndGet();
        if (video) {
            videoEncoderOpens.increment();
        }
    }

    void encoderClosed(boolean video) {
        (video ? videoEncoders : audioEncoders).decrementAndGet();
    }

    void corruptInput() {
        corruptInputs.increment();
    }

    void dropped(int frames) {
        droppedFrames.add(frames);
    }

    void encodedVideoFrame() {
        encodedVideoFrames.increment();
    }

    void playerRenditionRefused() {
        playerRenditionsRefused.increment();
    }

    void audioTimelineRepaired() {
        audioTimelineRepairs.increment();
    }

    void cascadedPicture() {
        cascadedPictures.increment();
    }

    /** H.264 decoders open now: one per live transcoded source, however many profiles it feeds. */
    public int videoDecodersOpen() {
        return videoDecoders.get();
    }

    public int audioDecodersOpen() {
        return audioDecoders.get();
    }

    /** H.264 encoders open now: one per live source and profile. */
    public int videoEncodersOpen() {
        return videoEncoders.get();
    }

    public int audioEncodersOpen() {
        return audioEncoders.get();
    }

    /** H.264 decoders opened so far (a source changing its configuration reopens its decoder). */
    public long videoDecoderOpens() {
        return videoDecoderOpens.sum();
    }

    public long videoEncoderOpens() {
        return videoEncoderOpens.sum();
    }

    /** Packets or frames FFmpeg rejected as invalid and the pipeline skipped. */
    public long corruptInputs() {
        return corruptInputs.sum();
    }

    /** Decoded video frames an encoder that fell behind dropped, up to the next keyframe. */
    public long droppedFrames() {
        return droppedFrames.sum();
    }

    public long encodedVideoFrames() {
        return encodedVideoFrames.sum();
    }

    /** Renditions players asked for that were refused because transcode.maxEncoders were running. */
    public long playerRenditionsRefused() {
        return playerRenditionsRefused.sum();
    }

    /**
     * Times a re-encoded audio track's input jumped against its sample count and was filled with silence,
     * trimmed, or re-anchored to stay in step with the video.
     */
    public long audioTimelineRepairs() {
        return audioTimelineRepairs.sum();
    }

    /** Pictures scaled from a larger rendition's scaled picture rather than from the decoded source. */
    public long cascadedPictures() {
        return cascadedPictures.sum();
    }

    @Override
    public String toString() {
        return "decoders %d video / %d audio, encoders %d video / %d audio, %d corrupt inputs, %d dropped frames"
                .formatted(videoDecodersOpen(), audioDecodersOpen(), videoEncodersOpen(), audioEncodersOpen(),
                        corruptInputs(), droppedFrames());
    }
}
