package io.loomcast.gateway.transcode;

import io.loomcast.gateway.config.TranscodeConfig;
import io.loomcast.gateway.config.TranscodeProfile;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.media.AudioTag;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.VideoTag;
import io.loomcast.gateway.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * Transcodes recorded FLV tags as fast as the machine allows, with the live pipeline's decoder and encoder
 * threads but queues that wait instead of dropping. For benchmarks and tools: the renditions are published
 * to {@code hub} as {@code stream@profile}, where a caller may subscribe to them.
 */
public final class OfflineTranscode {
    private OfflineTranscode() {}

    /** What a run did. */
    public record Result(long videoMessagesIn, long encodedVideoFrames, long wallNanos, long cascadedPictures) {}

    /** {@link #run(FfmpegRuntime, StreamHub, String, List, List, boolean)} with cascade scaling as by default. */
    public static Result run(FfmpegRuntime ffmpeg, StreamHub hub, String stream, List<TranscodeProfile> profiles,
            List<FlvReader.Tag> tags) throws TranscodeException, InterruptedException {
        return run(ffmpeg, hub, stream, profiles, tags, TranscodeConfig.DEFAULT_CASCADE_SCALING);
    }

    /**
     * Decodes {@code tags} once on this thread and encodes them with every profile; returns when all is encoded.
     *
     * @param cascadeScaling scale smaller profiles from larger ones' pictures where they fit (transcode.cascadeScaling)
     */
    public static Result run(FfmpegRuntime ffmpeg, StreamHub hub, String stream, List<TranscodeProfile> profiles,
            List<FlvReader.Tag> tags, boolean cascadeScaling) throws TranscodeException, InterruptedException {
        TranscodeMetrics metrics = new TranscodeMetrics();
        List<RenditionWorker> workers = new ArrayList<>();
        for (TranscodeProfile p : profiles) {
            workers.add(new RenditionWorker(stream, p, ffmpeg.h264Encoder(p.video().encoder()), hub, metrics, true));
        }
        SourceDecoder decoder = new SourceDecoder(stream, workers, metrics, cascadeScaling);
        long started = System.nanoTime();
        long videoIn = 0;
        workers.forEach(RenditionWorker::start);
        try {
            for (FlvReader.Tag t : tags) {
                Frame f = frameOf(t);
                if (f != null) {
                    videoIn += f.kind() == Frame.Kind.VIDEO ? 1 : 0;
                    decoder.frame(f);
                }
            }
            decoder.sourceEnded();
            workers.forEach(RenditionWorker::finish);
            for (RenditionWorker w : workers) {
                w.awaitExit(Long.MAX_VALUE / 2_000_000);
            }
        } finally {
            decoder.closeDecoders();
            workers.forEach(RenditionWorker::stop);
        }
        return new Result(videoIn, metrics.encodedVideoFrames(), System.nanoTime() - started,
                metrics.cascadedPictures());
    }

    /** The hub frame for an FLV tag: keyframe and sequence-header flags from its header; null for script data. */
    static Frame frameOf(FlvReader.Tag t) {
        try {
            return switch (t.type()) {
                case 9 -> {
                    VideoTag v = FlvTags.parseVideo(t.body());
                    yield Frame.video(t.timestampMs(), t.body(), v.isKeyframe() && !v.isSequenceHeader(),
                            v.isSequenceHeader());
                }
                case 8 -> {
                    AudioTag a = FlvTags.parseAudio(t.body());
                    yield Frame.audio(t.timestampMs(), t.body(), a.isSequenceHeader());
                }
                default -> null;
            };
        } catch (ProtocolException e) {
            return null;
        }
    }
}
