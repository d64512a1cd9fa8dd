package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.cli.Main;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.testing.ExternalPeer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench play --switch-every TIME --switch-to NAME}: every player switches with play2 between two live
 * streams of Loomcast, back and forth; the report counts the switches and times each to TransitionComplete.
 * A name the origin does not know is refused each time, which is counted and is not a failure.
 */
class SwitchTest {
    private static final int PLAYERS = 20;

    @Test
    void playersSwitchBackAndForthAndTheReportCountsAndTimesIt(@TempDir Path dir) throws Exception {
        try (Gateway gw = Gateway.start(ConfigLoader.parse("server: {listen: 127.0.0.1:0}", "t.yaml", Map.of()))) {
            String base = "rtmp://127.0.0.1:" + gw.rtmpAddress().getPort() + "/live/";
            try (ExternalPeer a = FfmpegPublisher.start(Files.createDirectories(dir.resolve("a")), base + "a");
                 ExternalPeer b = FfmpegPublisher.start(Files.createDirectories(dir.resolve("b")), base + "b")) {
                CliRun run = CliRun.bench(dir, "play", base + "a", "--clients", String.valueOf(PLAYERS), "--ramp", "0",
                        "--duration", "6s", "--switch-every", "1500ms", "--switch-to", "b",
                        "--html", dir.resolve("r.html").toString());
                assertEquals(0, run.exitCode(), run::out);
                assertEquals(PLAYERS, run.number("connected"), run::out);
                long requested = run.number("switches", "requested");
                long completed = run.number("switches", "completed");
                // A switch every 1.5 s for about 6 s, each done within a GOP (1 s): two or three each.
                assertTrue(completed >= 2L * PLAYERS, completed + " switches completed\n" + run.out());
                assertTrue(requested >= completed && requested <= completed + PLAYERS,
                        "at most one waiting per player: %d asked, %d done%n%s".formatted(requested, completed, run.out()));
                assertEquals(0, run.number("switches", "refused"), run::out);
                assertEquals(completed, run.number("switchMs", "count"), "each completed switch timed");
                assertTrue(run.decimal("switchMs", "p50") > 0, run::out);
                assertEquals(1500, run.number("options", "switchEveryMs"));
                assertEquals("b", run.value("options", "switchTo"));
                assertTrue(run.out().contains("switches   " + requested + " asked for"), run::out);
                assertTrue(Files.size(dir.resolve("report.switch.hgrm")) > 0, "switch.hgrm written");
                assertTrue(Files.readString(dir.resolve("r.html")).contains("TransitionComplete"), "the HTML's chart");
                // Nothing is left playing a: every player ended the run on a or b, and the hub saw them move.
                assertEquals(0, gw.hub().find("live/a").map(s -> s.subscriberCount()).orElse(0));

                CliRun refused = CliRun.bench(Files.createDirectories(dir.resolve("refused")), "play", base + "a",
                        "--clients", "5", "--ramp", "0", "--duration", "3s", "--switch-every", "500ms",
                        "--switch-to", "nosuch");
                assertEquals(0, refused.exitCode(), "a refused switch is not a failed player:\n" + refused.out());
                assertEquals(0, refused.number("switches", "completed"), refused::out);
                assertTrue(refused.number("switches", "refused") >= 5, refused::out);
                assertEquals(refused.number("switches", "requested"), refused.number("switches", "refused"),
                        refused::out);
            }
        }
    }

    @Test
    void switchOptionsGoTogether() {
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        assertEquals(2, cli.execute("bench", "play", "rtmp://127.0.0.1:9/live/a", "--clients", "1",
                "--switch-every", "1s"));
        assertTrue(err.toString().contains("--switch-every and --switch-to go together"), err.toString());
    }
}
