package io.loomcast.gateway.config;

import java.time.Duration;

/** Binds {@code relay} and every {@code reconnect} block (which override the relay defaults key by key). */
final class RelaySection {
    private static final Duration MIN_DELAY = Duration.ofMillis(10);

    private RelaySection() {}

    static RelayConfig bind(YamlMapping m) {
        RelayConfig d = RelayConfig.DEFAULT;
        RelayConfig relay = new RelayConfig(
                reconnect(m.mapping("reconnect"), ReconnectPolicy.DEFAULT),
                m.duration("linger", d.linger(), Duration.ZERO, Duration.ofHours(1)),
                m.duration("onDemandIdle", d.onDemandIdle(), Duration.ZERO, Duration.ofHours(24)));
        m.finish();
        return relay;
    }

    /** A reconnect block; keys it leaves out come from {@code base}. */
    static ReconnectPolicy reconnect(YamlMapping m, ReconnectPolicy base) {
        ErrorCollector errors = m.binder().errors;
        int errorsBefore = errors.count();
        Duration initial = m.duration("initialDelay", base.initialDelay(), MIN_DELAY, Duration.ofHours(1));
        Duration max = m.duration("maxDelay", base.maxDelay(), MIN_DELAY, Duration.ofHours(24));
        int attempts = (int) m.integer("maxAttempts", base.maxAttempts(), 0, 1_000_000);
        if (errors.count() == errorsBefore && max.compareTo(initial) < 0) {
            // Blame the key the file sets; when it sets only initialDelay, the inherited maxDelay is too small.
            if (m.node("maxDelay").isPresent()) {
                errors.add(m.node("maxDelay").orElseThrow(), m.path("maxDelay"), "maxDelay "
                        + DurationText.format(max) + " is less than initialDelay " + DurationText.format(initial));
            } else {
                errors.add(m.node("initialDelay").orElseThrow(), m.path("initialDelay"), "initialDelay "
                        + DurationText.format(initial) + " is more than maxDelay " + DurationText.format(max),
                        "set maxDelay here too");
            }
        }
        m.finish();
        return new ReconnectPolicy(initial, max, attempts);
    }
}
