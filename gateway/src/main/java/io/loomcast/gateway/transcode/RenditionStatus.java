package io.loomcast.gateway.transcode;

/**
 * One running rendition, for the API and metrics. Rates (fps, speed against real time) come from two
 * snapshots: frames and output time advanced, over the wall time between them.
 *
 * @param source        the stream it encodes, {@code app/name}
 * @param rendition     its output stream, {@code app/name@profile}
 * @param encoder       the FFmpeg encoder, e.g. {@code libopenh264}
 * @param framesOut     video frames put out so far
 * @param lastOutMs     the timestamp of the last one, -1 before the first
 * @param droppedFrames input frames dropped because the encoder fell behind
 */
public record RenditionStatus(String source, String rendition, String profile, String encoder, long framesOut,
        long lastOutMs, long droppedFrames) {
}
