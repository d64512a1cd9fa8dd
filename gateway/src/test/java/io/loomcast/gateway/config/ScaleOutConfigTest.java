package io.loomcast.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The keys of the scale-out patterns: pull.urls (wildcard routes that pull on demand) and cluster. */
class ScaleOutConfigTest {
    @Test
    void aWildcardRoutePullsEachStreamFromItsUpstreamsInOrder() throws Exception {
        GatewayConfig c = ConfigLoader.parse("""
                routes:
                  - stream: live/*
                    pull:
                      urls: ["rtmp://origin-a/live/{name}", "rtmps://origin-b/{app}/{name}?k=${KEY}"]
                      mode: onDemand
                """, "edge.yaml", Map.of("KEY", "s3cret"));
        PullConfig pull = c.routes().getFirst().pull().orElseThrow();
        assertEquals(PullConfig.Mode.ON_DEMAND, pull.mode());
        assertEquals(List.of("rtmp://origin-a/live/x/y", "rtmps://origin-b/live/x/y?k=s3cret"),
                pull.urlsFor(StreamName.parse("live/x/y")));
        assertTrue(pull.tls().isPresent(), "one upstream is rtmps");
        assertFalse(pull.toString().contains("s3cret"), pull.toString());
        assertEquals("rtmp://origin-a/live/{name}", pull.url(), "url() is the first upstream, as written");
    }

    @Test
    void pullUrlStillTakesOneUpstreamAndExactRoutesMayListSeveral() throws Exception {
        GatewayConfig c = ConfigLoader.parse("""
                routes:
                  - stream: relay/a
                    pull: rtmp://origin/live/a
                  - stream: relay/b
                    pull: {url: "rtmp://origin/live/{name}", mode: onDemand}
                  - stream: relay/c
                    pull: {urls: ["rtmp://a/live/c", "rtmp://b/live/c"]}
                """, "t.yaml", Map.of());
        assertEquals(List.of("rtmp://origin/live/a"), c.routes().get(0).pull().orElseThrow().urls());
        assertEquals(List.of("rtmp://origin/live/b"),
                c.routes().get(1).pull().orElseThrow().urlsFor(StreamName.parse("relay/b")));
        assertEquals(PullConfig.Mode.ALWAYS, c.routes().get(2).pull().orElseThrow().mode());
        assertEquals(2, c.routes().get(2).pull().orElseThrow().urls().size());
    }

    @Test
    void theShardOrdinalIsThePodNamesTrailingNumber() throws Exception {
        String yaml = "cluster: {shard: \"${POD_NAME}\", replicas: 3}\n";
        assertEquals(Optional.of(new ClusterConfig("loomcast-restream-2", 2, 3)),
                ConfigLoader.parse(yaml, "t.yaml", Map.of("POD_NAME", "loomcast-restream-2")).cluster());
        assertEquals(Optional.of(new ClusterConfig("0", 0, 3)),
                ConfigLoader.parse(yaml, "t.yaml", Map.of("POD_NAME", "0")).cluster());
        assertEquals(Optional.empty(), ConfigLoader.parse("routes: []", "t.yaml", Map.of()).cluster());
    }

    @Test
    void routesThatPullAndPushAreTheOnesToShard() throws Exception {
        GatewayConfig c = ConfigLoader.parse("""
                routes:
                  - {stream: a/1, pull: "rtmp://o/a/1", push: ["rtmp://d/x/1"]}
                  - {stream: a/2, pull: "rtmp://o/a/2"}
                  - {stream: a/3, push: ["rtmp://d/x/3"]}
                """, "t.yaml", Map.of());
        assertEquals(List.of(true, false, false), c.routes().stream().map(RouteConfig::pullsAndPushes).toList());
    }
}
