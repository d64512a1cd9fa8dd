package io.loomcast.gateway.media;

/**
 * A parsed video message header (FLV 10.1 E.4.3.1 VIDEODATA, or enhanced-rtmp v2 ExVideoTagHeader).
 *
 * @param codec                the codec; {@link VideoCodec#UNKNOWN} for an unknown CodecID or FourCC, and for
 *                             Enhanced RTMP command frames, which name no codec
 * @param codecTag             the raw legacy CodecID (0..15), or the raw FourCC when {@code enhanced}
 * @param enhanced             whether the IsExVideoHeader bit was set
 * @param frameType            the frame type; {@link VideoFrameType#NOT_APPLICABLE} for metadata packets
 * @param packetKind           what the message holds
 * @param compositionTimeMs    composition time offset (PTS - DTS) in milliseconds, SI24; 0 where absent
 * @param payloadOffset        absolute index of the codec data; for {@link VideoPacketKind#COMMAND} the
 *                             command byte (0 start of client-side seek, 1 end)
 * @param payloadLength        codec data length; for multitrack messages, of the first track
 * @param trackLayout          multitrack layout, {@link TrackLayout#SINGLE} if none
 * @param trackId              id of the described (first) track
 * @param trackCount           tracks in the message
 * @param timestampOffsetNanos ModEx TimestampOffsetNano, else 0
 */
public record VideoTag(
        VideoCodec codec,
        int codecTag,
        boolean enhanced,
        VideoFrameType frameType,
        VideoPacketKind packetKind,
        int compositionTimeMs,
        int payloadOffset,
        int payloadLength,
        TrackLayout trackLayout,
        int trackId,
        int trackCount,
        int timestampOffsetNanos)
        implements MediaTag {

    /** Decoder configuration: a sequence start, or the MPEG-2 TS descriptor that stands in for one. */
    @Override
    public boolean isSequenceHeader() {
        return packetKind == VideoPacketKind.SEQUENCE_START || packetKind == VideoPacketKind.MPEG2TS_SEQUENCE_START;
    }

    @Override
    public boolean isCodedFrame() {
        return packetKind == VideoPacketKind.CODED_FRAMES;
    }

    /** A coded key frame. A sequence header is not a keyframe even though encoders flag it FrameType 1. */
    @Override
    public boolean isKeyframe() {
        return packetKind == VideoPacketKind.CODED_FRAMES && frameType.isKey();
    }

    /** Enhanced RTMP metadata (e.g. colorInfo), which subscribers need like a sequence header. */
    public boolean isMetadata() {
        return packetKind == VideoPacketKind.METADATA;
    }

    @Override
    public String toString() {
        return "VideoTag[%s%s %s %s cts=%d payload=%d+%d%s]".formatted(
                codec,
                codec == VideoCodec.UNKNOWN ? "(" + (enhanced ? FourCc.toString(codecTag) : codecTag) + ")" : "",
                frameType, packetKind, compositionTimeMs, payloadOffset, payloadLength,
                trackLayout == TrackLayout.SINGLE ? ""
                        : " %s track %d of %d".formatted(trackLayout, trackId, trackCount));
    }
}
