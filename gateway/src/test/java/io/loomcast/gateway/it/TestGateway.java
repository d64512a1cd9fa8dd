package io.loomcast.gateway.it;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.hub.Stream;
import io.loomcast.gateway.testing.Poll;
import java.time.Duration;
import java.util.Map;

/** Starts the gateway in-process on an ephemeral loopback port, from YAML like a user's config. */
final class TestGateway {
    private TestGateway() {}

    /**
     * {@code serverKeys}: lines under {@code server:} besides listen, unindented; may be empty. Unless they set
     * {@code unpublishGrace}, players hear at once that the publisher left (grace 0): these tests read a stream
     * to its end, and the end is UnpublishNotify.
     */
    static Gateway start(String serverKeys) throws Exception {
        String keys = serverKeys.stripIndent();
        if (!keys.contains("unpublishGrace")) {
            keys = "unpublishGrace: 0\n" + keys;
        }
        String yaml = "server:\n  listen: 127.0.0.1:0\n" + keys.indent(2);
        return Gateway.start(ConfigLoader.parse(yaml, "it.yaml", Map.of()));
    }

    static String url(Gateway gateway, String streamPath) {
        return "rtmp://127.0.0.1:%d/%s".formatted(gateway.rtmpAddress().getPort(), streamPath);
    }

    static int subscribers(Gateway gateway, String streamPath) {
        return gateway.hub().find(streamPath).map(Stream::subscriberCount).orElse(0);
    }

    /** Waits until {@code streamPath} has at least {@code count} subscribers (players that sent play). */
    static void awaitSubscribers(Gateway gateway, String streamPath, int count, Duration timeout) {
        Poll.until(() -> subscribers(gateway, streamPath) >= count, timeout,
                count + " subscribers of " + streamPath, () -> "it has " + subscribers(gateway, streamPath));
    }
}
