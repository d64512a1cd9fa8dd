package io.loomcast.gateway.config;

import java.util.Optional;

/**
 * Fetch a stream from an upstream RTMP server and publish it locally.
 *
 * @param url       the upstream, {@code rtmp[s]://host[:port]/app/stream}; may hold a secret, print
 *                  {@link #toString()} or {@link Redaction#url} instead
 * @param tls       present exactly when the URL is rtmps
 */
public record PullConfig(String url, Mode mode, ReconnectPolicy reconnect, Optional<TlsConfig> tls) {

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

    /** The parsed URL; it was checked at load, so this does not throw for a loaded config. */
    public RtmpUrl rtmpUrl() {
        return RtmpUrl.parse(url);
    }

    @Override
    public String toString() {
        return "PullConfig[url=" + Redaction.url(url) + ", mode=" + mode.configName() + ", reconnect=" + reconnect
                + ", tls=" + tls + "]";
    }
}
