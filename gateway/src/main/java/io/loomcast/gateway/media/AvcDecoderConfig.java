package io.loomcast.gateway.media;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1), the body of an AVC sequence header.
 *
 * @param profileIndication        AVCProfileIndication, a copy of the SPS profile_idc
 * @param profileCompatibility     the SPS constraint flags byte
 * @param levelIndication          AVCLevelIndication (31 means level 3.1)
 * @param nalLengthSize            bytes of the length prefix before each NAL unit in frames: 1, 2 or 4
 * @param sequenceParameterSets    SPS NAL units, header byte included
 * @param pictureParameterSets     PPS NAL units
 * @param chromaFormat             chroma_format from the High-profile extension, -1 if the record has none
 * @param bitDepthLuma             luma bit depth from the extension, -1 if none
 * @param bitDepthChroma           chroma bit depth from the extension, -1 if none
 * @param sequenceParameterSetExts SPS extension NAL units from the extension (empty if none)
 * @param sps                      the first SPS parsed, or null if the record has no SPS
 */
public record AvcDecoderConfig(
        int profileIndication,
        int profileCompatibility,
        int levelIndication,
        int nalLengthSize,
        List<byte[]> sequenceParameterSets,
        List<byte[]> pictureParameterSets,
        int chromaFormat,
        int bitDepthLuma,
        int bitDepthChroma,
        List<byte[]> sequenceParameterSetExts,
        AvcSps sps)
        implements VideoDecoderConfig {

    @Override
    public VideoCodec codec() {
        return VideoCodec.AVC;
    }

    @Override
    public int width() {
        return sps == null ? 0 : sps.width();
    }

    @Override
    public int height() {
        return sps == null ? 0 : sps.height();
    }

    /**
     * Parses a record. Reserved bits are not checked (some encoders write them as zeros). Bytes after the
     * record are ignored, as 14496-15 lets later versions append fields.
     */
    public static AvcDecoderConfig parse(byte[] b, int offset, int length) throws ProtocolException {
        ByteCursor c = new ByteCursor(b, offset, length, "AVCDecoderConfigurationRecord");
        int version = c.u8("configurationVersion");
        if (version != 1) {
            throw c.error("configurationVersion %d is not 1".formatted(version));
        }
        int profile = c.u8("AVCProfileIndication");
        int compatibility = c.u8("profile_compatibility");
        int level = c.u8("AVCLevelIndication");
        int nalLengthSize = (c.u8("lengthSizeMinusOne") & 0x03) + 1;
        if (nalLengthSize == 3) {
            throw c.error("lengthSizeMinusOne 2 is not allowed (NAL lengths are 1, 2 or 4 bytes)");
        }
        List<byte[]> sps = nalUnits(c, c.u8("numOfSequenceParameterSets") & 0x1F, "SPS");
        List<byte[]> pps = nalUnits(c, c.u8("numOfPictureParameterSets"), "PPS");
        int chromaFormat = -1;
        int bitDepthLuma = -1;
        int bitDepthChroma = -1;
        List<byte[]> spsExt = List.of();
        // 14496-15 5.3.3.1.1 adds these for profiles 100, 110, 122 and 144. Old muxers leave them out, and
        // ffmpeg writes them for every profile but 66, 77 and 88 (e.g. 244), so: read them when present.
        if (c.remaining() > 0 && profile != 66 && profile != 77 && profile != 88) {
            chromaFormat = c.u8("chroma_format") & 0x03;
            bitDepthLuma = (c.u8("bit_depth_luma_minus8") & 0x07) + 8;
            bitDepthChroma = (c.u8("bit_depth_chroma_minus8") & 0x07) + 8;
            spsExt = nalUnits(c, c.u8("numOfSequenceParameterSetExt"), "SPS extension");
        }
        AvcSps parsed = sps.isEmpty() ? null : AvcSps.parse(sps.get(0), 0, sps.get(0).length);
        return new AvcDecoderConfig(profile, compatibility, level, nalLengthSize, sps, pps, chromaFormat,
                bitDepthLuma, bitDepthChroma, spsExt, parsed);
    }

    private static List<byte[]> nalUnits(ByteCursor c, int count, String kind) throws ProtocolException {
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(c.nalUnit(kind + " " + i));
        }
        return List.copyOf(out);
    }
}
