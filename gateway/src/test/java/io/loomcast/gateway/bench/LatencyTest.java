package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.testing.NginxRtmp;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench latency}: one stamping publisher and a few players, through Loomcast and through nginx-rtmp. */
class LatencyTest {
    private static final int PLAYERS = 5;

    @Test
    void throughLoomcast(@TempDir Path dir) throws Exception {
        try (Gateway gw = Gateway.start(ConfigLoader.parse("server: {listen: 127.0.0.1:0}", "t.yaml", Map.of()))) {
            assertPlausibleLatency(dir, "rtmp://127.0.0.1:" + gw.rtmpAddress().getPort() + "/live/stamped");
        }
    }

    @Test
    void throughNginxRtmp(@TempDir Path dir) throws Exception {
        try (NginxRtmp nginx = NginxRtmp.start(dir)) {
            assertPlausibleLatency(dir, nginx.url("live/stamped"));
        }
    }

    private static void assertPlausibleLatency(Path dir, String url) throws Exception {
        CliRun run = CliRun.bench(dir, "latency", url, "--file", TestMedia.flv().toString(),
                "--players", Integer.toString(PLAYERS), "--duration", "5s");
        assertEquals(0, run.exitCode(), run::out);
        assertEquals(PLAYERS + 1, run.number("connected"), run::out);
        long stamped = run.number("latencyMs", "count");
        // About 4 s of 25 fps video reaches each player; every frame carries a stamp.
        assertTrue(stamped >= PLAYERS * 50L, stamped + " stamped frames received\n" + run.out());
        double p50 = run.decimal("latencyMs", "p50");
        double max = run.decimal("latencyMs", "max");
        assertTrue(p50 > 0 && p50 < 1000, "p50 latency %.3f ms%n%s".formatted(p50, run.out()));
        assertTrue(max < 5000, "max latency %.3f ms%n%s".formatted(max, run.out()));
        assertTrue(run.number("frames", "sent") > 0);
    }
}
