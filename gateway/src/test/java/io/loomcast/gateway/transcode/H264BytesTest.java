package io.loomcast.gateway.transcode;

import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.VideoProfile;
import io.loomcast.gateway.media.AvcDecoderConfig;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.VideoTag;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure-Java byte work: Annex B to AVCC, the AVCDecoderConfigurationRecord, FLV bodies, output sizes. */
class H264BytesTest {

    @Test
    void splitsAnnexBAtThreeAndFourByteStartCodesAndDropsTrailingZeros() {
        byte[] stream = hex("00 00 00 01 09 10 00 00 00 01 67 64 00 1e 00 00 01 68 ee 3c 80 00 00 00 01 65 88 84 00");
        List<byte[]> nals = AnnexB.split(stream, stream.length);
        assertEquals(4, nals.size());
        assertArrayEquals(hex("09 10"), nals.get(0));
        assertArrayEquals(hex("67 64 00 1e"), nals.get(1));
        assertArrayEquals(hex("68 ee 3c 80"), nals.get(2));
        assertArrayEquals(hex("65 88 84"), nals.get(3));
        // AVCC: 4-byte lengths; the access unit delimiter goes, parameter sets go only when asked.
        assertArrayEquals(hex("00000004 6764001e 00000004 68ee3c80 00000003 658884"), AnnexB.toAvcc(nals, false));
        assertArrayEquals(hex("00000003 658884"), AnnexB.toAvcc(nals, true));
    }

    @Test
    void buildsTheSameRecordAsFfmpegsFlvMuxerHighProfileExtensionIncluded(@TempDir Path dir) throws Exception {
        List<FlvReader.Tag> tags = Fixtures.flv(dir, "rec", 320, 180, 30, 1, "veryfast");
        FlvReader.Tag header = tags.stream().filter(t -> t.type() == 9).findFirst().orElseThrow();
        VideoTag tag = FlvTags.parseVideo(header.body());
        AvcDecoderConfig theirs = AvcDecoderConfig.parse(header.body(), tag.payloadOffset(), tag.payloadLength());
        assertEquals(100, theirs.profileIndication(), "libx264 writes High profile");
        byte[] ours = AvcConfigRecord.build(theirs.sequenceParameterSets(), theirs.pictureParameterSets());
        byte[] expected = java.util.Arrays.copyOfRange(header.body(), tag.payloadOffset(),
                tag.payloadOffset() + tag.payloadLength());
        assertArrayEquals(expected, ours, "byte for byte what ffmpeg's flv muxer wrote");
        AvcDecoderConfig back = AvcDecoderConfig.parse(ours, 0, ours.length);
        assertEquals(1, back.chromaFormat(), "4:2:0 in the High-profile extension");
        assertEquals(8, back.bitDepthLuma());
        assertEquals(4, back.nalLengthSize());
        assertEquals(320, back.width());
        assertEquals(180, back.height());
    }

    @Test
    void flvBodiesCarryPacketTypeAndSignedCompositionTime() {
        assertArrayEquals(hex("17 00 000000 01 02"), FlvBodies.avcSequenceHeader(hex("01 02")));
        assertArrayEquals(hex("27 01 000042 aa"), FlvBodies.avcFrame(false, 66, hex("aa")));
        assertArrayEquals(hex("17 01 ffffff aa"), FlvBodies.avcFrame(true, -1, hex("aa")));
        assertArrayEquals(hex("af 00 1190"), FlvBodies.aacSequenceHeader(hex("1190")));
        assertArrayEquals(hex("af 01 21"), FlvBodies.aacFrame(hex("21")));
    }

    @Test
    void outputSizeKeepsTheAspectRatioWhenOneDimensionIsLeftOut() throws Exception {
        var profiles = ConfigLoader.parse("""
                transcode:
                  profiles:
                    both: {video: {width: 640, height: 360, bitrate: 800k}}
                    h: {video: {height: 360, bitrate: 800k}}
                    w: {video: {width: 640, bitrate: 800k}}
                    none: {video: {bitrate: 800k}}
                """, "t.yaml", Map.of()).transcode().profiles();
        VideoProfile both = profiles.get("both").video();
        VideoProfile h = profiles.get("h").video();
        VideoProfile w = profiles.get("w").video();
        VideoProfile none = profiles.get("none").video();
        assertEquals(new OutputSize(640, 360), OutputSize.of(both, 1920, 1080));
        assertEquals(new OutputSize(640, 360), OutputSize.of(both, 240, 240), "both given: exactly those");
        assertEquals(new OutputSize(640, 360), OutputSize.of(h, 1280, 720));
        assertEquals(new OutputSize(480, 360), OutputSize.of(h, 640, 480));
        assertEquals(new OutputSize(640, 480), OutputSize.of(w, 800, 600));
        assertEquals(new OutputSize(640, 274), OutputSize.of(w, 1920, 818), "rounded to even for 4:2:0");
        assertEquals(new OutputSize(1280, 720), OutputSize.of(none, 1280, 720));
    }
}
