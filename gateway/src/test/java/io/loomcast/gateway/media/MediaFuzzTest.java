package io.loomcast.gateway.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.loomcast.gateway.protocol.ProtocolException;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz targets for the tag and decoder-config parsers: any input may only produce a value or a
 * {@link ProtocolException}. Under plain {@code mvn test} they replay the seeds in
 * {@code MediaFuzzTestInputs/<method>/}; with {@code JAZZER_FUZZ=1 -Dtest=MediaFuzzTest#<method>} they fuzz.
 */
class MediaFuzzTest {
    /** Junk either side of the slice: a parser that reads outside it would see different bytes. */
    private static final int PAD = 7;

    @FuzzTest(maxDuration = "60s")
    void videoTag(byte[] data) {
        byte[] padded = padded(data);
        String direct = outcome(() -> {
            VideoTag t = FlvTags.parseVideo(data);
            checkSlice(t, 0, data.length);
            List<VideoTag> tracks = FlvTags.videoTracks(data, 0, data.length);
            assertEquals(t.trackCount(), tracks.size());
            for (VideoTag track : tracks) {
                checkSlice(track, 0, data.length);
                if (track.packetKind() == VideoPacketKind.SEQUENCE_START) {
                    outcome(() -> VideoDecoderConfig.parse(track, data));
                }
            }
            return t.toString();
        });
        String sliced = outcome(() -> {
            VideoTag t = FlvTags.parseVideo(padded, PAD, data.length);
            checkSlice(t, PAD, data.length);
            return shifted(t).toString();
        });
        assertEquals(direct, sliced);
    }

    @FuzzTest(maxDuration = "60s")
    void audioTag(byte[] data) {
        byte[] padded = padded(data);
        String direct = outcome(() -> {
            AudioTag t = FlvTags.parseAudio(data);
            checkSlice(t, 0, data.length);
            List<AudioTag> tracks = FlvTags.audioTracks(data, 0, data.length);
            assertEquals(t.trackCount(), tracks.size());
            if (t.codec() == AudioCodec.AAC && t.isSequenceHeader()) {
                outcome(() -> AacAudioConfig.parse(data, t.payloadOffset(), t.payloadLength()));
            }
            return t.toString();
        });
        String sliced = outcome(() -> {
            AudioTag t = FlvTags.parseAudio(padded, PAD, data.length);
            checkSlice(t, PAD, data.length);
            return new AudioTag(t.codec(), t.codecTag(), t.enhanced(), t.packetKind(), t.legacyRateHz(),
                    t.legacySampleBits(), t.legacyChannels(), t.payloadOffset() - PAD, t.payloadLength(),
                    t.trackLayout(), t.trackId(), t.trackCount(), t.timestampOffsetNanos()).toString();
        });
        assertEquals(direct, sliced);
    }

    @FuzzTest(maxDuration = "60s")
    void avcConfig(byte[] data) {
        outcome(() -> AvcDecoderConfig.parse(padded(data), PAD, data.length));
    }

    @FuzzTest(maxDuration = "60s")
    void avcSps(byte[] data) {
        outcome(() -> AvcSps.parse(padded(data), PAD, data.length));
    }

    @FuzzTest(maxDuration = "60s")
    void hevcConfig(byte[] data) {
        outcome(() -> HevcDecoderConfig.parse(padded(data), PAD, data.length));
    }

    @FuzzTest(maxDuration = "60s")
    void hevcSps(byte[] data) {
        outcome(() -> HevcSps.parse(padded(data), PAD, data.length));
    }

    @FuzzTest(maxDuration = "60s")
    void av1Config(byte[] data) {
        outcome(() -> Av1CodecConfig.parse(padded(data), PAD, data.length));
    }

    @FuzzTest(maxDuration = "60s")
    void vpConfig(byte[] data) {
        outcome(() -> VpCodecConfig.parse(VideoCodec.VP9, padded(data), PAD, data.length));
    }

    @FuzzTest(maxDuration = "60s")
    void aacConfig(byte[] data) {
        outcome(() -> {
            AacAudioConfig c = AacAudioConfig.parse(padded(data), PAD, data.length);
            assertTrue(c.samplingFrequencyHz() > 0 && c.channels() >= 0, c.toString());
            return c;
        });
    }

    @FunctionalInterface
    interface Parse {
        Object run() throws ProtocolException;
    }

    private static String outcome(Parse p) {
        try {
            return "ok: " + p.run();
        } catch (ProtocolException e) {
            return "ProtocolException: " + e.getMessage().replaceAll("offset \\d+", "offset N");
        }
    }

    private static byte[] padded(byte[] data) {
        byte[] out = new byte[data.length + 2 * PAD];
        Arrays.fill(out, (byte) 0xA5);
        System.arraycopy(data, 0, out, PAD, data.length);
        return out;
    }

    private static void checkSlice(MediaTag t, int off, int len) {
        assertTrue(t.payloadOffset() >= off && t.payloadLength() >= 0
                && t.payloadOffset() + t.payloadLength() <= off + len, t.toString());
        assertTrue(t.trackCount() >= 1, t.toString());
    }

    private static VideoTag shifted(VideoTag t) {
        return new VideoTag(t.codec(), t.codecTag(), t.enhanced(), t.frameType(), t.packetKind(),
                t.compositionTimeMs(), t.payloadOffset() - PAD, t.payloadLength(), t.trackLayout(), t.trackId(),
                t.trackCount(), t.timestampOffsetNanos());
    }
}
