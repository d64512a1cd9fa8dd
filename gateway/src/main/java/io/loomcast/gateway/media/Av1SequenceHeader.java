package io.loomcast.gateway.media;

import io.loomcast.gateway.protocol.ProtocolException;

/**
 * The leading fields of an AV1 sequence header OBU (AV1 Bitstream Specification 5.5.1), through the
 * maximum frame size. Color config and the tool flags after it are not read.
 *
 * @param seqProfile     seq_profile
 * @param stillPicture   still_picture
 * @param seqLevelIdx0   seq_level_idx[0], the level of operating point 0
 * @param maxFrameWidth  max_frame_width_minus_1 + 1
 * @param maxFrameHeight max_frame_height_minus_1 + 1
 */
public record Av1SequenceHeader(
        int seqProfile, boolean stillPicture, int seqLevelIdx0, int maxFrameWidth, int maxFrameHeight) {

    /** Parses a sequence header OBU's payload (after the OBU header and size). */
    public static Av1SequenceHeader parse(byte[] b, int offset, int length) throws ProtocolException {
        BigEndian.checkSlice(b, offset, length);
        BitReader r = new BitReader(b, offset, length, "AV1 sequence header");
        int seqProfile = r.u(3, "seq_profile");
        boolean stillPicture = r.flag("still_picture");
        boolean reduced = r.flag("reduced_still_picture_header");
        int levelIdx0;
        if (reduced) {
            levelIdx0 = r.u(5, "seq_level_idx[0]");
        } else {
            boolean decoderModelInfo = false;
            int bufferDelayLength = 0;
            if (r.flag("timing_info_present_flag")) {
                // AV1 5.5.3 timing_info()
                r.skip(32 + 32, "num_units_in_display_tick, time_scale");
                if (r.flag("equal_picture_interval")) {
                    r.uvlc("num_ticks_per_picture_minus_1");
                }
                decoderModelInfo = r.flag("decoder_model_info_present_flag");
                if (decoderModelInfo) {
                    // AV1 5.5.4 decoder_model_info()
                    bufferDelayLength = r.u(5, "buffer_delay_length_minus_1") + 1;
                    r.skip(32 + 5 + 5, "num_units_in_decoding_tick, length fields");
                }
            }
            boolean initialDisplayDelay = r.flag("initial_display_delay_present_flag");
            int operatingPoints = r.u(5, "operating_points_cnt_minus_1") + 1;
            levelIdx0 = 0;
            for (int i = 0; i < operatingPoints; i++) {
                r.skip(12, "operating_point_idc");
                int level = r.u(5, "seq_level_idx");
                if (i == 0) {
                    levelIdx0 = level;
                }
                if (level > 7) {
                    r.skip(1, "seq_tier");
                }
                if (decoderModelInfo && r.flag("decoder_model_present_for_this_op")) {
                    // AV1 5.5.5 operating_parameters_info()
                    r.skip(2L * bufferDelayLength + 1, "operating_parameters_info");
                }
                if (initialDisplayDelay && r.flag("initial_display_delay_present_for_this_op")) {
                    r.skip(4, "initial_display_delay_minus_1");
                }
            }
        }
        int widthBits = r.u(4, "frame_width_bits_minus_1") + 1;
        int heightBits = r.u(4, "frame_height_bits_minus_1") + 1;
        long width = r.bits(widthBits, "max_frame_width_minus_1") + 1;
        long height = r.bits(heightBits, "max_frame_height_minus_1") + 1;
        return new Av1SequenceHeader(seqProfile, stillPicture, levelIdx0, (int) width, (int) height);
    }
}
