package io.loomcast.gateway.config;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Fetch a stream from an upstream RTMP server and publish it locally. With more than one upstream they are
 * tried in order, and a pull whose upstream dies mid-stream fails over to the next one.
 *
 * @param urls      the upstreams, in order of preference, each {@code rtmp[s]://host[:port]/app/stream}; each may
 *                  hold {@code {app}} and {@code {name}}, filled with the local stream's parts (a wildcard route
 *                  needs {@code {name}}). They may hold a secret: print {@link #toString()} or
 *                  {@link Redaction#url} instead
 * @param tls       present exactly when one of the URLs is rtmps; it applies to those
 */
public record PullConfig(List<String> urls, Mode mode, ReconnectPolicy reconnect, Optional<TlsConfig> tls) {

    /** When the pull runs. */
    public enum Mode {
        /** From start-up until the route is removed. */
        ALWAYS("always"),
        /** While the stream has a subscriber, plus {@code relay.onDemandIdle}. */
        ON_DEMAND("onDemand");

        private final String configName;

        Mode(String configName) {
            this.configName = configName;
        }

        /** The name written in the config. */
        public String configName() {
            return configName;
        }
    }

    public PullConfig {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("a pull needs at least one URL");
        }
    }

    /** One upstream ({@code pull: URL} or {@code pull.url}). */
    public PullConfig(String url, Mode mode, ReconnectPolicy reconnect, Optional<TlsConfig> tls) {
        this(List.of(url), mode, reconnect, tls);
    }

    /** The first upstream, as written (placeholders unfilled). */
    public String url() {
        return urls.getFirst();
    }

    /** The parsed first upstream; for a URL with placeholders use {@link #rtmpUrlsFor}. */
    public RtmpUrl rtmpUrl() {
        return RtmpUrl.parse(url());
    }

    /** The upstreams for the local stream {@code name}, in order, placeholders filled. Secrets included. */
    public List<String> urlsFor(StreamName name) {
        return urls.stream().map(u -> u.replace(PushConfig.APP_PLACEHOLDER, name.app())
                .replace(PushConfig.NAME_PLACEHOLDER, name.name())).toList();
    }

    /** The parsed upstreams for {@code name}; they were checked at load, so this does not throw. */
    public List<RtmpUrl> rtmpUrlsFor(StreamName name) {
        return urlsFor(name).stream().map(RtmpUrl::parse).toList();
    }

    @Override
    public String toString() {
        String shown = urls.stream().map(Redaction::url).collect(Collectors.joining(", "));
        return "PullConfig[urls=[" + shown + "], mode=" + mode.configName() + ", reconnect=" + reconnect + ", tls="
                + tls + "]";
    }
}
