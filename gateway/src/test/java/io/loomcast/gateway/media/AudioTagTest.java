package io.loomcast.gateway.media;

import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AudioTagTest {
    private static final Map<String, byte[]> A = MediaVectors.audioTags();

    private static AudioTag parse(String name) throws ProtocolException {
        return FlvTags.parseAudio(A.get(name));
    }

    /** Sequence-start recognition for every codec, legacy and enhanced. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // vector,                   codec,                kind,                seqHdr, payloadOffset
        "mp4a-sequence-start,        AAC,                  SEQUENCE_START,      true,   5",
        "mp4a-coded-frames,          AAC,                  CODED_FRAMES,        false,  5",
        "opus-sequence-start,        OPUS,                 SEQUENCE_START,      true,   5",
        "opus-coded-frames,          OPUS,                 CODED_FRAMES,        false,  5",
        "opus-sequence-end,          OPUS,                 SEQUENCE_END,        false,  5",
        "flac-sequence-start,        FLAC,                 SEQUENCE_START,      true,   5",
        "ac3-coded-frames,           AC3,                  CODED_FRAMES,        false,  5",
        "eac3-coded-frames,          EAC3,                 CODED_FRAMES,        false,  5",
        "mp3-coded-frames,           MP3,                  CODED_FRAMES,        false,  5",
        "unknown-fourcc,             UNKNOWN,              CODED_FRAMES,        false,  5",
        "multichannel-native,        OPUS,                 MULTICHANNEL_CONFIG, true,   5",
        "multichannel-custom,        OPUS,                 MULTICHANNEL_CONFIG, true,   5",
        "multichannel-unspecified,   OPUS,                 MULTICHANNEL_CONFIG, true,   5",
        "modex-nano-offset,          OPUS,                 CODED_FRAMES,        false,  10",
        "legacy-aac-sequence-start,  AAC,                  SEQUENCE_START,      true,   2",
        "legacy-aac-raw,             AAC,                  CODED_FRAMES,        false,  2",
        "legacy-mp3,                 MP3,                  CODED_FRAMES,        false,  1",
        "legacy-pcm-8bit-5k-mono,    LPCM_PLATFORM_ENDIAN, CODED_FRAMES,        false,  1",
        "legacy-reserved-format-12,  UNKNOWN,              CODED_FRAMES,        false,  1",
        "legacy-device-specific,     DEVICE_SPECIFIC,      CODED_FRAMES,        false,  1",
        "silence,                    UNKNOWN,              SILENCE,             false,  0",
    })
    void recognisesEveryCodec(String name, AudioCodec codec, AudioPacketKind kind, boolean seqHdr, int payloadOffset)
            throws ProtocolException {
        AudioTag t = parse(name);
        assertEquals(codec, t.codec(), name);
        assertEquals(kind, t.packetKind(), name);
        assertEquals(seqHdr, t.isSequenceHeader(), name);
        assertEquals(kind == AudioPacketKind.CODED_FRAMES, t.isKeyframe(), name);
        assertEquals(payloadOffset, t.payloadOffset(), name);
        assertEquals(A.get(name).length - payloadOffset, t.payloadLength(), name);
        assertEquals(!name.startsWith("legacy") && !name.equals("silence"), t.enhanced(), name);
    }

    @Test
    void legacySoundBits() throws ProtocolException {
        AudioTag aac = parse("legacy-aac-raw"); // 0xAF: AAC, 44 kHz, 16-bit, stereo
        assertEquals(44100, aac.legacyRateHz());
        assertEquals(16, aac.legacySampleBits());
        assertEquals(2, aac.legacyChannels());
        AudioTag pcm = parse("legacy-pcm-8bit-5k-mono");
        assertEquals(5512, pcm.legacyRateHz());
        assertEquals(8, pcm.legacySampleBits());
        assertEquals(1, pcm.legacyChannels());
        assertEquals(12, parse("legacy-reserved-format-12").codecTag());
        AudioTag enhanced = parse("opus-coded-frames");
        assertEquals(0, enhanced.legacyRateHz());
        assertEquals(AudioCodec.OPUS.fourCc(), enhanced.codecTag());
    }

    @Test
    void enhancedAacCarriesAnAudioSpecificConfig() throws ProtocolException {
        byte[] b = A.get("mp4a-sequence-start");
        AudioTag t = FlvTags.parseAudio(b);
        AacAudioConfig c = AacAudioConfig.parse(b, t.payloadOffset(), t.payloadLength());
        assertEquals(2, c.audioObjectType());
        assertEquals(44100, c.samplingFrequencyHz());
        assertEquals(2, c.channels());
    }

    @Test
    void modExTimestampOffsetNano() throws ProtocolException {
        assertEquals(1, parse("modex-nano-offset").timestampOffsetNanos());
    }

    @Test
    void multitrack() throws ProtocolException {
        byte[] many = A.get("multitrack-many-tracks");
        List<AudioTag> tracks = FlvTags.audioTracks(many, 0, many.length);
        assertEquals(2, tracks.size());
        assertEquals(List.of(0, 1), tracks.stream().map(AudioTag::trackId).toList());
        assertTrue(tracks.stream().allMatch(t -> t.codec() == AudioCodec.AAC && t.isSequenceHeader()));
        AudioTag secondTrack = tracks.get(1);
        AacAudioConfig second = AacAudioConfig.parse(many, secondTrack.payloadOffset(), secondTrack.payloadLength());
        assertEquals(48000, second.samplingFrequencyHz()); // 0x1190: LC, index 3, stereo
        assertEquals(2, FlvTags.parseAudio(many).trackCount());

        byte[] codecs = A.get("multitrack-many-codecs");
        assertEquals(List.of(AudioCodec.OPUS, AudioCodec.AAC),
                FlvTags.audioTracks(codecs, 0, codecs.length).stream().map(AudioTag::codec).toList());

        AudioTag one = parse("multitrack-one-track");
        assertEquals(TrackLayout.ONE_TRACK, one.trackLayout());
        assertEquals(7, one.payloadOffset());
        assertFalse(one.isSequenceHeader());
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "af                     | AAC AACPacketType: needs 1 byte at offset 1, only 0 left",
        "af 02                  | AAC AACPacketType 2 is not 0 or 1",
        "93 4f707573            | audio AudioPacketType 3 is reserved",
        "96 4f707573            | audio AudioPacketType 6 is reserved",
        "98 4f707573            | audio AudioPacketType 8 is reserved",
        "91 4f7075              | audio FourCC: needs 4 bytes at offset 1, only 3 left",
        "94 4f707573 01 02 0000 | audio channel mask: needs 4 bytes at offset 7, only 2 left",
        "94 4f707573 02 03 0001 | audio custom channel map: needs 3 bytes at offset 7, only 2 left",
        "94 4f707573 03 02      | audio AudioChannelOrder 3 is reserved",
        "94 4f707573 00         | audio channel count: needs 1 byte at offset 6, only 0 left",
        "95 05 4f707573         | audio multitrack packet type 5 must not nest",
        "95 31 4f707573         | audio AvMultitrackType 3 is reserved",
        "95 11 4f707573 00 000009 00 | audio track 0 body: needs 9 bytes at offset 10, only 1 left",
        "97 00                  | audio ModEx data and type: needs 2 bytes at offset 2, only 0 left",
        "97 01 0000 01 4f707573 | audio ModEx TimestampOffsetNano has 2 data bytes, needs 3",
    })
    void rejectsMalformed(String hexBytes, String message) {
        var e = assertThrows(ProtocolException.class, () -> FlvTags.parseAudio(hex(hexBytes)));
        assertEquals(message, e.getMessage());
    }
}
