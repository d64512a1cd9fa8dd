package io.loomcast.gateway.media;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 8.3.3.1), the body of an HEVC sequence start, whether
 * it came as Enhanced RTMP 'hvc1' or as legacy CodecID 12.
 *
 * @param profileSpace              general_profile_space
 * @param highTier                  general_tier_flag
 * @param profileIdc                general_profile_idc (1 Main, 2 Main 10, ...)
 * @param profileCompatibilityFlags general_profile_compatibility_flags, 32 bits
 * @param constraintIndicatorFlags  general_constraint_indicator_flags, 48 bits
 * @param levelIdc                  general_level_idc, 30 times the level
 * @param chromaFormat              chroma_format_idc
 * @param bitDepthLuma              luma bit depth
 * @param bitDepthChroma            chroma bit depth
 * @param numTemporalLayers         numTemporalLayers (0 means unknown)
 * @param nalLengthSize             bytes of the length prefix before each NAL unit in frames: 1, 2 or 4
 * @param arrays                    the NAL unit arrays (VPS, SPS, PPS, SEI, ...) in record order
 * @param sps                       the first SPS parsed, or null if the record has none
 */
public record HevcDecoderConfig(
        int profileSpace,
        boolean highTier,
        int profileIdc,
        long profileCompatibilityFlags,
        long constraintIndicatorFlags,
        int levelIdc,
        int chromaFormat,
        int bitDepthLuma,
        int bitDepthChroma,
        int numTemporalLayers,
        int nalLengthSize,
        List<NalArray> arrays,
        HevcSps sps)
        implements VideoDecoderConfig {

    /** NAL unit types of H.265 Table 7-1 that the record's arrays usually hold. */
    public static final int NAL_VPS = 32;
    public static final int NAL_SPS = 33;
    public static final int NAL_PPS = 34;

    /**
     * One array of the record.
     *
     * @param complete    array_completeness: all units of this type are here, none in the stream
     * @param nalUnitType the H.265 NAL unit type every unit in the array has
     * @param units       the NAL units, 2-byte header included
     */
    public record NalArray(boolean complete, int nalUnitType, List<byte[]> units) {}

    @Override
    public VideoCodec codec() {
        return VideoCodec.HEVC;
    }

    @Override
    public int width() {
        return sps == null ? 0 : sps.width();
    }

    @Override
    public int height() {
        return sps == null ? 0 : sps.height();
    }

    /** Every unit of the given NAL type, across arrays, in record order. */
    public List<byte[]> units(int nalUnitType) {
        List<byte[]> out = new ArrayList<>();
        for (NalArray a : arrays) {
            if (a.nalUnitType() == nalUnitType) {
                out.addAll(a.units());
            }
        }
        return out;
    }

    /** Parses a record; reserved bits are not checked and bytes after the arrays are ignored. */
    public static HevcDecoderConfig parse(byte[] b, int offset, int length) throws ProtocolException {
        ByteCursor c = new ByteCursor(b, offset, length, "HEVCDecoderConfigurationRecord");
        int version = c.u8("configurationVersion");
        if (version != 1) {
            throw c.error("configurationVersion %d is not 1".formatted(version));
        }
        int ptl = c.u8("general_profile_space/tier/profile_idc");
        long compatibility = c.u32("general_profile_compatibility_flags");
        long constraints = c.u32("general_constraint_indicator_flags") << 16
                | c.u16("general_constraint_indicator_flags");
        int level = c.u8("general_level_idc");
        c.skip(2, "min_spatial_segmentation_idc");
        c.skip(1, "parallelismType");
        int chromaFormat = c.u8("chroma_format_idc") & 0x03;
        int bitDepthLuma = (c.u8("bit_depth_luma_minus8") & 0x07) + 8;
        int bitDepthChroma = (c.u8("bit_depth_chroma_minus8") & 0x07) + 8;
        c.skip(2, "avgFrameRate");
        int flags = c.u8("constantFrameRate/numTemporalLayers/temporalIdNested/lengthSizeMinusOne");
        int nalLengthSize = (flags & 0x03) + 1;
        if (nalLengthSize == 3) {
            throw c.error("lengthSizeMinusOne 2 is not allowed (NAL lengths are 1, 2 or 4 bytes)");
        }
        int arrayCount = c.u8("numOfArrays");
        List<NalArray> arrays = new ArrayList<>(arrayCount);
        for (int i = 0; i < arrayCount; i++) {
            int head = c.u8("array " + i + " NAL_unit_type");
            int units = c.u16("array " + i + " numNalus");
            List<byte[]> list = new ArrayList<>(Math.min(units, 16));
            for (int j = 0; j < units; j++) {
                list.add(c.nalUnit("array %d NAL unit %d".formatted(i, j)));
            }
            arrays.add(new NalArray((head & 0x80) != 0, head & 0x3F, List.copyOf(list)));
        }
        HevcDecoderConfig partial = new HevcDecoderConfig(ptl >>> 6, (ptl & 0x20) != 0, ptl & 0x1F, compatibility,
                constraints, level, chromaFormat, bitDepthLuma, bitDepthChroma, flags >>> 3 & 0x07, nalLengthSize,
                List.copyOf(arrays), null);
        List<byte[]> spsUnits = partial.units(NAL_SPS);
        if (spsUnits.isEmpty()) {
            return partial;
        }
        HevcSps sps = HevcSps.parse(spsUnits.get(0), 0, spsUnits.get(0).length);
        return new HevcDecoderConfig(partial.profileSpace, partial.highTier, partial.profileIdc,
                compatibility, constraints, level, chromaFormat, bitDepthLuma, bitDepthChroma,
                partial.numTemporalLayers, nalLengthSize, partial.arrays, sps);
    }
}
