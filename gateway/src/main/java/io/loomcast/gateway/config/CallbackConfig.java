package io.loomcast.gateway.config;

import java.net.URI;
import java.time.Duration;

/**
 * An auth callback: where the POST goes and how long its answer may take (no answer by then refuses).
 *
 * @param url     http or https; may carry a token, so print {@link #toString()}, which redacts it
 * @param timeout connect and answer together
 */
public record CallbackConfig(URI url, Duration timeout) {
    /** Two seconds: long enough for a database lookup, short enough that an encoder does not give up first. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    @Override
    public String toString() {
        return "CallbackConfig[url=" + Redaction.url(url.toString()) + ", timeout=" + DurationText.format(timeout) + "]";
    }
}
