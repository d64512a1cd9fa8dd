package io.loomcast.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.GopCacheLimits;
import io.loomcast.gateway.hub.Publication;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.routing.RoutingTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A wildcard route transcodes each matching stream while it has a source, and never a rendition itself
 * ({@code live/x@p} matches {@code live/*} by name, but transcoding it again would loop).
 */
class WildcardRouteTest {

    @Test
    void aWildcardRoutesPipelineFollowsItsSourceAndRenditionsAreNotRouted(@TempDir Path dir) throws Exception {
        List<FlvReader.Tag> tags = Fixtures.flv(dir, "w", 160, 90, 15, 2);
        StreamHub hub = new StreamHub(GopCacheLimits.DEFAULT);
        var config = ConfigLoader.parse("""
                transcode:
                  profiles:
                    p: {video: {height: 64, bitrate: 50k}}
                routes:
                  - stream: live/*
                    push: [{url: "rtmp://127.0.0.1:9/out/{name}", transcode: p}]
                """, "t.yaml", Map.of());
        try (Transcoder transcoder = new Transcoder(hub, FfmpegRuntime.load(Optional.empty()), QueueLimits.DEFAULT)) {
            transcoder.apply(RoutingTable.from(config));
            assertEquals(Map.of(), transcoder.running(), "nothing until a matching stream is live");

            Publication source = hub.publish("live/w", "test").orElseThrow();
            await("a pipeline for live/w", () -> transcoder.running().containsKey("live/w"));
            for (FlvReader.Tag t : tags) {
                Frame f = OfflineTranscode.frameOf(t);
                if (f != null) {
                    source.push(f.kind(), f.timestampMs(), f.payload(), f.keyframe(), f.config());
                    Thread.sleep(2); // a little pacing so the 15-picture queue keeps up without drops
                }
            }
            await("the rendition live", () -> hub.find("live/w@p").map(s -> s.live()).orElse(false));
            assertEquals(Map.of("live/w", List.of("live/w@p")), transcoder.running(), "the rendition is not transcoded");

            source.close();
            await("the pipeline gone with its source", () -> transcoder.running().isEmpty());
            await("its codecs freed", () -> transcoder.metrics().videoEncodersOpen() == 0
                    && transcoder.metrics().videoDecodersOpen() == 0);
            assertTrue(transcoder.metrics().encodedVideoFrames() > 0, transcoder.metrics().toString());
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20); // polling pace; the condition decides
        }
    }
}
