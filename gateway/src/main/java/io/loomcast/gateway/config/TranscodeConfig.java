package io.loomcast.gateway.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The named transcode profiles a push may ask for ({@code transcode: 720p}), in file order. */
public record TranscodeConfig(Map<String, TranscodeProfile> profiles) {
    public static final TranscodeConfig NONE = new TranscodeConfig(Map.of());

    public TranscodeConfig {
        profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
    }
}
