package io.loomcast.gateway.media;

/** What an audio message holds: legacy AACPacketType (FLV 10.1 E.4.2.2) or Enhanced RTMP AudioPacketType. */
public enum AudioPacketKind {
    /** Decoder configuration: AAC AudioSpecificConfig, Opus ID header, FLAC header. */
    SEQUENCE_START,
    /** Coded audio frames (legacy formats other than AAC are always this). */
    CODED_FRAMES,
    /** End of the audio sequence (enhanced-rtmp v2 AudioPacketType.SequenceEnd). */
    SEQUENCE_END,
    /** Channel order and count for codecs that do not describe their own (AudioPacketType.MultichannelConfig). */
    MULTICHANNEL_CONFIG,
    /**
     * An empty audio message: enhanced-rtmp v2 documents it as RTMP's "audio silence" message, with no
     * AudioTagHeader at all.
     */
    SILENCE
}
