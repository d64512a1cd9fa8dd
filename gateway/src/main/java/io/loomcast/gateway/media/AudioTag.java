package io.loomcast.gateway.media;

/**
 * A parsed audio message header (FLV 10.1 E.4.2.1 AUDIODATA, or enhanced-rtmp v2 ExAudioTagHeader).
 *
 * @param codec                the codec; {@link AudioCodec#UNKNOWN} for a reserved SoundFormat or unknown FourCC
 * @param codecTag             the raw SoundFormat (0..15), or the raw FourCC when {@code enhanced}
 * @param enhanced             whether SoundFormat was 9 (ExHeader)
 * @param packetKind           what the message holds
 * @param legacyRateHz         the legacy SoundRate (5512, 11025, 22050, 44100), 0 when enhanced; for AAC and
 *                             Speex the real rate is in the codec config, not here
 * @param legacySampleBits     the legacy SoundSize (8 or 16), 0 when enhanced
 * @param legacyChannels       the legacy SoundType (1 mono, 2 stereo), 0 when enhanced
 * @param payloadOffset        absolute index of the codec data
 * @param payloadLength        codec data length; for multitrack messages, of the first track
 * @param trackLayout          multitrack layout, {@link TrackLayout#SINGLE} if none
 * @param trackId              id of the described (first) track
 * @param trackCount           tracks in the message
 * @param timestampOffsetNanos ModEx TimestampOffsetNano, else 0
 */
public record AudioTag(
        AudioCodec codec,
        int codecTag,
        boolean enhanced,
        AudioPacketKind packetKind,
        int legacyRateHz,
        int legacySampleBits,
        int legacyChannels,
        int payloadOffset,
        int payloadLength,
        TrackLayout trackLayout,
        int trackId,
        int trackCount,
        int timestampOffsetNanos)
        implements MediaTag {

    @Override
    public boolean isSequenceHeader() {
        return packetKind == AudioPacketKind.SEQUENCE_START || packetKind == AudioPacketKind.MULTICHANNEL_CONFIG;
    }

    @Override
    public boolean isCodedFrame() {
        return packetKind == AudioPacketKind.CODED_FRAMES;
    }

    /** Every coded audio frame of the FLV audio codecs can start decoding once the config is known. */
    @Override
    public boolean isKeyframe() {
        return isCodedFrame();
    }

    @Override
    public String toString() {
        return "AudioTag[%s%s %s payload=%d+%d%s]".formatted(
                codec,
                codec == AudioCodec.UNKNOWN ? "(" + (enhanced ? FourCc.toString(codecTag) : codecTag) + ")" : "",
                packetKind, payloadOffset, payloadLength,
                trackLayout == TrackLayout.SINGLE ? ""
                        : " %s track %d of %d".formatted(trackLayout, trackId, trackCount));
    }
}
