package io.loomcast.gateway.media;

import io.loomcast.gateway.protocol.ProtocolException;

/**
 * VPCodecConfigurationRecord (VP Codec ISO Media File Format Binding v1.0, section 2.2, the 'vpcC' payload),
 * the body of an Enhanced RTMP 'vp09' or 'vp08' SequenceStart. It does not give the picture size.
 *
 * @param codec                   VP9 or VP8
 * @param profile                 profile (0..3)
 * @param level                   level times 10 (21 means 2.1; 0 if unknown)
 * @param bitDepth                8, 10 or 12
 * @param chromaSubsampling       0 4:2:0 vertical, 1 4:2:0 colocated, 2 4:2:2, 3 4:4:4
 * @param videoFullRange          videoFullRangeFlag
 * @param colourPrimaries         ISO/IEC 23001-8 colour primaries
 * @param transferCharacteristics ISO/IEC 23001-8 transfer characteristics
 * @param matrixCoefficients      ISO/IEC 23001-8 matrix coefficients
 * @param hadFullBoxHeader        whether the record came with the 'vpcC' FullBox version 1 and flags in front,
 *                                as some muxers copy it from MP4 (a named leniency: the record alone is the spec)
 */
public record VpCodecConfig(
        VideoCodec codec,
        int profile,
        int level,
        int bitDepth,
        int chromaSubsampling,
        boolean videoFullRange,
        int colourPrimaries,
        int transferCharacteristics,
        int matrixCoefficients,
        boolean hadFullBoxHeader)
        implements VideoDecoderConfig {

    @Override
    public int width() {
        return 0;
    }

    @Override
    public int height() {
        return 0;
    }

    /** Parses a record for {@code codec} (VP9 or VP8). */
    public static VpCodecConfig parse(VideoCodec codec, byte[] b, int offset, int length) throws ProtocolException {
        if (codec != VideoCodec.VP9 && codec != VideoCodec.VP8) {
            throw new IllegalArgumentException("not a VP codec: " + codec);
        }
        ByteCursor c = new ByteCursor(b, offset, length, "VPCodecConfigurationRecord");
        // A bare record cannot start 01 000000: its third byte's high nibble is the bit depth, never 0. So
        // that prefix is the FullBox version 1 and flags 0 of an MP4 'vpcC' box.
        boolean fullBox = length >= 4 && b[offset] == 1 && b[offset + 1] == 0 && b[offset + 2] == 0
                && b[offset + 3] == 0;
        if (fullBox) {
            c.skip(4, "FullBox version and flags");
        }
        int profile = c.u8("profile");
        int level = c.u8("level");
        int packed = c.u8("bitDepth/chromaSubsampling/videoFullRangeFlag");
        int bitDepth = packed >>> 4;
        if (bitDepth != 8 && bitDepth != 10 && bitDepth != 12) {
            throw c.error("bitDepth %d is not 8, 10 or 12".formatted(bitDepth));
        }
        int primaries = c.u8("colourPrimaries");
        int transfer = c.u8("transferCharacteristics");
        int matrix = c.u8("matrixCoefficients");
        int initSize = c.u16("codecInitializationDataSize");
        c.skip(initSize, "codecInitializationData");
        return new VpCodecConfig(codec, profile, level, bitDepth, packed >>> 1 & 0x07, (packed & 0x01) != 0,
                primaries, transfer, matrix, fullBox);
    }
}
