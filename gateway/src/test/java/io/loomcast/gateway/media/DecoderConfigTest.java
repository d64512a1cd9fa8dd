package io.loomcast.gateway.media;

import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decoder configuration records captured from ffmpeg/x264/x265/libaom/libvpx, plus hand-built AAC configs. */
class DecoderConfigTest {
    private static AvcDecoderConfig avc(byte[] b) throws ProtocolException {
        return AvcDecoderConfig.parse(b, 0, b.length);
    }

    @Test
    void avc720pHigh() throws ProtocolException {
        AvcDecoderConfig c = avc(MediaVectors.AVC_C_720P);
        assertEquals(100, c.profileIndication());
        assertEquals(31, c.levelIndication());
        assertEquals(4, c.nalLengthSize());
        assertEquals(1, c.sequenceParameterSets().size());
        assertEquals(1, c.pictureParameterSets().size());
        assertEquals(1280, c.width());
        assertEquals(720, c.height());
        AvcSps sps = c.sps();
        assertEquals(100, sps.profileIdc());
        assertEquals(1, sps.chromaFormatIdc());
        assertEquals(8, sps.bitDepthLuma());
        assertTrue(sps.frameMbsOnly());
        // x264 in ffmpeg 5.1's FLV muxer writes the High-profile extension: 4:2:0, 8-bit, no SPS-ext
        assertEquals(1, c.chromaFormat());
        assertEquals(8, c.bitDepthLuma());
        assertEquals(List.of(), c.sequenceParameterSetExts());
    }

    @Test
    void avc1080pHigh444WithScalingListsAndCropping() throws ProtocolException {
        AvcDecoderConfig c = avc(FlvFile.resource("avc-1080p-high444.avcC"));
        assertEquals(244, c.profileIndication());
        assertEquals(40, c.levelIndication());
        assertEquals(3, c.sps().chromaFormatIdc());
        assertEquals(3, c.chromaFormat());
        assertEquals(1920, c.width());
        assertEquals(1080, c.height()); // 68 macroblock rows = 1088, cropped by 8
    }

    @Test
    void avc1080iHigh422TenBitInterlaced() throws ProtocolException {
        AvcDecoderConfig c = avc(FlvFile.resource("avc-1080i-high422-10bit.avcC"));
        assertEquals(122, c.profileIndication());
        AvcSps sps = c.sps();
        assertFalse(sps.frameMbsOnly());
        assertEquals(2, sps.chromaFormatIdc());
        assertEquals(10, sps.bitDepthLuma());
        assertEquals(10, sps.bitDepthChroma());
        assertEquals(1920, sps.width());
        assertEquals(1080, sps.height()); // 34 field-pair map units = 1088 lines; CropUnitY is 2 for 4:2:2 fields
        assertEquals(10, c.bitDepthChroma());
    }

    @Test
    void avcWithoutExtensionOrSps() throws ProtocolException {
        // Baseline, 2-byte NAL lengths, no SPS, no PPS: legal, and the size is simply unknown.
        AvcDecoderConfig c = avc(hex("01 42c01e fd e0 00"));
        assertEquals(2, c.nalLengthSize());
        assertNull(c.sps());
        assertEquals(0, c.width());
        assertEquals(-1, c.chromaFormat());
    }

    @Test
    void hevc720pMain() throws ProtocolException {
        var c = assertInstanceOf(HevcDecoderConfig.class,
                VideoDecoderConfig.parse(tag("hvc1-sequence-start"), video("hvc1-sequence-start")).orElseThrow());
        assertEquals(1, c.profileIdc());
        assertFalse(c.highTier());
        assertEquals(93, c.levelIdc());
        assertEquals(4, c.nalLengthSize());
        assertEquals(1, c.chromaFormat());
        assertEquals(8, c.bitDepthLuma());
        assertEquals(List.of(32, 33, 34, 39), nalTypes(c));
        assertEquals(1, c.units(HevcDecoderConfig.NAL_VPS).size());
        assertEquals(1280, c.width());
        assertEquals(720, c.height());
        assertEquals(93, c.sps().levelIdc());
    }

    @Test
    void hevc1080pMain10WithConformanceWindow() throws ProtocolException {
        byte[] b = MediaVectors.HVC_C_1080P_MAIN10;
        HevcDecoderConfig c = HevcDecoderConfig.parse(b, 0, b.length);
        assertEquals(2, c.profileIdc());
        assertEquals(120, c.levelIdc());
        assertEquals(10, c.bitDepthLuma());
        assertEquals(10, c.sps().bitDepthChroma());
        assertEquals(1920, c.width());
        assertEquals(1080, c.height());
    }

    @Test
    void hevcOddSizeUsesTheConformanceWindow() throws ProtocolException {
        byte[] b = FlvFile.resource("hevc-318x178-window.hvcC");
        HevcDecoderConfig c = HevcDecoderConfig.parse(b, 0, b.length);
        assertEquals(List.of(32, 33, 34), nalTypes(c));
        assertEquals(318, c.width());
        assertEquals(178, c.height());
    }

    @Test
    void legacyHevcCodecId12CarriesTheSameRecord() throws ProtocolException {
        var c = VideoDecoderConfig.parse(tag("legacy-hevc12-sequence-start"), video("legacy-hevc12-sequence-start"));
        assertEquals(1280, c.orElseThrow().width());
        assertEquals(VideoCodec.HEVC, c.orElseThrow().codec());
    }

    @Test
    void av1WithSequenceHeaderObu() throws ProtocolException {
        var c = assertInstanceOf(Av1CodecConfig.class,
                VideoDecoderConfig.parse(tag("av01-sequence-start"), video("av01-sequence-start")).orElseThrow());
        assertEquals(0, c.seqProfile());
        assertEquals(1, c.seqLevelIdx0());
        assertEquals(8, c.bitDepth());
        assertTrue(c.chromaSubsamplingX());
        assertTrue(c.chromaSubsamplingY());
        assertFalse(c.monochrome());
        assertEquals(13, c.configObuLength());
        assertEquals(640, c.width());
        assertEquals(360, c.height());
        assertEquals(1, c.sequenceHeader().seqLevelIdx0());
    }

    @Test
    void av1WithoutConfigObus() throws ProtocolException {
        Av1CodecConfig c = Av1CodecConfig.parse(hex("81 4c 40 00"), 0, 4); // profile 2, level 12, 10-bit
        assertEquals(2, c.seqProfile());
        assertEquals(12, c.seqLevelIdx0());
        assertEquals(10, c.bitDepth());
        assertNull(c.sequenceHeader());
        assertEquals(0, c.width());
    }

    @Test
    void vp9BareAndWithFullBoxHeader() throws ProtocolException {
        var bare = assertInstanceOf(VpCodecConfig.class,
                VideoDecoderConfig.parse(tag("vp09-sequence-start"), video("vp09-sequence-start")).orElseThrow());
        byte[] box = MediaVectors.VPC_C_360P_BOX;
        VpCodecConfig boxed = VpCodecConfig.parse(VideoCodec.VP9, box, 0, box.length);
        for (VpCodecConfig c : List.of(bare, boxed)) {
            assertEquals(0, c.profile());
            assertEquals(21, c.level());
            assertEquals(8, c.bitDepth());
            assertEquals(1, c.chromaSubsampling());
            assertFalse(c.videoFullRange());
            assertEquals(2, c.colourPrimaries());
        }
        assertFalse(bare.hadFullBoxHeader());
        assertTrue(boxed.hadFullBoxHeader());
    }

    @Test
    void legacyFlashCodecsHaveNoParsedConfig() throws ProtocolException {
        VideoTag h263 = new VideoTag(VideoCodec.SORENSON_H263, 2, false, VideoFrameType.KEY,
                VideoPacketKind.SEQUENCE_START, 0, 1, 0, TrackLayout.SINGLE, 0, 1, 0);
        assertTrue(VideoDecoderConfig.parse(h263, new byte[1]).isEmpty());
        assertThrows(IllegalArgumentException.class,
                () -> VideoDecoderConfig.parse(tag("hvc1-key-coded-frames"), video("hvc1-key-coded-frames")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // ASC hex,             AOT, core Hz, chanCfg, channels, out Hz, sbr,   ps
        "1210,                  2,   44100,   2,       2,        44100,  false, false", // LC stereo, ffmpeg FLV
        "121056e500,            2,   44100,   2,       2,        44100,  false, false", // + sync ext, SBR absent
        "0988,                  1,   48000,   1,       1,        48000,  false, false", // Main mono, ffmpeg MP4
        "2b1188,                2,   24000,   2,       2,        48000,  true,  false", // HE-AAC explicit (AOT 5)
        "eb0988,                2,   24000,   1,       2,        48000,  true,  true",  // HE-AAC v2 explicit (AOT 29)
        "131056e59d4880,        2,   24000,   2,       2,        48000,  true,  true",  // implicit, sync extensions
        "f94640,                42,  48000,   2,       2,        48000,  false, false", // escape: 31 -> 32 + 10
        "17805dc008,            2,   48000,   1,       1,        48000,  false, false", // explicit 24-bit rate
        "11b0,                  2,   48000,   6,       6,        48000,  false, false", // 5.1
        "1180,                  2,   48000,   0,       0,        48000,  false, false", // channels in a PCE
    })
    void aacAudioSpecificConfig(String ascHex, int aot, int coreHz, int channelConfiguration, int channels, int outHz,
            boolean sbr, boolean ps) throws ProtocolException {
        byte[] b = hex(ascHex);
        AacAudioConfig c = AacAudioConfig.parse(b, 0, b.length);
        assertEquals(aot, c.audioObjectType());
        assertEquals(coreHz, c.samplingFrequencyHz());
        assertEquals(channelConfiguration, c.channelConfiguration());
        assertEquals(channels, c.channels());
        assertEquals(outHz, c.outputSamplingFrequencyHz());
        assertEquals(sbr, c.sbr());
        assertEquals(ps, c.ps());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "avc  | 02 64001f ff e1   | AVCDecoderConfigurationRecord: configurationVersion 2 is not 1",
        "avc  | 01 64001f fe e1   | AVCDecoderConfigurationRecord: lengthSizeMinusOne 2 is not allowed"
                + " (NAL lengths are 1, 2 or 4 bytes)",
        "avc  | 01 64001f ff e1 0000 | AVCDecoderConfigurationRecord SPS 0 is empty",
        "avc  | 01 64001f ff e1 0002 68 | AVCDecoderConfigurationRecord SPS 0: needs 2 bytes at offset 8, only 1 left",
        "avc  | 01 64001f ff e1 0004 6864001f 00 | H.264 SPS: nal_unit_type is 8, not 7",
        "avc  | 01 64001f ff e1 0004 6764001f 00 | H.264 SPS: seq_parameter_set_id needs 1 bit, only 0 left",
        "hevc | 01 01       | HEVCDecoderConfigurationRecord general_profile_compatibility_flags:"
                + " needs 4 bytes at offset 2, only 0 left",
        "av1  | 82 000000   | AV1CodecConfigurationRecord: marker 1 and version 1 expected (0x81), got 0x82",
        "av1  | 81 000000 0a 7f | AV1CodecConfigurationRecord OBU payload: needs 127 bytes at offset 6, only 0 left",
        "av1  | 81 000000 8a 00 | AV1CodecConfigurationRecord: OBU forbidden bit set",
        "vp9  | 00 0a 02 02020200 00 | VPCodecConfigurationRecord: bitDepth 0 is not 8, 10 or 12",
        "aac  | 1780        | AudioSpecificConfig: samplingFrequency needs 24 bits, only 7 left",
        "aac  | 0010        | AudioSpecificConfig: audioObjectType 0 (null object)",
        "aac  | 16a0        | AudioSpecificConfig: samplingFrequencyIndex 13 is reserved",
    })
    void rejectsMalformed(String parser, String hexBytes, String message) {
        byte[] b = hex(hexBytes);
        var e = assertThrows(ProtocolException.class, () -> {
            switch (parser.strip()) {
                case "avc" -> AvcDecoderConfig.parse(b, 0, b.length);
                case "hevc" -> HevcDecoderConfig.parse(b, 0, b.length);
                case "av1" -> Av1CodecConfig.parse(b, 0, b.length);
                case "vp9" -> VpCodecConfig.parse(VideoCodec.VP9, b, 0, b.length);
                case "aac" -> AacAudioConfig.parse(b, 0, b.length);
                default -> throw new IllegalArgumentException(parser);
            }
        });
        assertEquals(message, e.getMessage());
    }

    private static List<Integer> nalTypes(HevcDecoderConfig c) {
        return c.arrays().stream().map(HevcDecoderConfig.NalArray::nalUnitType).toList();
    }

    private static final Map<String, byte[]> V = MediaVectors.videoTags();

    private static byte[] video(String name) {
        return V.get(name);
    }

    private static VideoTag tag(String name) throws ProtocolException {
        return FlvTags.parseVideo(V.get(name));
    }
}
