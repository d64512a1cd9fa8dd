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
 */
public record PushConfig(
        String url,
        int chunkSizeBytes,
        long windowAckSizeBytes,
        long peerBandwidthBytes,
        Optional<TlsConfig> tls,
        ReconnectPolicy reconnect,
        Optional<TranscodeProfile> transcode) {

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
                + ", transcode=" + transcode.map(TranscodeProfile::name) + "]";
    }
}
