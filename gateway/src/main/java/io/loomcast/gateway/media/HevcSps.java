package io.loomcast.gateway.media;

import io.loomcast.gateway.protocol.ProtocolException;

/**
 * The leading fields of an H.265 sequence parameter set (ITU-T H.265 7.3.2.2.1), up to the bit depths:
 * profile, tier, level, chroma format and the picture size inside the conformance window.
 *
 * @param profileIdc      general_profile_idc (1 Main, 2 Main 10, 3 Main Still Picture, 4 range extensions, ...)
 * @param highTier        general_tier_flag
 * @param levelIdc        general_level_idc, 30 times the level (93 means 3.1)
 * @param chromaFormatIdc 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4
 * @param bitDepthLuma    luma bit depth
 * @param bitDepthChroma  chroma bit depth
 * @param width           width in luma samples inside the conformance window
 * @param height          height in luma samples inside the conformance window
 */
public record HevcSps(
        int profileIdc, boolean highTier, int levelIdc, int chromaFormatIdc, int bitDepthLuma, int bitDepthChroma,
        int width, int height) {

    private static final int NAL_TYPE_SPS = 33;
    /** Far above any H.265 level's limit (level 6.2 allows about 16888 samples a side); guards the arithmetic. */
    private static final int MAX_SAMPLES_PER_SIDE = 65536;

    /** Parses one SPS NAL unit, 2-byte NAL header included, as stored in an HEVCDecoderConfigurationRecord. */
    public static HevcSps parse(byte[] nal, int offset, int length) throws ProtocolException {
        BigEndian.checkSlice(nal, offset, length);
        BitReader r = BitReader.rbsp(nal, offset, length, "H.265 SPS");
        // H.265 7.3.1.2 nal_unit_header
        r.skip(1, "forbidden_zero_bit");
        int nalType = r.u(6, "nal_unit_type");
        if (nalType != NAL_TYPE_SPS) {
            throw new ProtocolException("H.265 SPS: nal_unit_type is %d, not 33".formatted(nalType));
        }
        r.skip(6 + 3, "nuh_layer_id and nuh_temporal_id_plus1");
        r.skip(4, "sps_video_parameter_set_id");
        int maxSubLayersMinus1 = r.u(3, "sps_max_sub_layers_minus1");
        if (maxSubLayersMinus1 > 6) {
            throw new ProtocolException("H.265 SPS: sps_max_sub_layers_minus1 %d above 6"
                    .formatted(maxSubLayersMinus1));
        }
        r.skip(1, "sps_temporal_id_nesting_flag");
        // H.265 7.3.3 profile_tier_level(1, sps_max_sub_layers_minus1), general part: 2+1+5 bits, 32
        // compatibility flags, 4 source flags, 43 + 1 reserved/constraint bits, then general_level_idc.
        r.skip(2, "general_profile_space");
        boolean highTier = r.flag("general_tier_flag");
        int profileIdc = r.u(5, "general_profile_idc");
        r.skip(32 + 4 + 43 + 1, "general profile flags");
        int levelIdc = r.u(8, "general_level_idc");
        boolean[] profilePresent = new boolean[maxSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profilePresent[i] = r.flag("sub_layer_profile_present_flag");
            levelPresent[i] = r.flag("sub_layer_level_present_flag");
        }
        if (maxSubLayersMinus1 > 0) {
            r.skip(2L * (8 - maxSubLayersMinus1), "reserved_zero_2bits");
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if (profilePresent[i]) {
                r.skip(88, "sub_layer profile");
            }
            if (levelPresent[i]) {
                r.skip(8, "sub_layer_level_idc");
            }
        }
        r.ue("sps_seq_parameter_set_id", 15);
        int chromaFormatIdc = r.ue("chroma_format_idc", 3);
        boolean separateColourPlane = chromaFormatIdc == 3 && r.flag("separate_colour_plane_flag");
        int codedWidth = r.ue("pic_width_in_luma_samples", MAX_SAMPLES_PER_SIDE);
        int codedHeight = r.ue("pic_height_in_luma_samples", MAX_SAMPLES_PER_SIDE);
        if (codedWidth == 0 || codedHeight == 0) {
            throw new ProtocolException("H.265 SPS: picture size %dx%d".formatted(codedWidth, codedHeight));
        }
        int width = codedWidth;
        int height = codedHeight;
        if (r.flag("conformance_window_flag")) {
            // H.265 7.4.3.2.1: offsets count in SubWidthC/SubHeightC units of ChromaArrayType (Table 6-1).
            int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
            int subWidthC = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
            int subHeightC = chromaArrayType == 1 ? 2 : 1;
            long cropX = subWidthC * ((long) r.ue("conf_win_left_offset") + r.ue("conf_win_right_offset"));
            long cropY = subHeightC * ((long) r.ue("conf_win_top_offset") + r.ue("conf_win_bottom_offset"));
            if (cropX >= codedWidth || cropY >= codedHeight) {
                throw new ProtocolException("H.265 SPS: conformance window %dx%d leaves nothing of %dx%d"
                        .formatted(cropX, cropY, codedWidth, codedHeight));
            }
            width = (int) (codedWidth - cropX);
            height = (int) (codedHeight - cropY);
        }
        int bitDepthLuma = 8 + r.ue("bit_depth_luma_minus8", 8);
        int bitDepthChroma = 8 + r.ue("bit_depth_chroma_minus8", 8);
        return new HevcSps(profileIdc, highTier, levelIdc, chromaFormatIdc, bitDepthLuma, bitDepthChroma, width,
                height);
    }
}
