package io.loomcast.gateway.testing;

import io.loomcast.gateway.hub.Frame;

/**
 * One audio or video frame as a test saw it: in the hub, at a player, or in an FLV file a player wrote. The
 * flags are read from the FLV tag body's first bytes (FLV 10.1 E.4.2, E.4.3) here, independently of the media
 * package under test.
 *
 * @param kind        audio or video
 * @param timestampMs the RTMP timestamp, unsigned 32-bit
 * @param sizeBytes   the tag body length
 * @param keyframe    video frame type 1
 * @param config      AVC sequence header or AAC AudioSpecificConfig
 * @param endOfSequence AVC end of sequence (AVCPacketType 2): a marker, not a picture; ffmpeg's FLV muxer adds
 *                    one of its own when it closes a file
 * @param arrivalNanos when the observer got it, {@code System.nanoTime()}; 0 when unknown (files)
 */
public record MediaFrame(Frame.Kind kind, long timestampMs, int sizeBytes, boolean keyframe, boolean config,
        boolean endOfSequence, long arrivalNanos) {

    /** Classifies an audio (FLV type 8) or video (type 9) tag body. */
    public static MediaFrame of(Frame.Kind kind, long timestampMs, byte[] body, long arrivalNanos) {
        boolean keyframe = false;
        boolean config = false;
        boolean endOfSequence = false;
        if (kind == Frame.Kind.VIDEO && body.length >= 2) {
            keyframe = (body[0] & 0xF0) >> 4 == 1;
            // CodecID 7 (AVC): AVCPacketType 0 is the AVCDecoderConfigurationRecord.
            config = (body[0] & 0x0F) == 7 && body[1] == 0;
            endOfSequence = (body[0] & 0x0F) == 7 && body[1] == 2;
        } else if (kind == Frame.Kind.AUDIO && body.length >= 2) {
            // SoundFormat 10 (AAC): AACPacketType 0 is the AudioSpecificConfig.
            config = (body[0] & 0xF0) >> 4 == 10 && body[1] == 0;
        }
        return new MediaFrame(kind, timestampMs, body.length, keyframe, config, endOfSequence, arrivalNanos);
    }

    /** A picture or a piece of sound: neither a sequence header nor an end-of-sequence marker. */
    public boolean media() {
        return !config && !endOfSequence;
    }

    /** The same frame: equal in kind, timestamp and size, wherever and whenever it was seen. */
    public boolean sameAs(MediaFrame other) {
        return kind == other.kind && timestampMs == other.timestampMs && sizeBytes == other.sizeBytes;
    }

    @Override
    public String toString() {
        return "%s@%d(%dB%s%s%s)".formatted(kind, timestampMs, sizeBytes, keyframe ? " key" : "", config ? " config" : "", endOfSequence ? " eos" : "");
    }
}
