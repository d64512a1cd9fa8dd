package io.loomcast.gateway.media;

import io.loomcast.gateway.protocol.ProtocolException;

/**
 * The fields of an H.264 sequence parameter set (ITU-T H.264 7.3.2.1.1) that a relay needs: profile, level,
 * chroma format, bit depth and the displayed picture size after frame cropping. VUI is not read.
 *
 * @param profileIdc         profile_idc (66 Baseline, 77 Main, 100 High, ...)
 * @param constraintFlags    the byte holding constraint_set0..5_flag
 * @param levelIdc           level_idc (31 means level 3.1)
 * @param chromaFormatIdc    0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4 (1 unless a High profile says otherwise)
 * @param bitDepthLuma       luma bit depth, 8..14
 * @param bitDepthChroma     chroma bit depth, 8..14
 * @param frameMbsOnly       frame_mbs_only_flag: false means the stream may code fields
 * @param width              displayed width in pixels, after cropping
 * @param height             displayed height in pixels, after cropping
 */
public record AvcSps(
        int profileIdc,
        int constraintFlags,
        int levelIdc,
        int chromaFormatIdc,
        int bitDepthLuma,
        int bitDepthChroma,
        boolean frameMbsOnly,
        int width,
        int height) {

    /** H.264 caps frame sizes far below this (level 6.2: 139264 macroblocks); it only guards the arithmetic. */
    private static final int MAX_SIZE_IN_MBS = 4096;
    private static final int NAL_TYPE_SPS = 7;

    /** Parses one SPS NAL unit, header byte included, as stored in an AVCDecoderConfigurationRecord. */
    public static AvcSps parse(byte[] nal, int offset, int length) throws ProtocolException {
        BigEndian.checkSlice(nal, offset, length);
        BitReader r = BitReader.rbsp(nal, offset, length, "H.264 SPS");
        r.skip(1, "forbidden_zero_bit");
        r.skip(2, "nal_ref_idc");
        int nalType = r.u(5, "nal_unit_type");
        if (nalType != NAL_TYPE_SPS) {
            throw new ProtocolException("H.264 SPS: nal_unit_type is %d, not 7".formatted(nalType));
        }
        int profileIdc = r.u(8, "profile_idc");
        int constraintFlags = r.u(8, "constraint flags");
        int levelIdc = r.u(8, "level_idc");
        r.ue("seq_parameter_set_id", 31);
        int chromaFormatIdc = 1;
        boolean separateColourPlane = false;
        int bitDepthLuma = 8;
        int bitDepthChroma = 8;
        if (hasChromaInfo(profileIdc)) {
            chromaFormatIdc = r.ue("chroma_format_idc", 3);
            if (chromaFormatIdc == 3) {
                separateColourPlane = r.flag("separate_colour_plane_flag");
            }
            bitDepthLuma = 8 + r.ue("bit_depth_luma_minus8", 6);
            bitDepthChroma = 8 + r.ue("bit_depth_chroma_minus8", 6);
            r.skip(1, "qpprime_y_zero_transform_bypass_flag");
            if (r.flag("seq_scaling_matrix_present_flag")) {
                int lists = chromaFormatIdc != 3 ? 8 : 12;
                for (int i = 0; i < lists; i++) {
                    if (r.flag("seq_scaling_list_present_flag")) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.ue("log2_max_frame_num_minus4", 12);
        int pocType = r.ue("pic_order_cnt_type", 2);
        if (pocType == 0) {
            r.ue("log2_max_pic_order_cnt_lsb_minus4", 12);
        } else if (pocType == 1) {
            r.skip(1, "delta_pic_order_always_zero_flag");
            r.se("offset_for_non_ref_pic");
            r.se("offset_for_top_to_bottom_field");
            int cycle = r.ue("num_ref_frames_in_pic_order_cnt_cycle", 255);
            for (int i = 0; i < cycle; i++) {
                r.se("offset_for_ref_frame");
            }
        }
        r.ue("max_num_ref_frames");
        r.skip(1, "gaps_in_frame_num_value_allowed_flag");
        int widthMbs = r.ue("pic_width_in_mbs_minus1", MAX_SIZE_IN_MBS - 1) + 1;
        int heightMapUnits = r.ue("pic_height_in_map_units_minus1", MAX_SIZE_IN_MBS - 1) + 1;
        boolean frameMbsOnly = r.flag("frame_mbs_only_flag");
        if (!frameMbsOnly) {
            r.skip(1, "mb_adaptive_frame_field_flag");
        }
        r.skip(1, "direct_8x8_inference_flag");
        int codedWidth = widthMbs * 16;
        int codedHeight = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16;
        int width = codedWidth;
        int height = codedHeight;
        if (r.flag("frame_cropping_flag")) {
            // H.264 7.4.2.1.1: crop offsets count in CropUnitX/CropUnitY, which depend on ChromaArrayType.
            int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
            int cropUnitX = chromaArrayType == 0 || chromaArrayType == 3 ? 1 : 2;
            int cropUnitY = (chromaArrayType == 1 ? 2 : 1) * (frameMbsOnly ? 1 : 2);
            long left = r.ue("frame_crop_left_offset");
            long right = r.ue("frame_crop_right_offset");
            long top = r.ue("frame_crop_top_offset");
            long bottom = r.ue("frame_crop_bottom_offset");
            long cropX = cropUnitX * (left + right);
            long cropY = cropUnitY * (top + bottom);
            if (cropX >= codedWidth || cropY >= codedHeight) {
                throw new ProtocolException("H.264 SPS: cropping %dx%d leaves nothing of %dx%d"
                        .formatted(cropX, cropY, codedWidth, codedHeight));
            }
            width = (int) (codedWidth - cropX);
            height = (int) (codedHeight - cropY);
        }
        return new AvcSps(profileIdc, constraintFlags, levelIdc, chromaFormatIdc, bitDepthLuma, bitDepthChroma,
                frameMbsOnly, width, height);
    }

    /** H.264 7.3.2.1.1: these profiles carry chroma_format_idc, bit depths and scaling matrices. */
    private static boolean hasChromaInfo(int profileIdc) {
        return switch (profileIdc) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
            default -> false;
        };
    }

    /** H.264 7.3.2.1.1.1 scaling_list(): delta-coded, stopping early once nextScale reaches 0. */
    private static void skipScalingList(BitReader r, int size) throws ProtocolException {
        int lastScale = 8;
        int nextScale = 8;
        for (int j = 0; j < size && nextScale != 0; j++) {
            int delta = r.se("delta_scale");
            if (delta < -128 || delta > 127) {
                throw new ProtocolException("H.264 SPS: delta_scale %d outside -128..127".formatted(delta));
            }
            nextScale = (lastScale + delta + 256) % 256;
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }
}
