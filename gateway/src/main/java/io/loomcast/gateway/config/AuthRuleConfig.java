package io.loomcast.gateway.config;

import java.util.List;
import java.util.Optional;

/**
 * One publish or play rule. A client passes when any one of its checks passes; a rule with {@code open} lets
 * everyone through (so an app can stay open ahead of a catch-all rule). {@code toString()} never shows a
 * key or the secret.
 *
 * @param app      the app pattern: an app name, {@code *} matching any run of characters
 * @param open     no check: everyone passes
 * @param keys     accepted values of the {@code key} query argument
 * @param secret   the HMAC-SHA256 key of signed URLs ({@code expires} and {@code sig} arguments)
 * @param callback an HTTP endpoint asked in the manner of nginx-rtmp's {@code on_publish}/{@code on_play}
 */
public record AuthRuleConfig(String app, boolean open, List<Secret> keys, Optional<Secret> secret,
                             Optional<CallbackConfig> callback) {
    public AuthRuleConfig {
        keys = List.copyOf(keys);
    }
}
