package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.cli.Main;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.testing.ExternalPeer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --read-interval}: players read in batches, still get the whole stream, and report no jitter. */
class ReadIntervalTest {
    @Test
    void batchedPlayersGetTheStream(@TempDir Path dir) throws Exception {
        try (Gateway gw = Gateway.start(ConfigLoader.parse("server: {listen: 127.0.0.1:0}", "t.yaml", Map.of()))) {
            String url = "rtmp://127.0.0.1:" + gw.rtmpAddress().getPort() + "/live/batched";
            try (ExternalPeer ff = FfmpegPublisher.start(dir, url)) {
                CliRun run = CliRun.bench(dir, "play", url, "--clients", "20", "--duration", "6s",
                        "--read-interval", "200ms");
                assertEquals(0, run.exitCode(), run::out);
                assertEquals(20, run.number("connected"));
                assertEquals(0, run.number("jitterMs", "count"), "no jitter at a 200 ms resolution");
                assertEquals(20, run.number("ttffMs", "count"));
                assertEquals(200, run.number("options", "readIntervalMs"));
                double streamKbps = MediaFile.load(TestMedia.flv()).bitrateKbps();
                double p50 = run.decimal("bitrateKbps", "p50");
                assertTrue(Math.abs(p50 - streamKbps) <= 0.2 * streamKbps, p50 + " kbps vs " + streamKbps);
            }
        }
    }

    @Test
    void latencyModeRefusesIt() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("bench", "latency", "rtmp://127.0.0.1:1/live/x", "--file", TestMedia.flv().toString(),
                "--read-interval", "200ms");
        assertEquals(2, code);
        assertTrue(err.toString().contains("latency mode reads at once"), err::toString);
    }
}
