package io.loomcast.gateway.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** Binds {@code transcode}: the profiles, the native cache, and how players start renditions. */
final class TranscodeSection {
    /** AAC sampling frequencies (ISO 14496-3 table 1.18) that FLV players decode. */
    private static final List<Integer> AAC_SAMPLE_RATES =
            List.of(8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000, 64000, 88200, 96000);
    private static final Bitrate MIN_VIDEO_BITRATE = new Bitrate(10_000);
    private static final Bitrate MAX_VIDEO_BITRATE = new Bitrate(100_000_000);
    static final int MAX_ENCODERS_LIMIT = 1000;

    private TranscodeSection() {}

    static TranscodeConfig bind(YamlMapping m) {
        YamlMapping profilesMapping = m.mapping("profiles");
        Map<String, TranscodeProfile> profiles = new LinkedHashMap<>();
        for (Map.Entry<String, NodeTuple> e : profilesMapping.entries().entrySet()) {
            String name = e.getKey();
            String path = profilesMapping.path(name);
            if (!name.matches("[A-Za-z0-9_-]+")) {
                m.binder().errors.add(e.getValue().getKeyNode(), path,
                        "a profile name may hold only letters, digits, '_' and '-'",
                        "it becomes part of a stream name: app/name@" + "profile");
            }
            YamlMapping p = m.binder().mapping(e.getValue().getValueNode(), path);
            VideoProfile video = p.required("video").map(n -> video(m.binder().mapping(n, p.path("video"))))
                    .orElse(null);
            AudioProfile audio = p.node("audio").map(n -> audio(m.binder(), n, p.path("audio")))
                    .orElse(AudioProfile.COPY);
            p.finish();
            if (video != null) {
                profiles.put(name, new TranscodeProfile(name, video, audio));
            }
        }
        // Only the path's form is checked here; whether it is writable is checked when transcoding first starts.
        Optional<java.nio.file.Path> cacheDir = m.node("nativeCacheDir")
                .flatMap(n -> m.binder().string(n, m.path("nativeCacheDir"))).map(java.nio.file.Path::of);
        boolean playerRenditions = m.bool("playerRenditions", TranscodeConfig.DEFAULT_PLAYER_RENDITIONS);
        Duration onDemandIdle = m.duration("onDemandIdle", TranscodeConfig.DEFAULT_ON_DEMAND_IDLE, Duration.ZERO,
                Duration.ofHours(24));
        int maxEncoders = (int) m.integer("maxEncoders", TranscodeConfig.DEFAULT_MAX_ENCODERS, 1, MAX_ENCODERS_LIMIT);
        boolean cascadeScaling = m.bool("cascadeScaling", TranscodeConfig.DEFAULT_CASCADE_SCALING);
        m.finish();
        return new TranscodeConfig(profiles, cacheDir, playerRenditions, onDemandIdle, maxEncoders, cascadeScaling);
    }

    private static VideoProfile video(YamlMapping m) {
        ErrorCollector errors = m.binder().errors;
        OptionalInt width = dimension(m, "width", 7680);
        OptionalInt height = dimension(m, "height", 4320);
        OptionalInt fps = optionalInt(m, "fps", 1, 240);
        int errorsBefore = errors.count();
        Bitrate bitrate = m.required("bitrate")
                .flatMap(n -> m.binder().bitrate(n, m.path("bitrate"), MIN_VIDEO_BITRATE, MAX_VIDEO_BITRATE))
                .orElse(MIN_VIDEO_BITRATE);
        Bitrate maxrate = m.bitrate("maxrate", bitrate, MIN_VIDEO_BITRATE, MAX_VIDEO_BITRATE);
        if (errors.count() == errorsBefore && maxrate.bitsPerSecond() < bitrate.bitsPerSecond()) {
            errors.add(m.node("maxrate").orElseThrow(), m.path("maxrate"),
                    "maxrate " + maxrate + " is less than bitrate " + bitrate);
        }
        Duration gop = m.duration("gop", VideoProfile.DEFAULT_GOP, Duration.ofMillis(100), Duration.ofSeconds(60));
        VideoProfile.Preset preset = m.choice("preset", VideoProfile.Preset.VERYFAST, "preset",
                VideoProfile.Preset.values(), VideoProfile.Preset::configName);
        VideoProfile.H264Profile profile = m.choice("profile", VideoProfile.H264Profile.HIGH, "H.264 profile",
                VideoProfile.H264Profile.values(), VideoProfile.H264Profile::configName);
        VideoProfile.Encoder encoder = m.choice("encoder", VideoProfile.Encoder.AUTO, "encoder",
                VideoProfile.Encoder.values(), VideoProfile.Encoder::configName);
        int bframes = (int) m.integer("bframes", 0, 0, 16);
        if (profile == VideoProfile.H264Profile.BASELINE && bframes > 0) {
            errors.add(m.node("bframes").orElseThrow(), m.path("bframes"),
                    "the baseline profile has no B-frames", "set bframes: 0 or profile: main");
        }
        VideoProfile.Scaler scaler = m.choice("scaler", VideoProfile.DEFAULT_SCALER, "scaler",
                VideoProfile.Scaler.values(), VideoProfile.Scaler::configName);
        m.finish();
        return new VideoProfile(width, height, fps, bitrate, maxrate, gop, preset, profile, encoder, bframes, scaler);
    }

    private static OptionalInt dimension(YamlMapping m, String key, int max) {
        OptionalInt value = optionalInt(m, key, 16, max);
        if (value.isPresent() && value.getAsInt() % 2 != 0) {
            m.binder().errors.add(m.node(key).orElseThrow(), m.path(key), "must be even, got " + value.getAsInt(),
                    "H.264 with 4:2:0 chroma needs even dimensions");
            return OptionalInt.empty();
        }
        return value;
    }

    private static OptionalInt optionalInt(YamlMapping m, String key, int min, int max) {
        return m.node(key).flatMap(n -> m.binder().integer(n, m.path(key), min, max))
                .map(v -> OptionalInt.of(v.intValue())).orElse(OptionalInt.empty());
    }

    private static AudioProfile audio(Binder binder, Node node, String path) {
        if (node instanceof ScalarNode) {
            Optional<Binder.Scalar> s = binder.scalar(node, path);
            if (s.isPresent() && !s.get().value().equals("copy")) {
                binder.errors.add(node, path, "expected copy or a mapping, got " + Binder.quote(s.get().shown()),
                        "e.g. audio: { bitrate: 128k, sampleRate: 48000, channels: 2 }");
            }
            return AudioProfile.COPY;
        }
        YamlMapping m = binder.mapping(node, path);
        AudioProfile.Encode d = AudioProfile.Encode.DEFAULT;
        Bitrate bitrate = m.bitrate("bitrate", d.bitrate(), new Bitrate(8_000), new Bitrate(512_000));
        int sampleRate = (int) m.integer("sampleRate", d.sampleRateHz(), 1, 1_000_000);
        if (!AAC_SAMPLE_RATES.contains(sampleRate)) {
            binder.errors.add(m.node("sampleRate").orElseThrow(), m.path("sampleRate"),
                    "AAC has no sample rate " + sampleRate, "use one of " + AAC_SAMPLE_RATES.stream()
                            .map(String::valueOf).collect(Collectors.joining(", ")));
        }
        int channels = (int) m.integer("channels", d.channels(), 1, 2);
        m.finish();
        return new AudioProfile.Encode(bitrate, sampleRate, channels);
    }
}
