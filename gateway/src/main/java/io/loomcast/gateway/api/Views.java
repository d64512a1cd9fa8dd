package io.loomcast.gateway.api;

import java.util.List;

/**
 * The JSON the API answers with, one record per object of the OpenAPI document
 * ({@code src/main/resources/io/loomcast/gateway/api/openapi.json}); a field added here belongs there too.
 * Every URL is redacted; nothing here holds a stream key or a token.
 */
final class Views {
    private Views() {}

    /** Where a stream comes from. {@code kind}: publisher, pull, transcode or none. */
    record Source(String kind, String state, String address, String session, String url, double uptimeSeconds) {}

    record Video(String codec, int width, int height, double fps, double kbps) {}

    record Audio(String codec, int sampleRate, int channels, double kbps) {}

    /** One push of a stream: its route's push, and how it is doing for this stream. */
    record Push(String route, String id, String url, boolean enabled, String state, long reconnects, String lastError,
            double kbps, long bytes, long droppedFrames) {}

    record Rendition(String name, String profile, String encoder, double fps, double speed, long droppedFrames) {}

    record Stream(String path, String app, String name, Source source, Video video, Audio audio, int players,
            long bytesIn, long bytesOut, long droppedFrames, List<Push> pushes, List<Rendition> renditions,
            List<RateMeter.Point> history) {}

    record Streams(List<Stream> streams) {}

    record Session(String id, String peer, String kind, List<String> streams, double durationSeconds, long bytesIn,
            long bytesOut) {}

    record Sessions(List<Session> sessions) {}

    record Pull(String url, String mode) {}

    /** A push as configured. */
    record PushConfig(String id, String url, boolean enabled, String transcode) {}

    /** A route as configured; {@code origin}: config (the file) or api (added through the API). */
    record Route(String id, String stream, String origin, Pull pull, List<PushConfig> pushes) {}

    record Routes(List<Route> routes) {}

    record Health(String status) {}

    record Ready(boolean ready, boolean listening, boolean configLoaded, boolean nativesReady) {}

    record Reloaded(boolean reloaded, int routes) {}
}
