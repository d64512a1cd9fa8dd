package io.loomcast.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.hub.GopCacheLimits;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.Stream;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.hub.SubscriberQueue;
import io.loomcast.gateway.hub.Subscription;
import io.loomcast.gateway.routing.RoutingTable;
import io.loomcast.gateway.testing.LogCapture;
import io.loomcast.gateway.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which players start a rendition, against a hub with no sockets and no source (a rendition waits for its source,
 * and counts against the cap while it waits): only {@code app/name@profile} of a defined profile, only while
 * {@code playerRenditions} is on, and only within {@code maxEncoders}, which push renditions count towards too.
 */
class PlayerRenditionRulesTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final StreamHub hub = new StreamHub(GopCacheLimits.DEFAULT);
    private Transcoder transcoder;

    private Transcoder transcoder(GatewayConfig config) throws Exception {
        transcoder = new Transcoder(hub, FfmpegRuntime.load(Optional.empty()), QueueLimits.DEFAULT);
        apply(config);
        return transcoder;
    }

    private void apply(GatewayConfig config) throws Exception {
        transcoder.check(RoutingTable.from(config), config.transcode());
        transcoder.apply(RoutingTable.from(config), config.transcode());
    }

    private static GatewayConfig config(String transcodeSettings, String routes) throws Exception {
        return ConfigLoader.parse("""
                transcode:
                  %s
                  profiles:
                    small: {video: {height: 90, bitrate: 100k}}
                    tiny: {video: {height: 64, bitrate: 50k}}
                routes: %s
                """.formatted(transcodeSettings, routes), "t.yaml", Map.of());
    }

    private Subscription player(String stream) {
        return hub.subscribe(stream, "test player", QueueLimits.DEFAULT, SubscriberQueue.Listener.NONE);
    }

    private int demandOf(String stream) {
        return hub.find(stream).map(Stream::demand).orElse(0);
    }

    @AfterEach
    void close() {
        if (transcoder != null) {
            transcoder.close();
        }
    }

    @Test
    void onlyAPlayerOfADefinedProfilesRenditionStartsOne() throws Exception {
        Transcoder t = transcoder(config("onDemandIdle: 0", "[]"));
        List<Subscription> ignored = List.of(player("live/s@nope"), player("live/s@small@small"), player("live/s"),
                player("live/@small"));
        // Demand is handled in arrival order: once this one runs, the ones before it have been looked at.
        Subscription valid = player("live/t@small");
        Poll.until(() -> t.running().containsKey("live/t"), WAIT, "live/t@small running", t.running()::toString);
        assertEquals(Map.of("live/t", List.of("live/t@small")), t.running(), "nothing for the others");
        assertEquals(1, demandOf("live/s"), "only the plain player of live/s; no rendition holds it");
        ignored.forEach(Subscription::close);
        valid.close();
        Poll.until(() -> t.running().isEmpty(), WAIT, "live/t@small stopped", t.running()::toString);
    }

    @Test
    void withPlayerRenditionsOffAPlayerWaitsUntilAReloadTurnsThemOn() throws Exception {
        GatewayConfig off = config("playerRenditions: false", "[]");
        GatewayConfig on = config("playerRenditions: true", "[]");
        Transcoder t = transcoder(off);
        Subscription p = player("live/s@small");
        assertEquals(Map.of(), t.running(), "off: the player's demand is not even queued");
        assertEquals(0, demandOf("live/s"));

        apply(on);
        assertEquals(Map.of("live/s", List.of("live/s@small")), t.running(),
                "the reload found the player waiting and started its rendition before returning");
        assertEquals(1, demandOf("live/s"), "the rendition holds demand on its source, for an on-demand pull");

        apply(off);
        assertEquals(Map.of(), t.running(), "turned off: player renditions stop with the reload");
        assertEquals(0, demandOf("live/s"));
        p.close();
    }

    @Test
    void beyondMaxEncodersAPlayerIsRefusedAndGetsTheNextFreeEncoder() throws Exception {
        try (LogCapture logs = LogCapture.of("io.loomcast.gateway.transcode")) {
            // Two encoders: the push's, which runs from the start, and room for one player rendition.
            Transcoder t = transcoder(config("maxEncoders: 2\n  onDemandIdle: 0",
                    "[{stream: live/p, push: [{url: \"rtmp://127.0.0.1:9/x/p\", transcode: small}]}]"));
            assertEquals(Map.of("live/p", List.of("live/p@small")), t.running());

            Subscription small = player("live/s@small");
            Poll.until(() -> t.running().containsKey("live/s"), WAIT, "live/s@small running", t.running()::toString);
            Subscription tiny = player("live/s@tiny");
            Poll.until(() -> t.metrics().playerRenditionsRefused() == 1, WAIT, "live/s@tiny refused", logs::toString);
            assertEquals(Map.of("live/p", List.of("live/p@small"), "live/s", List.of("live/s@small")), t.running());
            assertEquals(1, logs.matching("WARN", "live/s@tiny", "2 encoders already run",
                    "transcode.maxEncoders: 2").size(), logs.toString());

            small.close();
            Poll.until(() -> t.running().getOrDefault("live/s", List.of()).equals(List.of("live/s@tiny"))
                    && logs.matching("live/s@tiny", "an encoder is free now").size() == 1, WAIT,
                    "live/s@tiny started, and said so, once live/s@small stopped", () -> t.running() + "\n" + logs);
            assertEquals(1, t.metrics().playerRenditionsRefused(), "refused once, however often it was retried");
            assertEquals(1, demandOf("live/s"), "one hold for the source, not one per rendition");

            tiny.close();
            Poll.until(() -> !t.running().containsKey("live/s") && demandOf("live/s") == 0, WAIT,
                    "live/s@tiny stopped, and its hold on live/s released", t.running()::toString);
            assertEquals(Map.of("live/p", List.of("live/p@small")), t.running(), "the push's rendition stays");
        }
    }
}
