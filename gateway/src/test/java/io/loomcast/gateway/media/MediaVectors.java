package io.loomcast.gateway.media;

import static io.loomcast.gateway.testing.Hex.concat;
import static io.loomcast.gateway.testing.Hex.hex;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hand-written tag bodies for the forms ffmpeg 5.1 cannot produce, laid out from enhanced-rtmp v2
 * ("Enhanced Audio", "Enhanced Video") and FLV 10.1 Annex E, plus the captured decoder configuration records
 * they wrap. Shared by the unit tests, the truncation test and the fuzz seeds.
 */
final class MediaVectors {
    private MediaVectors() {}

    static final byte[] AVC_C_720P = avcConfigOf720p();
    static final byte[] HVC_C_720P = FlvFile.resource("hevc-720p-main.hvcC");
    static final byte[] HVC_C_1080P_MAIN10 = FlvFile.resource("hevc-1080p-main10.hvcC");
    static final byte[] AV1_C_360P = FlvFile.resource("av1-360p.av1C");
    /** As in the MP4 box: FullBox version 1, flags 0, then the 8-byte record. */
    static final byte[] VPC_C_360P_BOX = FlvFile.resource("vp9-360p.vpcC");
    static final byte[] VPC_C_360P = java.util.Arrays.copyOfRange(VPC_C_360P_BOX, 4, VPC_C_360P_BOX.length);

    // FourCCs as on the wire
    static final String AVC1 = "61766331";
    static final String HVC1 = "68766331";
    static final String AV01 = "61763031";
    static final String VP09 = "76703039";
    static final String MP4A = "6d703461";
    static final String OPUS = "4f707573";

    /** The enhanced header byte: IsExHeader, 3-bit FrameType, 4-bit PacketType. */
    static String ex(int frameType, int packetType) {
        return "%02x".formatted(0x80 | frameType << 4 | packetType);
    }

    /** Named video tag bodies, in an order the tests and the fuzz seeds both use. */
    static Map<String, byte[]> videoTags() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("hvc1-sequence-start", concat(hex(ex(1, 0) + HVC1), HVC_C_720P));
        m.put("hvc1-key-coded-frames", hex(ex(1, 1) + HVC1 + "000021" + "00000005 2601af0a1b"));
        m.put("hvc1-inter-negative-cts", hex(ex(2, 1) + HVC1 + "fffffe" + "00000003 0201d0"));
        m.put("hvc1-key-coded-frames-x", hex(ex(1, 3) + HVC1 + "00000005 2601af0a1b"));
        m.put("hvc1-sequence-end", hex(ex(1, 2) + HVC1));
        m.put("avc1-sequence-start", concat(hex(ex(1, 0) + AVC1), AVC_C_720P));
        m.put("avc1-key-coded-frames", hex(ex(1, 1) + AVC1 + "000043" + "00000002 6588"));
        m.put("av01-sequence-start", concat(hex(ex(1, 0) + AV01), AV1_C_360P));
        m.put("av01-key-coded-frames", hex(ex(1, 1) + AV01 + "12 00 0a0b"));
        m.put("av01-mpeg2ts-sequence-start", hex(ex(1, 5) + AV01 + "80 04 41563031"));
        m.put("vp09-sequence-start", concat(hex(ex(1, 0) + VP09), VPC_C_360P));
        m.put("vp09-inter-coded-frames", hex(ex(2, 1) + VP09 + "8649"));
        m.put("vp08-key-coded-frames-x", hex(ex(1, 3) + "76703038" + "9d012a"));
        m.put("metadata-colorinfo", hex(ex(0, 4) + HVC1
                + "02 0009 636f6c6f72496e666f 03 000a 636f6c6f72436f6e666967 03 0000 09 000009"));
        m.put("unknown-fourcc", hex(ex(1, 1) + "78797a31" + "010203"));
        m.put("enhanced-command-start-seek", hex(ex(5, 1) + "00"));
        m.put("modex-nano-offset", hex(ex(1, 7) + "02 0f423f 01" + HVC1 + "000000" + "00000001 26"));
        m.put("modex-16bit-unknown-type", concat(hex(ex(2, 7) + "ff 0100"), new byte[257],
                hex("13" + HVC1 + "00000001 02")));
        m.put("multitrack-one-track", hex(ex(1, 6) + "01" + HVC1 + "00" + "000010" + "00000001 26"));
        m.put("multitrack-many-tracks", concat(hex(ex(1, 6) + "10" + AV01 + "00 000011"), AV1_C_360P,
                hex("01 000011"), AV1_C_360P));
        m.put("multitrack-many-codecs", hex(ex(2, 6) + "21" + AVC1 + "00 000007 000002 41e0a0b0"
                + AV01 + "01 000003 320a0b"));
        m.put("legacy-hevc12-sequence-start", concat(hex("1c 00 000000"), HVC_C_720P));
        m.put("legacy-hevc12-key", hex("1c 01 000021 00000002 2601"));
        m.put("legacy-hevc12-inter", hex("2c 01 000000 00000002 0201"));
        m.put("legacy-avc-command-end-seek", hex("57 01"));
        m.put("legacy-h263-key", hex("12 00008401"));
        m.put("legacy-h263-disposable", hex("32 00008409"));
        m.put("legacy-screen-key", hex("13 3040"));
        m.put("legacy-vp6-key", hex("14 00 7846"));
        m.put("legacy-vp6a-inter", hex("25 00 000004 7846"));
        m.put("legacy-screen2-generated-key", hex("46 3040"));
        m.put("legacy-unknown-codec-13", hex("1d 0102"));
        return m;
    }

    /** Named audio tag bodies. */
    static Map<String, byte[]> audioTags() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("mp4a-sequence-start", hex("90" + MP4A + "1210"));
        m.put("mp4a-coded-frames", hex("91" + MP4A + "21100502"));
        m.put("opus-sequence-start", hex("90" + OPUS + "4f707573486561640102380180bb0000000000"));
        m.put("opus-coded-frames", hex("91" + OPUS + "fc0102"));
        m.put("opus-sequence-end", hex("92" + OPUS));
        m.put("flac-sequence-start", hex("90 664c6143 664c6143 00000022"));
        m.put("ac3-coded-frames", hex("91 61632d33 0b77"));
        m.put("eac3-coded-frames", hex("91 65632d33 0b77"));
        m.put("mp3-coded-frames", hex("91 2e6d7033 fffb"));
        m.put("unknown-fourcc", hex("91 78797a31 00"));
        m.put("multichannel-native", hex("94" + OPUS + "01 02 00000003"));
        m.put("multichannel-custom", hex("94" + OPUS + "02 03 00 01 02"));
        m.put("multichannel-unspecified", hex("94" + OPUS + "00 06"));
        m.put("modex-nano-offset", hex("97 02 000001 01" + OPUS + "fc"));
        m.put("multitrack-many-tracks", hex("95 10" + MP4A + "00 000002 1210 01 000002 1190"));
        m.put("multitrack-many-codecs", hex("95 21" + OPUS + "00 000003 fc0102" + MP4A + "01 000002 2110"));
        m.put("multitrack-one-track", hex("95 01" + MP4A + "00 2110"));
        m.put("legacy-aac-sequence-start", hex("af 00 1210"));
        m.put("legacy-aac-raw", hex("af 01 2110"));
        m.put("legacy-mp3", hex("2e fffb10c4"));
        m.put("legacy-pcm-8bit-5k-mono", hex("00 8080"));
        m.put("legacy-reserved-format-12", hex("c2 00"));
        m.put("legacy-device-specific", hex("f3 00"));
        m.put("silence", new byte[0]);
        return m;
    }

    /** The AVCDecoderConfigurationRecord from the captured 720p High stream's sequence header tag. */
    private static byte[] avcConfigOf720p() {
        byte[] tag = FlvFile.bodies("avc-720p-high-aac.flv", 9).get(0);
        return java.util.Arrays.copyOfRange(tag, 5, tag.length);
    }
}
