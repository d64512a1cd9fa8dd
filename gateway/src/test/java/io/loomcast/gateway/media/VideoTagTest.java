package io.loomcast.gateway.media;

import static io.loomcast.gateway.media.MediaVectors.HVC1;
import static io.loomcast.gateway.media.MediaVectors.ex;
import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VideoTagTest {
    private static final Map<String, byte[]> V = MediaVectors.videoTags();

    private static VideoTag parse(String name) throws ProtocolException {
        return FlvTags.parseVideo(V.get(name));
    }

    /** Keyframe and sequence-header recognition for every codec, legacy and enhanced. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // vector,                       codec,         kind,                   key,   seqHdr, frameType
        "hvc1-sequence-start,            HEVC,          SEQUENCE_START,         false, true,  KEY",
        "hvc1-key-coded-frames,          HEVC,          CODED_FRAMES,           true,  false, KEY",
        "hvc1-inter-negative-cts,        HEVC,          CODED_FRAMES,           false, false, INTER",
        "hvc1-key-coded-frames-x,        HEVC,          CODED_FRAMES,           true,  false, KEY",
        "hvc1-sequence-end,              HEVC,          SEQUENCE_END,           false, false, KEY",
        "avc1-sequence-start,            AVC,           SEQUENCE_START,         false, true,  KEY",
        "avc1-key-coded-frames,          AVC,           CODED_FRAMES,           true,  false, KEY",
        "av01-sequence-start,            AV1,           SEQUENCE_START,         false, true,  KEY",
        "av01-key-coded-frames,          AV1,           CODED_FRAMES,           true,  false, KEY",
        "av01-mpeg2ts-sequence-start,    AV1,           MPEG2TS_SEQUENCE_START, false, true,  KEY",
        "vp09-sequence-start,            VP9,           SEQUENCE_START,         false, true,  KEY",
        "vp09-inter-coded-frames,        VP9,           CODED_FRAMES,           false, false, INTER",
        "vp08-key-coded-frames-x,        VP8,           CODED_FRAMES,           true,  false, KEY",
        "metadata-colorinfo,             HEVC,          METADATA,               false, false, NOT_APPLICABLE",
        "unknown-fourcc,                 UNKNOWN,       CODED_FRAMES,           true,  false, KEY",
        "enhanced-command-start-seek,    UNKNOWN,       COMMAND,                false, false, COMMAND",
        "legacy-hevc12-sequence-start,   HEVC,          SEQUENCE_START,         false, true,  KEY",
        "legacy-hevc12-key,              HEVC,          CODED_FRAMES,           true,  false, KEY",
        "legacy-hevc12-inter,            HEVC,          CODED_FRAMES,           false, false, INTER",
        "legacy-avc-command-end-seek,    AVC,           COMMAND,                false, false, COMMAND",
        "legacy-h263-key,                SORENSON_H263, CODED_FRAMES,           true,  false, KEY",
        "legacy-h263-disposable,         SORENSON_H263, CODED_FRAMES,           false, false, DISPOSABLE_INTER",
        "legacy-screen-key,              SCREEN,        CODED_FRAMES,           true,  false, KEY",
        "legacy-vp6-key,                 VP6,           CODED_FRAMES,           true,  false, KEY",
        "legacy-vp6a-inter,              VP6_ALPHA,     CODED_FRAMES,           false, false, INTER",
        "legacy-screen2-generated-key,   SCREEN_V2,     CODED_FRAMES,           true,  false, GENERATED_KEY",
        "legacy-unknown-codec-13,        UNKNOWN,       CODED_FRAMES,           true,  false, KEY",
    })
    void recognisesEveryCodec(String name, VideoCodec codec, VideoPacketKind kind, boolean key, boolean seqHdr,
            VideoFrameType frameType) throws ProtocolException {
        VideoTag t = parse(name);
        assertEquals(codec, t.codec(), name);
        assertEquals(kind, t.packetKind(), name);
        assertEquals(key, t.isKeyframe(), name);
        assertEquals(seqHdr, t.isSequenceHeader(), name);
        assertEquals(frameType, t.frameType(), name);
        assertEquals(!name.startsWith("legacy"), t.enhanced(), name);
    }

    @Test
    void compositionTimeOnlyWhereTheSpecPutsIt() throws ProtocolException {
        VideoTag hevc = parse("hvc1-key-coded-frames");
        assertEquals(0x21, hevc.compositionTimeMs());
        assertEquals(8, hevc.payloadOffset()); // header byte, FourCC, SI24
        assertEquals(-2, parse("hvc1-inter-negative-cts").compositionTimeMs());
        VideoTag codedX = parse("hvc1-key-coded-frames-x");
        assertEquals(0, codedX.compositionTimeMs());
        assertEquals(5, codedX.payloadOffset());
        assertEquals(0x43, parse("avc1-key-coded-frames").compositionTimeMs());
        // enhanced-rtmp v2: av01 and vp09 CodedFrames have no composition time field
        assertEquals(5, parse("av01-key-coded-frames").payloadOffset());
        assertEquals(5, parse("vp09-inter-coded-frames").payloadOffset());
        assertEquals(0x21, parse("legacy-hevc12-key").compositionTimeMs());
        assertEquals(5, parse("legacy-hevc12-key").payloadOffset());
    }

    @Test
    void payloadSlicesCoverTheCodecData() throws ProtocolException {
        byte[] b = V.get("hvc1-sequence-start");
        VideoTag t = FlvTags.parseVideo(b);
        assertEquals(5, t.payloadOffset());
        assertEquals(MediaVectors.HVC_C_720P.length, t.payloadLength());
        assertEquals(0, parse("hvc1-sequence-end").payloadLength());
        VideoTag command = parse("legacy-avc-command-end-seek");
        assertEquals(1, command.payloadOffset());
        assertEquals(1, V.get("legacy-avc-command-end-seek")[command.payloadOffset()]);
        assertEquals(5, parse("unknown-fourcc").payloadOffset());
        assertEquals(0x78797a31, parse("unknown-fourcc").codecTag());
        assertEquals(13, parse("legacy-unknown-codec-13").codecTag());
    }

    @Test
    void sliceVariantReportsAbsoluteOffsets() throws ProtocolException {
        byte[] tag = V.get("hvc1-key-coded-frames");
        byte[] buf = new byte[tag.length + 20];
        System.arraycopy(tag, 0, buf, 7, tag.length);
        buf[6] = (byte) 0xFF; // garbage around the slice must not be read
        VideoTag t = FlvTags.parseVideo(buf, 7, tag.length);
        assertEquals(7 + 8, t.payloadOffset());
        assertEquals(tag.length - 8, t.payloadLength());
        assertThrows(IndexOutOfBoundsException.class, () -> FlvTags.parseVideo(buf, 30, 10));
    }

    @Test
    void modExTimestampOffsetNano() throws ProtocolException {
        VideoTag t = parse("modex-nano-offset");
        assertEquals(999_999, t.timestampOffsetNanos());
        assertEquals(VideoPacketKind.CODED_FRAMES, t.packetKind());
        assertEquals(VideoCodec.HEVC, t.codec());
        assertTrue(t.isKeyframe());
        VideoTag skipped = parse("modex-16bit-unknown-type");
        assertEquals(0, skipped.timestampOffsetNanos());
        assertEquals(VideoCodec.HEVC, skipped.codec());
        assertEquals(1 + 3 + 257 + 1 + 4, skipped.payloadOffset()); // header, size 0xff + UI16, data, type, FourCC
    }

    @Test
    void modExNanoNeedsThreeBytes() {
        var e = assertThrows(ProtocolException.class, () -> FlvTags.parseVideo(hex(ex(1, 7) + "01 0f42 01" + HVC1)));
        assertEquals("video ModEx TimestampOffsetNano has 2 data bytes, needs 3", e.getMessage());
    }

    @Test
    void multitrackOneTrack() throws ProtocolException {
        VideoTag t = parse("multitrack-one-track");
        assertEquals(TrackLayout.ONE_TRACK, t.trackLayout());
        assertEquals(1, t.trackCount());
        assertEquals(0x10, t.compositionTimeMs());
        assertTrue(t.isKeyframe());
    }

    @Test
    void multitrackManyTracksListsEachTrack() throws ProtocolException {
        byte[] b = V.get("multitrack-many-tracks");
        VideoTag first = FlvTags.parseVideo(b);
        assertEquals(2, first.trackCount());
        assertEquals(TrackLayout.MANY_TRACKS, first.trackLayout());
        List<VideoTag> tracks = FlvTags.videoTracks(b, 0, b.length);
        assertEquals(2, tracks.size());
        for (int i = 0; i < 2; i++) {
            VideoTag t = tracks.get(i);
            assertEquals(i, t.trackId());
            assertEquals(VideoCodec.AV1, t.codec());
            assertTrue(t.isSequenceHeader());
            assertEquals(MediaVectors.AV1_C_360P.length, t.payloadLength());
            var config = assertInstanceOf(Av1CodecConfig.class, VideoDecoderConfig.parse(t, b).orElseThrow());
            assertEquals(640, config.width());
        }
    }

    @Test
    void multitrackManyCodecs() throws ProtocolException {
        byte[] b = V.get("multitrack-many-codecs");
        List<VideoTag> tracks = FlvTags.videoTracks(b, 0, b.length);
        assertEquals(List.of(VideoCodec.AVC, VideoCodec.AV1), tracks.stream().map(VideoTag::codec).toList());
        assertEquals(2, tracks.get(0).compositionTimeMs());
        assertEquals(4, tracks.get(0).payloadLength());
        assertEquals(0, tracks.get(1).compositionTimeMs());
        assertEquals(3, tracks.get(1).payloadLength());
        assertFalse(tracks.get(1).isKeyframe());
        assertEquals(2, FlvTags.parseVideo(b).trackCount());
    }

    @Test
    void singleMessageIsOneTrack() throws ProtocolException {
        byte[] b = V.get("hvc1-key-coded-frames");
        List<VideoTag> tracks = FlvTags.videoTracks(b, 0, b.length);
        assertEquals(List.of(FlvTags.parseVideo(b)), tracks);
        assertEquals(TrackLayout.SINGLE, tracks.get(0).trackLayout());
    }

    @Test
    void parseByMessageType() throws ProtocolException {
        byte[] b = V.get("legacy-h263-key");
        assertInstanceOf(VideoTag.class, FlvTags.parse(9, b, 0, b.length));
        assertInstanceOf(AudioTag.class, FlvTags.parse(8, b, 0, b.length));
        assertThrows(IllegalArgumentException.class, () -> FlvTags.parse(18, b, 0, b.length));
    }

    /** Each error names what was wrong; the texts are pinned so a change is deliberate. */
    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "''                       | video message header: needs 1 byte at offset 0, only 0 left",
        "07 01000000              | video FrameType 0 is reserved",
        "67 01000000              | video FrameType 6 is reserved",
        "81 68766331              | video FrameType 0 is reserved",
        "f1 68766331              | video FrameType 7 is reserved",
        "17 03000000              | AVC AVCPacketType 3 is not 0, 1 or 2",
        "17 0100                  | AVC composition time: needs 3 bytes at offset 2, only 1 left",
        "1c                       | HEVC AVCPacketType: needs 1 byte at offset 1, only 0 left",
        "57                       | video command frame: needs 1 byte at offset 1, only 0 left",
        "98 68766331              | video PacketType 8 is reserved",
        "9f 68766331              | video PacketType 15 is reserved",
        "91 687663                | video FourCC: needs 4 bytes at offset 1, only 3 left",
        "91 68766331 0000         | HEVC composition time: needs 3 bytes at offset 5, only 2 left",
        "96 06 68766331           | video multitrack packet type 6 must not nest",
        "96 07 68766331           | video multitrack packet type 7 must not nest",
        "96 31 68766331           | video AvMultitrackType 3 is reserved",
        "96 11 68766331 00 000005 0102 | video track 0 body: needs 5 bytes at offset 10, only 2 left",
        "96 11 68766331           | video track id: needs 1 byte at offset 6, only 0 left",
        "96 13 68766331 00 000000 01 | video track size: needs 3 bytes at offset 11, only 0 left",
        "97 ff 01                 | video ModEx 16-bit size: needs 2 bytes at offset 2, only 1 left",
        "97 05 0102               | video ModEx data and type: needs 7 bytes at offset 2, only 2 left",
    })
    void rejectsMalformed(String hexBytes, String message) {
        var e = assertThrows(ProtocolException.class, () -> FlvTags.parseVideo(hex(hexBytes)));
        assertEquals(message, e.getMessage());
    }
}
