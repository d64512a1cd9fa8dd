package io.loomcast.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteMatchingTest {
    private static final String YAML = """
            routes:
              - stream: live/*
                push:
                  - rtmp://backup.example/{app}-copy/{name}
              - stream: live/studio
                push: ["rtmp://a.example/live2/${KEY}"]
            """;

    @Test
    void exactAndWildcardMatching() {
        RouteConfig wildcard = new RouteConfig("live/*", Optional.empty(), List.of());
        RouteConfig exact = new RouteConfig("live/studio", Optional.empty(), List.of());
        assertTrue(wildcard.isWildcard());
        assertEquals("live", wildcard.app());
        assertTrue(wildcard.matches("live/anything"));
        assertTrue(wildcard.matches("live/a/b"), "the name part may hold slashes");
        assertFalse(wildcard.matches("live/"));
        assertFalse(wildcard.matches("live"));
        assertFalse(wildcard.matches("other/anything"));
        assertFalse(wildcard.matches("liveX/anything"));
        assertTrue(exact.matches("live/studio"));
        assertFalse(exact.matches("live/studio2"));
        assertTrue(exact.matches(StreamName.parse("live/studio")));
    }

    @Test
    void exactRouteWinsOverWildcardWhateverTheOrder() throws Exception {
        GatewayConfig config = ConfigLoader.parse(YAML, "r.yaml", Map.of("KEY", "k"));
        assertEquals("live/studio", config.routeFor(StreamName.parse("live/studio")).orElseThrow().stream());
        assertEquals("live/*", config.routeFor(StreamName.parse("live/other")).orElseThrow().stream());
        assertEquals(Optional.empty(), config.routeFor(StreamName.parse("vod/x")));
    }

    @Test
    void pushUrlsExpandAppAndName() throws Exception {
        GatewayConfig config = ConfigLoader.parse(YAML, "r.yaml", Map.of("KEY", "k"));
        StreamName cam = StreamName.parse("live/cam1");
        assertEquals(List.of("rtmp://backup.example/live-copy/cam1"), config.routes().get(0).pushUrlsFor(cam));
        RtmpUrl url = config.routes().get(0).pushes().get(0).rtmpUrlFor(cam);
        assertEquals("live-copy", url.app());
        assertEquals("cam1", url.streamName());
        assertEquals("rtmp://a.example/live2/k", config.routes().get(1).pushes().get(0).urlFor(cam));
    }

    @Test
    void streamNamesSplitAtTheFirstSlash() {
        assertEquals(new StreamName("live", "a/b"), StreamName.parse("live/a/b"));
        assertEquals("live/a/b", StreamName.parse("live/a/b").toString());
        for (String bad : List.of("live", "/a", "live/", "")) {
            assertThrows(IllegalArgumentException.class, () -> StreamName.parse(bad), bad);
        }
    }

    @Test
    void reconnectBackoffDoublesUpToTheCap() {
        ReconnectPolicy p = new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10), 0);
        assertTrue(p.forever());
        assertEquals(Duration.ofSeconds(1), p.delayBefore(1));
        assertEquals(Duration.ofSeconds(2), p.delayBefore(2));
        assertEquals(Duration.ofSeconds(8), p.delayBefore(4));
        assertEquals(Duration.ofSeconds(10), p.delayBefore(5));
        assertEquals(Duration.ofSeconds(10), p.delayBefore(Integer.MAX_VALUE));
        assertFalse(new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 3).forever());
    }
}
