package io.loomcast.gateway.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every tag of the FLV files ffmpeg 5.1 wrote (see vectors/media/README.md), parsed as RTMP payloads. */
class CapturedVectorsTest {
    private static List<VideoTag> video(String file) throws ProtocolException {
        List<VideoTag> out = new ArrayList<>();
        for (byte[] body : FlvFile.bodies(file, 9)) {
            VideoTag t = FlvTags.parseVideo(body);
            assertTrue(t.payloadOffset() + t.payloadLength() == body.length, t.toString());
            out.add(t);
        }
        return out;
    }

    private static List<AudioTag> audio(String file) throws ProtocolException {
        List<AudioTag> out = new ArrayList<>();
        for (byte[] body : FlvFile.bodies(file, 8)) {
            out.add(FlvTags.parseAudio(body));
        }
        return out;
    }

    @Test
    void x264HighWithAacFromFfmpeg() throws ProtocolException {
        List<byte[]> bodies = FlvFile.bodies("avc-720p-high-aac.flv", 9);
        List<VideoTag> tags = video("avc-720p-high-aac.flv");
        VideoTag header = tags.get(0);
        assertEquals(VideoCodec.AVC, header.codec());
        assertTrue(header.isSequenceHeader());
        assertFalse(header.isKeyframe()); // flagged FrameType 1, but it is configuration
        AvcDecoderConfig config = (AvcDecoderConfig) VideoDecoderConfig.parse(header, bodies.get(0)).orElseThrow();
        assertEquals(1280, config.width());
        assertEquals(720, config.height());
        assertEquals(100, config.profileIndication());

        VideoTag idr = tags.get(1);
        assertTrue(idr.isKeyframe());
        assertEquals(67, idr.compositionTimeMs()); // two B-frames of delay at 30 fps
        assertEquals(1, tags.stream().filter(VideoTag::isKeyframe).count());
        assertTrue(tags.subList(2, tags.size() - 1).stream()
                .allMatch(t -> t.isCodedFrame() && t.frameType() == VideoFrameType.INTER));
        assertEquals(VideoPacketKind.SEQUENCE_END, tags.get(tags.size() - 1).packetKind());

        List<byte[]> audioBodies = FlvFile.bodies("avc-720p-high-aac.flv", 8);
        List<AudioTag> audio = audio("avc-720p-high-aac.flv");
        AudioTag asc = audio.get(0);
        assertTrue(asc.isSequenceHeader());
        AacAudioConfig aac = AacAudioConfig.parse(audioBodies.get(0), asc.payloadOffset(), asc.payloadLength());
        assertEquals(2, aac.audioObjectType());
        assertEquals(44100, aac.samplingFrequencyHz());
        assertEquals(2, aac.channels());
        assertFalse(aac.sbr());
        assertTrue(audio.subList(1, audio.size()).stream()
                .allMatch(a -> a.isCodedFrame() && a.codec() == AudioCodec.AAC));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // file,              video codec,   audio codec,          legacy rate, bits, channels
        "h263-adpcm.flv,      SORENSON_H263, ADPCM,                22050,       16,   1",
        "screen-mp3.flv,      SCREEN,        MP3,                  44100,       16,   1",
        "screen2-speex.flv,   SCREEN_V2,     SPEEX,                11025,       16,   1",
        "alaw.flv,            ,              G711_A_LAW,           5512,        16,   1",
        "mulaw.flv,           ,              G711_MU_LAW,          5512,        16,   1",
        "nelly.flv,           ,              NELLYMOSER,           44100,       16,   1",
    })
    void legacyFlashCodecsFromFfmpeg(String file, VideoCodec videoCodec, AudioCodec audioCodec, int rate, int bits,
            int channels) throws ProtocolException {
        List<VideoTag> tags = video(file);
        if (videoCodec != null) {
            assertTrue(tags.stream().allMatch(t -> t.codec() == videoCodec && t.isCodedFrame()));
            assertTrue(tags.get(0).isKeyframe(), "first frame is a keyframe");
        } else {
            assertEquals(List.of(), tags);
        }
        List<AudioTag> audio = audio(file);
        assertFalse(audio.isEmpty());
        for (AudioTag a : audio) {
            assertEquals(audioCodec, a.codec());
            assertEquals(rate, a.legacyRateHz());
            assertEquals(bits, a.legacySampleBits());
            assertEquals(channels, a.legacyChannels());
            assertEquals(1, a.payloadOffset());
        }
    }

    @Test
    void h263InterFramesFollowTheKeyframe() throws ProtocolException {
        List<VideoTag> tags = video("h263-adpcm.flv");
        assertTrue(tags.size() > 1);
        assertTrue(tags.subList(1, tags.size()).stream().noneMatch(VideoTag::isKeyframe));
    }
}
