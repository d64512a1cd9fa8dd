package io.loomcast.gateway.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every vector cut at every length: the parsers either accept the prefix (where it is legitimately complete)
 * or throw {@link ProtocolException}; nothing else escapes. Parsing a slice of the whole array must give the
 * same answer as parsing a copy of the prefix, which shows no parser reads past the slice it was given.
 */
class TruncationTest {
    private static final String[] FLV_FILES = {
        "avc-720p-high-aac.flv", "h263-adpcm.flv", "screen-mp3.flv", "screen2-speex.flv", "alaw.flv", "mulaw.flv",
        "nelly.flv",
    };

    static Stream<Arguments> videoVectors() {
        List<Arguments> out = new ArrayList<>();
        MediaVectors.videoTags().forEach((name, b) -> out.add(Arguments.of(name, b)));
        for (String file : FLV_FILES) {
            List<byte[]> bodies = FlvFile.bodies(file, 9);
            for (int i = 0; i < Math.min(3, bodies.size()); i++) {
                out.add(Arguments.of(file + " video " + i, bodies.get(i)));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> audioVectors() {
        List<Arguments> out = new ArrayList<>();
        MediaVectors.audioTags().forEach((name, b) -> out.add(Arguments.of(name, b)));
        for (String file : FLV_FILES) {
            List<byte[]> bodies = FlvFile.bodies(file, 8);
            for (int i = 0; i < Math.min(2, bodies.size()); i++) {
                out.add(Arguments.of(file + " audio " + i, bodies.get(i)));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> configVectors() {
        return Stream.of(
                Arguments.of("avc", MediaVectors.AVC_C_720P),
                Arguments.of("avc", FlvFile.resource("avc-1080p-high444.avcC")),
                Arguments.of("avc", FlvFile.resource("avc-1080i-high422-10bit.avcC")),
                Arguments.of("hevc", MediaVectors.HVC_C_720P),
                Arguments.of("hevc", MediaVectors.HVC_C_1080P_MAIN10),
                Arguments.of("hevc", FlvFile.resource("hevc-318x178-window.hvcC")),
                Arguments.of("av1", MediaVectors.AV1_C_360P),
                Arguments.of("vp9", MediaVectors.VPC_C_360P),
                Arguments.of("vp9", MediaVectors.VPC_C_360P_BOX),
                Arguments.of("aac", io.loomcast.gateway.testing.Hex.hex("131056e59d4880")),
                Arguments.of("aac", io.loomcast.gateway.testing.Hex.hex("17805dc008")),
                Arguments.of("aac", io.loomcast.gateway.testing.Hex.hex("eb0988")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("videoVectors")
    void videoAtEveryCut(String name, byte[] whole) throws ProtocolException {
        assertTrue(FlvTags.parseVideo(whole).payloadLength() >= 0, "the whole vector parses");
        for (int cut = 0; cut <= whole.length; cut++) {
            byte[] prefix = Arrays.copyOf(whole, cut);
            int n = cut;
            assertEquals(outcome(() -> videoAndConfig(prefix, 0, n)), outcome(() -> videoAndConfig(whole, 0, n)),
                    name + " cut at " + cut);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("audioVectors")
    void audioAtEveryCut(String name, byte[] whole) throws ProtocolException {
        FlvTags.parseAudio(whole);
        for (int cut = 0; cut <= whole.length; cut++) {
            byte[] prefix = Arrays.copyOf(whole, cut);
            int n = cut;
            assertEquals(outcome(() -> audioAndConfig(prefix, 0, n)), outcome(() -> audioAndConfig(whole, 0, n)),
                    name + " cut at " + cut);
        }
    }

    @ParameterizedTest(name = "{0} {index}")
    @MethodSource("configVectors")
    void configAtEveryCut(String parser, byte[] whole) throws ProtocolException {
        config(parser, whole, 0, whole.length);
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] prefix = Arrays.copyOf(whole, cut);
            int n = cut;
            assertEquals(outcome(() -> config(parser, prefix, 0, n)), outcome(() -> config(parser, whole, 0, n)),
                    parser + " cut at " + cut);
        }
    }

    /** Random bytes, and random bytes behind every possible first byte: only ProtocolException may escape. */
    @Test
    void garbage() {
        Random random = new Random(20261121);
        for (int i = 0; i < 6_000; i++) {
            byte[] b = new byte[random.nextInt(48)];
            random.nextBytes(b);
            if (b.length > 0 && i < 256 * 4) {
                b[0] = (byte) i;
            }
            outcome(() -> videoAndConfig(b, 0, b.length));
            outcome(() -> audioAndConfig(b, 0, b.length));
            for (String parser : List.of("avc", "hevc", "av1", "vp9", "aac")) {
                outcome(() -> config(parser, b, 0, b.length));
            }
        }
    }

    @FunctionalInterface
    interface Parse {
        Object run() throws ProtocolException;
    }

    /** "ok: value" or "ProtocolException: message"; any other throwable fails the test. */
    private static String outcome(Parse p) {
        try {
            return "ok: " + p.run();
        } catch (ProtocolException e) {
            return "ProtocolException: " + e.getMessage();
        }
    }

    private static Object videoAndConfig(byte[] b, int off, int len) throws ProtocolException {
        VideoTag t = FlvTags.parseVideo(b, off, len);
        assertTrue(t.payloadOffset() >= off && t.payloadOffset() + t.payloadLength() <= off + len, t.toString());
        List<VideoTag> tracks = FlvTags.videoTracks(b, off, len);
        assertEquals(t.trackCount(), tracks.size());
        List<Object> out = new ArrayList<>(List.of(t));
        for (VideoTag track : tracks) {
            if (track.packetKind() == VideoPacketKind.SEQUENCE_START) {
                out.add(VideoDecoderConfig.parse(track, b).map(c -> c.width() + "x" + c.height()));
            }
        }
        return out;
    }

    private static Object audioAndConfig(byte[] b, int off, int len) throws ProtocolException {
        AudioTag t = FlvTags.parseAudio(b, off, len);
        assertTrue(t.payloadOffset() >= off && t.payloadOffset() + t.payloadLength() <= off + len, t.toString());
        assertEquals(t.trackCount(), FlvTags.audioTracks(b, off, len).size());
        if (t.codec() == AudioCodec.AAC && t.packetKind() == AudioPacketKind.SEQUENCE_START) {
            return List.of(t, AacAudioConfig.parse(b, t.payloadOffset(), t.payloadLength()));
        }
        return t;
    }

    private static final Map<String, VideoCodec> VP = Map.of("vp9", VideoCodec.VP9);

    private static Object config(String parser, byte[] b, int off, int len) throws ProtocolException {
        return switch (parser) {
            case "avc" -> {
                AvcDecoderConfig c = AvcDecoderConfig.parse(b, off, len);
                yield List.of(c.profileIndication(), c.sequenceParameterSets().size(), c.width(), c.height());
            }
            case "hevc" -> {
                HevcDecoderConfig c = HevcDecoderConfig.parse(b, off, len);
                yield List.of(c.profileIdc(), c.arrays().size(), c.width(), c.height());
            }
            case "av1" -> Av1CodecConfig.parse(b, off, len);
            case "vp9" -> VpCodecConfig.parse(VP.get(parser), b, off, len);
            case "aac" -> AacAudioConfig.parse(b, off, len);
            default -> throw new IllegalArgumentException(parser);
        };
    }
}
