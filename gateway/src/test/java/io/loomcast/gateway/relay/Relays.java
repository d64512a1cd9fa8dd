package io.loomcast.gateway.relay;

import static org.junit.jupiter.api.Assertions.fail;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.routing.RelayStatus;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.RtmpRecorder;
import java.util.List;
import java.util.Map;

/** What the relay integration tests share: a config with test-sized timeouts, and status lookups. */
final class Relays {
    private Relays() {}

    /**
     * A gateway config on an ephemeral port with short timeouts, backoff and linger, so the tests see
     * failures and recoveries in well under a second; {@code routes} is the YAML list under {@code routes:}.
     * No unpublish grace: a source that leaves ends at once, and the pushes' linger starts then.
     */
    static GatewayConfig config(String relay, String routes) throws Exception {
        return config("0", relay, routes);
    }

    /** {@link #config(String, String)} with {@code server.unpublishGrace} set to {@code grace}. */
    static GatewayConfig config(String grace, String relay, String routes) throws Exception {
        return ConfigLoader.parse("""
                server:
                  listen: 127.0.0.1:0
                  handshakeTimeout: 1s
                  writeTimeout: 1s
                  subscriberQueue: {stallTimeout: 2s}
                  unpublishGrace: %s
                relay:
                """.formatted(grace) + relay.indent(2) + "routes:\n" + routes.indent(2), "relay-test.yaml", Map.of());
    }

    /** The relay section most tests use: linger 500 ms, retries from 100 ms up to 400 ms. */
    static final String FAST_RELAY = """
            linger: 500ms
            onDemandIdle: 500ms
            reconnect: {initialDelay: 100ms, maxDelay: 400ms}
            """;

    /**
     * A gateway that pushes {@code live/src} to {@code nginx}'s applications {@code a} and {@code b}, with
     * {@code settings} (its server and relay sections, YAML) before the route.
     */
    static Gateway pushingToAB(NginxRtmp nginx, String settings) throws Exception {
        return Gateway.start(ConfigLoader.parse(settings + """
                routes:
                  - stream: live/src
                    push: [%s, %s]
                """.formatted(nginx.url("a/src"), nginx.url("b/src")), "push-a-b.yaml", Map.of()));
    }

    /** {@code rtmp://127.0.0.1:PORT/path} on the gateway. */
    static String local(Gateway gw, String path) {
        return "rtmp://127.0.0.1:" + gw.rtmpAddress().getPort() + "/" + path;
    }

    /** The one pull or push whose (redacted) URL contains {@code urlPart}. */
    static RelayStatus status(Gateway gw, String kind, String urlPart) {
        List<RelayStatus> all = gw.relay().status();
        List<RelayStatus> hits = all.stream().filter(s -> s.kind().equals(kind) && s.url().contains(urlPart)).toList();
        if (hits.size() != 1) {
            fail("expected one %s with %s in its URL, got %s".formatted(kind, urlPart, all));
        }
        return hits.getFirst();
    }

    static RelayStatus push(Gateway gw, String urlPart) {
        return status(gw, "push", urlPart);
    }

    static RelayStatus pull(Gateway gw) {
        return status(gw, "pull", "");
    }

    /** For failure messages: every recorder and every pull and push. */
    static String describe(Gateway gw, RtmpRecorder... recorders) {
        StringBuilder sb = new StringBuilder("relay status:");
        gw.relay().status().forEach(s -> sb.append("\n  ").append(s));
        for (RtmpRecorder r : recorders) {
            sb.append("\n  ").append(r);
        }
        return sb.toString();
    }

    /** Each track's frame timestamps at {@code r} never go back. */
    static void assertInOrder(RtmpRecorder r) {
        long[] last = {-1, -1}; // audio, video
        for (RtmpRecorder.Tag t : r.tags()) {
            if (t.frame()) {
                int kind = t.video() ? 1 : 0;
                if (t.timestampMs() < last[kind]) {
                    fail("%s: %s at %d ms after %d ms".formatted(r.url(), t.video() ? "video" : "audio",
                            t.timestampMs(), last[kind]));
                }
                last[kind] = t.timestampMs();
            }
        }
    }
}
