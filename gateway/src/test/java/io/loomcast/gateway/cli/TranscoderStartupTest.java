package io.loomcast.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.testing.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the gateway loads the FFmpeg natives: only when some rendition may run, a push's or one that players may
 * start. Without profiles it never touches them, checked in a fresh JVM (this one may have loaded them for
 * other tests) by where JavaCPP would extract them.
 */
class TranscoderStartupTest {
    private static final String PROFILE = """
            transcode:
              %s
              profiles:
                small: {video: {height: 90, bitrate: 100k, encoder: %s}}
            """;

    private static GatewayConfig parse(String yaml) throws Exception {
        return ConfigLoader.parse("server: {listen: 127.0.0.1:0}\n" + yaml, "t.yaml", Map.of());
    }

    @Test
    void theTranscoderIsNeededForPushProfilesOrProfilesPlayersMayStart() throws Exception {
        assertFalse(Gateway.transcodes(parse("")), "no profiles");
        assertTrue(Gateway.transcodes(parse(PROFILE.formatted("playerRenditions: true", "auto"))),
                "a profile players may start, no push");
        assertFalse(Gateway.transcodes(parse(PROFILE.formatted("playerRenditions: false", "auto"))),
                "a profile nobody may start");
        assertTrue(Gateway.transcodes(parse(PROFILE.formatted("playerRenditions: false", "auto") + """
                routes: [{stream: live/a, push: [{url: "rtmp://127.0.0.1:9/x/a", transcode: small}]}]
                """)), "a push's profile");
    }

    @Test
    void aProfilePlayersMayStartIsCheckedAtStartupThoughNoPushUsesIt() throws Exception {
        // No Linux natives hold VideoToolbox (macOS): the encoder cannot be found in either build.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gateway.start(parse(PROFILE.formatted("playerRenditions: true", "h264_videotoolbox"))).close());
        assertTrue(e.getMessage().startsWith("transcoding cannot start: encoder h264_videotoolbox is not in these "
                + "FFmpeg natives"), e.getMessage());
        try (Gateway g = Gateway.start(parse(PROFILE.formatted("playerRenditions: false", "h264_videotoolbox")))) {
            assertNull(g.transcoder(), "nobody may start that profile: it is not checked, nothing loads");
        }
    }

    @Test
    void withoutProfilesAFreshGatewayNeverLoadsTheNatives(@TempDir Path dir) throws Exception {
        Run without = run(dir.resolve("without"), "routes: []\n");
        assertFalse(without.log().contains("natives loaded"), without.log());
        assertFalse(Files.exists(without.nativeCache()), "nothing extracted to " + without.nativeCache());

        // The same check sees a load: with a profile players may start, the natives load at startup.
        Run with = run(dir.resolve("with"), PROFILE.formatted("playerRenditions: true", "auto"));
        assertTrue(with.log().contains("natives loaded"), with.log());
        assertTrue(Files.isDirectory(with.nativeCache()), with.log());
    }

    private record Run(String log, Path nativeCache) {}

    /** Starts {@code gateway run} on {@code yaml} in a new JVM, waits until it listens, and stops it. */
    private static Run run(Path dir, String yaml) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path config = Files.writeString(dir.resolve("gateway.yaml"), "server: {listen: 127.0.0.1:0}\n" + yaml);
        Path log = dir.resolve("gateway.log");
        Path cache = dir.resolve("javacpp-cache");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.bytedeco.javacpp.cachedir=" + cache, "--enable-native-access=ALL-UNNAMED",
                "io.loomcast.gateway.cli.Main", "run", "-c", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LOOMCAST_TEST_LOG_LEVEL", "INFO");
        Process p = pb.start();
        try {
            Poll.until(() -> read(log).contains("RTMP listening on") || !p.isAlive(), Duration.ofSeconds(60),
                    "the gateway listening", () -> read(log));
            assertTrue(p.isAlive(), read(log));
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        return new Run(read(log), cache);
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
