package io.loomcast.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The named transcode profiles a push may ask for ({@code transcode: 720p}), in file order, and how players may
 * start them: a player of {@code app/name@profile} runs that profile for {@code app/name} while it watches.
 *
 * @param nativeCacheDir   where the FFmpeg native libraries are extracted on first use; empty keeps JavaCPP's
 *                         default ({@code ~/.javacpp/cache}), which a read-only container filesystem cannot hold
 * @param playerRenditions whether a player of {@code app/name@profile} starts that rendition when no push runs it
 * @param onDemandIdle     a rendition players started stops this long after its last player left (unless a push
 *                         needs it)
 * @param maxEncoders      renditions (one H.264 encoder each) that may run at once; a player asking for one more
 *                         is refused. Push renditions are never refused, but count
 * @param cascadeScaling   whether a smaller rendition of a source is scaled from a larger one's already scaled
 *                         picture, where its size fits inside it, instead of from the decoded source
 */
public record TranscodeConfig(Map<String, TranscodeProfile> profiles, Optional<Path> nativeCacheDir,
        boolean playerRenditions, Duration onDemandIdle, int maxEncoders, boolean cascadeScaling) {
    public static final boolean DEFAULT_PLAYER_RENDITIONS = true;
    public static final Duration DEFAULT_ON_DEMAND_IDLE = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_ENCODERS = 8;
    public static final boolean DEFAULT_CASCADE_SCALING = true;
    public static final TranscodeConfig NONE = new TranscodeConfig(Map.of());

    public TranscodeConfig {
        profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
    }

    /** Profiles with every other setting at its default. */
    public TranscodeConfig(Map<String, TranscodeProfile> profiles) {
        this(profiles, Optional.empty(), DEFAULT_PLAYER_RENDITIONS, DEFAULT_ON_DEMAND_IDLE, DEFAULT_MAX_ENCODERS,
                DEFAULT_CASCADE_SCALING);
    }
}
