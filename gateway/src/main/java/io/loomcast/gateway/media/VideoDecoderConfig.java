package io.loomcast.gateway.media;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.Optional;

/**
 * A parsed video decoder configuration: the payload of a sequence header / SequenceStart message.
 * Parsed once per sequence header, so these may copy parameter sets; frames are never parsed here.
 */
public sealed interface VideoDecoderConfig permits AvcDecoderConfig, HevcDecoderConfig, Av1CodecConfig, VpCodecConfig {
    VideoCodec codec();

    /** Displayed width in pixels, or 0 if the configuration does not say. */
    int width();

    /** Displayed height in pixels, or 0 if the configuration does not say. */
    int height();

    /**
     * Parses the configuration a sequence-start tag carries.
     *
     * @param tag a tag from {@link FlvTags#parseVideo} whose {@link VideoTag#packetKind()} is SEQUENCE_START
     * @param buf the array that tag was parsed from
     * @return empty for codecs whose configuration this gateway does not parse (legacy Flash codecs, unknown)
     * @throws IllegalArgumentException if the tag is not a sequence start
     */
    static Optional<VideoDecoderConfig> parse(VideoTag tag, byte[] buf) throws ProtocolException {
        if (tag.packetKind() != VideoPacketKind.SEQUENCE_START) {
            throw new IllegalArgumentException("not a sequence start: " + tag);
        }
        int off = tag.payloadOffset();
        int len = tag.payloadLength();
        return switch (tag.codec()) {
            case AVC -> Optional.of(AvcDecoderConfig.parse(buf, off, len));
            case HEVC -> Optional.of(HevcDecoderConfig.parse(buf, off, len));
            case AV1 -> Optional.of(Av1CodecConfig.parse(buf, off, len));
            case VP9, VP8 -> Optional.of(VpCodecConfig.parse(tag.codec(), buf, off, len));
            case SORENSON_H263, SCREEN, VP6, VP6_ALPHA, SCREEN_V2, UNKNOWN -> Optional.empty();
        };
    }
}
