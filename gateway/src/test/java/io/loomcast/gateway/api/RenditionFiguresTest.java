package io.loomcast.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ApiConfig;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.config.ListenAddress;
import io.loomcast.gateway.hub.Publication;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.routing.Relay;
import io.loomcast.gateway.session.RtmpServer;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.transcode.RenditionStatus;
import io.loomcast.gateway.transcode.Transcoder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * How the API turns a rendition's counters into fps and speed, in the JSON and in /metrics. The counters come
 * from a stand-in that advances them as a real-time 25 fps encoder would (frames and output timestamps with the
 * wall clock), so the figures are known; the transcoder's own counters are covered by the transcode tests.
 */
class RenditionFiguresTest {
    @TempDir
    Path dir;

    @Test
    void fpsAndSpeedFollowTheEncodersCounters() throws Exception {
        GatewayConfig config = ConfigLoader.parse("server: {listen: 127.0.0.1:0}\n", "r.yaml", Map.of());
        try (Gateway gateway = Gateway.start(config)) {
            long started = System.nanoTime();
            GatewayControl control = new GatewayControl() {
                @Override
                public StreamHub hub() {
                    return gateway.hub();
                }

                @Override
                public RtmpServer rtmp() {
                    return gateway.rtmp();
                }

                @Override
                public Relay relay() {
                    return gateway.relay();
                }

                @Override
                public Optional<Transcoder> runningTranscoder() {
                    return Optional.empty();
                }

                @Override
                public List<RenditionStatus> renditions() {
                    long ms = (System.nanoTime() - started) / 1_000_000;
                    return List.of(new RenditionStatus("live/src", "live/src@360p", "360p", "libopenh264", ms / 40, ms,
                            3));
                }

                @Override
                public GatewayConfig config() {
                    return gateway.config();
                }

                @Override
                public void reload(GatewayConfig next) {
                    gateway.reload(next);
                }

                @Override
                public boolean nativesReady() {
                    return true;
                }
            };
            Publication source = gateway.hub().publish("live/src", "test").orElseThrow();
            ApiConfig api = new ApiConfig(new ListenAddress("127.0.0.1", 0), Optional.of(ApiGateway.TOKEN), false,
                    Optional.empty());
            try (ApiServer server = new ApiServer(api, control, null)) {
                InetSocketAddress at = server.start(new InetSocketAddress("127.0.0.1", 0));
                ApiClient client = new ApiClient("http://127.0.0.1:" + at.getPort(), ApiGateway.TOKEN);
                Poll.until(() -> client.get("/api/v1/streams/live/src").json().path("renditions").path(0).path("fps")
                        .asDouble() > 0, Duration.ofSeconds(10), "two samples of the counters",
                        () -> client.get("/api/v1/streams/live/src").text());
                JsonNode r = client.get("/api/v1/streams/live/src").json().path("renditions").path(0);
                assertEquals("live/src@360p", r.path("name").asString());
                assertEquals("libopenh264", r.path("encoder").asString());
                assertEquals(3, r.path("droppedFrames").asLong());
                assertEquals(25, r.path("fps").asDouble(), 2.5, r.toString());
                assertEquals(1.0, r.path("speed").asDouble(), 0.1, r.toString());
                Map<String, Double> m = PrometheusText.parse(client.get("/metrics").text(), false);
                assertEquals(25, m.get("loomcast_rendition_fps{profile=\"360p\",stream=\"live/src\"}"), 2.5);
                assertEquals(1.0, m.get("loomcast_rendition_speed{profile=\"360p\",stream=\"live/src\"}"), 0.1);
                assertEquals(3.0, m.get("loomcast_rendition_dropped_frames_total{profile=\"360p\",stream=\"live/src\"}"));
                assertTrue(m.containsKey("loomcast_stream_live{stream=\"live/src\"}"));
                source.close();
                Poll.until(() -> !client.get("/metrics").text().contains("loomcast_stream_live{stream=\"live/src\"}"),
                        Duration.ofSeconds(5), "the stream's series to drop off when it ends", () -> "");
            }
        }
    }
}
