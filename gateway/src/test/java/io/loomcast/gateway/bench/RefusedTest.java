package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A port nobody listens on: every client fails as refused, and the run ends cleanly with its summary. */
class RefusedTest {
    private static int closedPort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Test
    void everyClientRefused(@TempDir Path dir) throws Exception {
        String url = "rtmp://127.0.0.1:" + closedPort() + "/live/none";
        // A long duration: the run must end by itself once every client has failed.
        CliRun run = CliRun.bench(dir, "play", url, "--clients", "50", "--ramp", "0", "--duration", "10m");
        assertEquals(1, run.exitCode(), "failed clients make a non-zero exit\n" + run.out());
        assertEquals(50, run.number("failed"));
        assertEquals(0, run.number("connected"));
        assertEquals(Map.of("refused", 50L), Map.of("refused", run.number("failures", "refused")));
        assertEquals(1, ((Map<?, ?>) run.value("failures")).size(), run::out);
        assertTrue(run.number("durationMs") < 60_000, "ended early: " + run.number("durationMs"));
        assertTrue(run.out().contains("refused 50"), run::out);
        assertTrue(run.value("ttffMs", "p50") == null, "no values, no percentiles");
    }

    @Test
    void allowFailuresExitsZero(@TempDir Path dir) throws Exception {
        String url = "rtmp://127.0.0.1:" + closedPort() + "/live/none";
        CliRun run = CliRun.bench(dir, "play", url, "--clients", "3", "--duration", "10s", "--allow-failures");
        assertEquals(0, run.exitCode(), run::out);
        assertEquals(3, run.number("failures", "refused"));
    }
}
