package io.loomcast.gateway.transcode;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * What the decoder thread hands a profile's encoder thread, in source order. Items holding an AVFrame own it
 * (a reference made with av_frame_clone, sharing the decoder's buffers) until {@link #release()}.
 */
sealed interface WorkItem {

    /** Frees what the item owns; called exactly once, by whoever consumes or drops it. */
    default void release() {}

    /**
     * A decoded picture presented at {@code ptsMs}; {@code sourceFps} is the source's rate, 0 if unknown.
     *
     * @param toSmaller  cascade scaling: smaller renditions waiting for this one's scaled picture of it
     * @param fromLarger cascade scaling: the larger rendition's scaled picture of it, to scale from instead of
     *                   {@code frame}; null when this rendition scales the source itself
     */
    record Video(AVFrame frame, long ptsMs, boolean keyframe, double sourceFps, List<ScaledHandoff> toSmaller,
            ScaledHandoff fromLarger) implements WorkItem {
        Video(AVFrame frame, long ptsMs, boolean keyframe, double sourceFps) {
            this(frame, ptsMs, keyframe, sourceFps, List.of(), null);
        }

        /** Frees the frame; the smaller renditions get no picture from this one, if they had none yet. */
        @Override
        public void release() {
            av_frame_free(frame);
            toSmaller.forEach(ScaledHandoff::decline);
            if (fromLarger != null) {
                fromLarger.close();
            }
        }
    }

    /** Decoded audio presented at {@code ptsMs}, for a profile that re-encodes audio. */
    record Audio(AVFrame frame, long ptsMs) implements WorkItem {
        @Override
        public void release() {
            av_frame_free(frame);
        }
    }

    /** An FLV audio payload passed through untouched ({@code audio: copy}). */
    record AudioCopy(long timestampMs, byte[] payload, boolean config) implements WorkItem {}

    /** The source stopped: drain the encoders, end the output stream, free the codecs. */
    record SourceEnded() implements WorkItem {}
}
