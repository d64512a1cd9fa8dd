package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.NginxRtmp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench play} with 200 players against Loomcast and against nginx-rtmp, each fed by ffmpeg: every
 * player connects, and each receives the stream's bitrate (within 20%) for as long as it plays.
 */
class PlayAgainstOriginsTest {
    private static final int PLAYERS = 200;
    private static final int DURATION_S = 8;
    private static final int RAMP_PER_S = 400;

    @Test
    void twoHundredPlayersOfLoomcast(@TempDir Path dir) throws Exception {
        try (Gateway gw = Gateway.start(ConfigLoader.parse("server: {listen: 127.0.0.1:0}", "t.yaml", Map.of()))) {
            String url = "rtmp://127.0.0.1:" + gw.rtmpAddress().getPort() + "/live/load";
            try (ExternalPeer ff = FfmpegPublisher.start(dir, url)) {
                assertPlayersGetTheStream(dir, url);
            }
        }
    }

    @Test
    void twoHundredPlayersOfNginxRtmp(@TempDir Path dir) throws Exception {
        try (NginxRtmp nginx = NginxRtmp.start(dir)) {
            String url = nginx.url("live/load");
            try (ExternalPeer ff = FfmpegPublisher.start(dir, url)) {
                assertPlayersGetTheStream(dir, url);
            }
        }
    }

    private static void assertPlayersGetTheStream(Path dir, String url) throws Exception {
        CliRun run = CliRun.bench(dir, "play", url, "--clients", Integer.toString(PLAYERS),
                "--duration", DURATION_S + "s", "--ramp", RAMP_PER_S + "/s", "--html", dir.resolve("r.html").toString());
        assertEquals(0, run.exitCode(), run::out);
        assertEquals(PLAYERS, run.number("connected"), run::out);
        assertEquals(0, run.number("failed"), run::out);
        assertEquals(PLAYERS, run.number("ttffMs", "count"), "every player saw a keyframe");

        double streamKbps = MediaFile.load(TestMedia.flv()).bitrateKbps();
        // Each player's own rate over its own playing time. Loomcast's GOP cache gives a player up to a second
        // of stream at once on joining, hence a run long enough that this stays inside the 20%.
        for (String p : new String[] {"p50", "min", "max"}) {
            double kbps = run.decimal("bitrateKbps", p);
            assertTrue(Math.abs(kbps - streamKbps) <= 0.2 * streamKbps,
                    "bitrate %s %.0f kbps vs stream %.0f kbps%n%s".formatted(p, kbps, streamKbps, run.out()));
        }
        // Bytes per player against bitrate x the time it played: the run less its ramp offset and start-up.
        double playedSeconds = run.number("durationMs") / 1000.0 - PLAYERS / 2.0 / RAMP_PER_S
                - run.decimal("playStartMs", "p50") / 1000.0;
        double perPlayer = run.number("bytes", "received") / (double) PLAYERS;
        double expected = streamKbps * 1000 / 8 * playedSeconds;
        assertTrue(Math.abs(perPlayer - expected) <= 0.2 * expected,
                "%.0f bytes per player, expected %.0f%n%s".formatted(perPlayer, expected, run.out()));

        assertTrue(run.out().contains("connected %d, failed 0".formatted(PLAYERS)), "summary on stdout:\n" + run.out());
        for (String key : new String[] {"connect", "handshake", "playStart", "ttff", "jitter"}) {
            assertTrue(Files.size(dir.resolve("report." + key + ".hgrm")) > 0, key + ".hgrm written");
        }
        String html = Files.readString(dir.resolve("r.html"));
        assertTrue(html.contains("<svg"), "inline SVG charts");
        assertFalse(html.contains("<script") || html.contains(" src=") || html.contains(" href="),
                "nothing fetched: the page is self-contained");
    }
}
