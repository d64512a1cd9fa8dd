package io.loomcast.gateway.media;

/**
 * The header of one RTMP audio (type 8) or video (type 9) message, which is an FLV AUDIODATA or VIDEODATA
 * tag body. Parsing reads only header bytes; the codec data stays in the caller's array, located by
 * {@link #payloadOffset()} and {@link #payloadLength()} (absolute indexes into that array).
 */
public sealed interface MediaTag permits VideoTag, AudioTag {
    /** Whether the message came in Enhanced RTMP form (IsExVideoHeader set, or SoundFormat 9). */
    boolean enhanced();

    /** Whether the message is decoder configuration a late subscriber needs before any frame. */
    boolean isSequenceHeader();

    /** Whether the message carries coded media (as opposed to configuration, metadata or signals). */
    boolean isCodedFrame();

    /** Whether a decoder can start at this message: a key video frame, or any coded audio frame. */
    boolean isKeyframe();

    /** Absolute index of the first codec-data byte (config record, NAL units, AMF metadata, ...). */
    int payloadOffset();

    /** Number of codec-data bytes; for multitrack messages, those of the first track only. */
    int payloadLength();

    /** Whether and how the message uses Enhanced RTMP multitrack. */
    TrackLayout trackLayout();

    /** The track id of the described (first) track; 0 when not multitrack. */
    int trackId();

    /** Number of tracks in the message, 1 when not multitrack. */
    int trackCount();

    /** Enhanced RTMP ModEx TimestampOffsetNano (0..999999 ns added to the message timestamp), else 0. */
    int timestampOffsetNanos();
}
