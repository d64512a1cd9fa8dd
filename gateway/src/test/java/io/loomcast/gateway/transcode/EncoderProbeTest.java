package io.loomcast.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.hub.GopCacheLimits;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.routing.RoutingTable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Every profile's encoder is opened and fed one picture when the config is checked, so an encoder that is in
 * the natives but cannot run here fails startup or reload with FFmpeg's reason, not the first stream.
 */
class EncoderProbeTest {

    private static GatewayConfig config(String encoder) throws Exception {
        return ConfigLoader.parse("""
                transcode:
                  profiles:
                    p:
                      video: {height: 180, bitrate: 300k, encoder: %s}
                routes:
                  - stream: live/a
                    push: [{url: "rtmp://127.0.0.1:9/live/x", transcode: p}]
                """.formatted(encoder), "t.yaml", Map.of());
    }

    private static void check(Transcoder t, String encoder) throws Exception {
        GatewayConfig c = config(encoder);
        t.check(RoutingTable.from(c), c.transcode());
    }

    @Test
    void aWorkingEncoderPassesAndIsFreedAgain() throws Exception {
        try (Transcoder t = new Transcoder(new StreamHub(GopCacheLimits.OFF), FfmpegRuntime.load(Optional.empty()),
                QueueLimits.DEFAULT)) {
            check(t, "auto");
            assertEquals(0, t.metrics().videoEncodersOpen(), "the probe is not a running encoder");
        }
    }

    @Test
    void aHardwareEncoderWithoutItsDeviceFailsTheCheck() throws Exception {
        // The natives carry h264_vaapi, which needs a VA-API device and hardware frames this machine lacks.
        try (Transcoder t = new Transcoder(new StreamHub(GopCacheLimits.OFF), FfmpegRuntime.load(Optional.empty()),
                QueueLimits.DEFAULT)) {
            TranscodeException e = assertThrows(TranscodeException.class, () -> check(t, "h264_vaapi"));
            assertTrue(e.getMessage().contains("encoder h264_vaapi does not work here"), e.getMessage());
            assertEquals(0, t.metrics().videoEncodersOpen());
        }
    }

    @Test
    void aReloadOnAVirtualThreadProbesOnAPlatformOne() throws Exception {
        try (Transcoder t = new Transcoder(new StreamHub(GopCacheLimits.OFF), FfmpegRuntime.load(Optional.empty()),
                QueueLimits.DEFAULT)) {
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread.ofVirtual().start(() -> {
                try {
                    check(t, "h264_vaapi");
                } catch (Exception e) {
                    failure.set(e);
                }
            }).join();
            assertTrue(failure.get() instanceof TranscodeException e && e.getMessage().contains("does not work here"),
                    String.valueOf(failure.get()));
        }
    }
}
