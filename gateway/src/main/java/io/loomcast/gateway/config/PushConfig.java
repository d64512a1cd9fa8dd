package io.loomcast.gateway.config;

import java.util.Optional;

/**
 * Send a stream to a destination. Keys left out in the file are taken from {@code server} (chunk size, window,
 * bandwidth) and {@code relay.reconnect}.
 *
 * @param url       a template: {@code {app}} and {@code {name}} are replaced by the stream's parts; holds the
 *                  stream key, so print {@link #toString()} or {@link Redaction#url} instead
 * @param tls       present exactly when the URL is rtmps
 * @param transcode the profile applied before sending; empty sends the stream as published
 * @param id        how the API names the push within its route: the file's {@code id}, or one the binder made
 *                  from the destination's host and app (never from the stream key)
 * @param enabled   whether the push runs; a disabled one stays in the route, stopped
 */
public record PushConfig(
        String url,
        int chunkSizeBytes,
        long windowAckSizeBytes,
        long peerBandwidthBytes,
        Optional<TlsConfig> tls,
        ReconnectPolicy reconnect,
        Optional<TranscodeProfile> transcode,
        String id,
        boolean enabled) {

    /** An enabled push whose id the binder has not given yet. */
    public PushConfig(String url, int chunkSizeBytes, long windowAckSizeBytes, long peerBandwidthBytes,
            Optional<TlsConfig> tls, ReconnectPolicy reconnect, Optional<TranscodeProfile> transcode) {
        this(url, chunkSizeBytes, windowAckSizeBytes, peerBandwidthBytes, tls, reconnect, transcode, "", true);
    }

    /** The same push, named {@code newId}. */
    public PushConfig withId(String newId) {
        return new PushConfig(url, chunkSizeBytes, windowAckSizeBytes, peerBandwidthBytes, tls, reconnect, transcode,
                newId, enabled);
    }

    /** The same push, switched on or off. */
    public PushConfig withEnabled(boolean on) {
        return new PushConfig(url, chunkSizeBytes, windowAckSizeBytes, peerBandwidthBytes, tls, reconnect, transcode,
                id, on);
    }

    /**
     * The id a push gets when the file gives none: the destination's host and first app segment
     * ({@code rtmp://a.rtmp.youtube.com/live2/KEY} is {@code a.rtmp.youtube.com-live2}). The stream key is never
     * part of it: ids show up in URLs, logs and metrics labels.
     */
    public static String defaultId(String urlTemplate) {
        String sample = urlTemplate.replace(APP_PLACEHOLDER, "app").replace(NAME_PLACEHOLDER, "name");
        try {
            RtmpUrl u = RtmpUrl.parse(sample);
            int slash = u.app().indexOf('/');
            String app = slash < 0 ? u.app() : u.app().substring(0, slash);
            return Ids.slug(u.host() + "-" + app);
        } catch (IllegalArgumentException e) {
            return "push";
        }
    }

    /** The placeholder for the stream's app in a push URL. */
    public static final String APP_PLACEHOLDER = "{app}";
    /** The placeholder for the stream's name in a push URL. */
    public static final String NAME_PLACEHOLDER = "{name}";

    /** The destination URL for the stream {@code name}. */
    public String urlFor(StreamName name) {
        return url.replace(APP_PLACEHOLDER, name.app()).replace(NAME_PLACEHOLDER, name.name());
    }

    /** The parsed destination for the stream {@code name}. */
    public RtmpUrl rtmpUrlFor(StreamName name) {
        return RtmpUrl.parse(urlFor(name));
    }

    @Override
    public String toString() {
        return "PushConfig[url=" + Redaction.url(url) + ", chunkSizeBytes=" + chunkSizeBytes
                + ", windowAckSizeBytes=" + windowAckSizeBytes + ", peerBandwidthBytes=" + peerBandwidthBytes
                + ", tls=" + tls + ", reconnect=" + reconnect
                + ", transcode=" + transcode.map(TranscodeProfile::name) + ", id=" + id + ", enabled=" + enabled + "]";
    }
}
