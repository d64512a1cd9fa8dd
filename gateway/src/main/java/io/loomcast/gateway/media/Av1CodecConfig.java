package io.loomcast.gateway.media;

import io.loomcast.gateway.protocol.ProtocolException;

/**
 * AV1CodecConfigurationRecord (AV1 Codec ISO Media File Format Binding 2.3.3), the body of an Enhanced
 * RTMP 'av01' SequenceStart. The picture size comes from the sequence header OBU among the configOBUs,
 * when the record has one.
 *
 * @param seqProfile            seq_profile (0 Main, 1 High, 2 Professional)
 * @param seqLevelIdx0          seq_level_idx[0]: level X.Y with X = 2 + (idx >> 2), Y = idx & 3; 31 means
 *                              no level constraint
 * @param seqTier0              seq_tier[0]
 * @param bitDepth              8, 10 or 12, from high_bitdepth and twelve_bit
 * @param monochrome            mono_chrome
 * @param chromaSubsamplingX    chroma_subsampling_x
 * @param chromaSubsamplingY    chroma_subsampling_y
 * @param chromaSamplePosition  chroma_sample_position
 * @param configObuOffset       absolute index of the configOBUs in the parsed array
 * @param configObuLength       length of the configOBUs (0 if none)
 * @param sequenceHeader        the sequence header OBU from the configOBUs, or null if there is none
 */
public record Av1CodecConfig(
        int seqProfile,
        int seqLevelIdx0,
        boolean seqTier0,
        int bitDepth,
        boolean monochrome,
        boolean chromaSubsamplingX,
        boolean chromaSubsamplingY,
        int chromaSamplePosition,
        int configObuOffset,
        int configObuLength,
        Av1SequenceHeader sequenceHeader)
        implements VideoDecoderConfig {

    private static final int OBU_SEQUENCE_HEADER = 1;

    @Override
    public VideoCodec codec() {
        return VideoCodec.AV1;
    }

    /** max_frame_width_minus_1 + 1 from the sequence header; 0 without one. */
    @Override
    public int width() {
        return sequenceHeader == null ? 0 : sequenceHeader.maxFrameWidth();
    }

    @Override
    public int height() {
        return sequenceHeader == null ? 0 : sequenceHeader.maxFrameHeight();
    }

    /** Parses a record: 4 fixed bytes, then zero or more OBUs (low-overhead format, AV1 5.2). */
    public static Av1CodecConfig parse(byte[] b, int offset, int length) throws ProtocolException {
        ByteCursor c = new ByteCursor(b, offset, length, "AV1CodecConfigurationRecord");
        int first = c.u8("marker/version");
        if (first != 0x81) {
            throw c.error("marker 1 and version 1 expected (0x81), got 0x%02x".formatted(first));
        }
        int profileLevel = c.u8("seq_profile/seq_level_idx_0");
        int flags = c.u8("seq_tier_0 .. chroma_sample_position");
        c.u8("initial_presentation_delay");
        boolean highBitdepth = (flags & 0x40) != 0;
        boolean twelveBit = (flags & 0x20) != 0;
        int bitDepth = highBitdepth ? (twelveBit ? 12 : 10) : 8;
        int obuStart = c.position();
        int obuLength = c.remaining();
        Av1SequenceHeader header = findSequenceHeader(c);
        return new Av1CodecConfig(profileLevel >>> 5, profileLevel & 0x1F, (flags & 0x80) != 0, bitDepth,
                (flags & 0x10) != 0, (flags & 0x08) != 0, (flags & 0x04) != 0, flags & 0x03, obuStart, obuLength,
                header);
    }

    /** Walks the configOBUs (AV1 5.3.1 obu_header, 4.10.5 leb128 sizes) and parses the first sequence header. */
    private static Av1SequenceHeader findSequenceHeader(ByteCursor c) throws ProtocolException {
        Av1SequenceHeader found = null;
        while (c.remaining() > 0) {
            int header = c.u8("OBU header");
            if ((header & 0x80) != 0) {
                throw c.error("OBU forbidden bit set");
            }
            int type = header >>> 3 & 0x0F;
            if ((header & 0x04) != 0) {
                c.u8("OBU extension header");
            }
            int size = (header & 0x02) != 0 ? leb128(c) : c.remaining();
            int start = c.position();
            c.skip(size, "OBU payload");
            if (type == OBU_SEQUENCE_HEADER && found == null) {
                found = Av1SequenceHeader.parse(c.array(), start, size);
            }
        }
        return found;
    }

    /** AV1 4.10.5 leb128(): up to 8 bytes, 7 bits each, little-endian; here also at most 2^31 - 1. */
    private static int leb128(ByteCursor c) throws ProtocolException {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            int b = c.u8("OBU size");
            value |= (long) (b & 0x7F) << (i * 7);
            if ((b & 0x80) == 0) {
                if (value > Integer.MAX_VALUE) {
                    throw c.error("OBU size %d too large".formatted(value));
                }
                return (int) value;
            }
        }
        throw c.error("OBU size leb128 longer than 8 bytes");
    }
}
