package io.loomcast.gateway.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The named transcode profiles a push may ask for ({@code transcode: 720p}), in file order.
 *
 * @param nativeCacheDir where the FFmpeg native libraries are extracted on first use; empty keeps JavaCPP's
 *                       default ({@code ~/.javacpp/cache}), which a read-only container filesystem cannot hold
 */
public record TranscodeConfig(Map<String, TranscodeProfile> profiles, Optional<Path> nativeCacheDir) {
    public static final TranscodeConfig NONE = new TranscodeConfig(Map.of());

    public TranscodeConfig {
        profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
    }

    /** Profiles with the default native cache. */
    public TranscodeConfig(Map<String, TranscodeProfile> profiles) {
        this(profiles, Optional.empty());
    }
}
