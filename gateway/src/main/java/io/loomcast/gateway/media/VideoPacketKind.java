package io.loomcast.gateway.media;

/**
 * What a video message holds. Merges legacy AVCPacketType (FLV 10.1 E.4.3.1) and the Enhanced RTMP
 * VideoPacketType (enhanced-rtmp v2): CodedFramesX is reported as {@link #CODED_FRAMES} with a zero
 * composition time, since that is all it means.
 */
public enum VideoPacketKind {
    /** A decoder configuration record (AVC sequence header, SequenceStart). */
    SEQUENCE_START,
    /** Coded frames (AVC NALU, CodedFrames, CodedFramesX, or any frame of a codec without packet types). */
    CODED_FRAMES,
    /** End of sequence. */
    SEQUENCE_END,
    /** AMF-encoded metadata such as colorInfo (enhanced-rtmp v2, "Metadata Frame"). */
    METADATA,
    /** An MPEG-2 TS descriptor that starts a sequence (enhanced-rtmp v2, MPEG2TSSequenceStart). */
    MPEG2TS_SEQUENCE_START,
    /** A command frame (FrameType 5): one command byte, 0 start of seek, 1 end of seek; no video. */
    COMMAND
}
