package io.loomcast.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.RtmpRecorder;
import io.loomcast.gateway.testing.SourceClip;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code gateway run} as a real process, SIGTERM during a live relay: the destination sees the push unpublish
 * (deleteStream before disconnect in nginx-rtmp's log), the local player gets NetStream.Play.Stop, and the
 * process exits 0 within {@code server.shutdownGrace}. It logs JSON ({@code logging.format: json}), one line
 * per session start and end with peer, stream, duration, bytes and reason.
 */
class ShutdownTest {
    private static final Duration GRACE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void sigtermUnpublishesTellsEveryoneAndExitsZeroWithinTheGrace() throws Exception {
        SourceClip clip = SourceClip.get();
        try (NginxRtmp nginx = NginxRtmp.start(Files.createDirectories(dir.resolve("nginx")),
                NginxRtmp.Options.withApps("dest"))) {
            int rtmpPort = freePort();
            Path config = dir.resolve("gateway.yaml");
            Files.writeString(config, """
                    server:
                      listen: 127.0.0.1:%d
                      shutdownGrace: %ds
                    logging:
                      format: json
                    routes:
                      - stream: live/src
                        push: ["%s"]
                    """.formatted(rtmpPort, GRACE.toSeconds(), nginx.url("dest/src")));
            String java = ProcessHandle.current().info().command().orElseThrow();
            Path out = dir.resolve("gateway.out");
            Process gateway = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"),
                    "io.loomcast.gateway.cli.Main", "run", "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String local = "rtmp://127.0.0.1:" + rtmpPort + "/live/src";
            try {
                Poll.until(() -> Files.exists(out) && read(out).contains("RTMP listening"), Duration.ofSeconds(30),
                        "the gateway to listen", () -> read(out));
                try (RtmpRecorder atNginx = RtmpRecorder.start(nginx.url("dest/src"), dir.resolve("nginx.flv"));
                     RtmpRecorder player = RtmpRecorder.start(local, dir.resolve("local.flv"));
                     ExternalPeer ffmpeg = clip.publish(dir.resolve("ffmpeg.log"), local, -1)) {
                    Poll.until(() -> atNginx.videoFrames() >= SourceClip.FPS && player.videoFrames() >= SourceClip.FPS,
                            Duration.ofSeconds(15), "a second of the relay at nginx-rtmp and at the local player",
                            () -> atNginx + "\n" + player + "\n" + read(out));
                    long signalled = System.nanoTime();
                    gateway.destroy(); // SIGTERM
                    if (!gateway.waitFor(GRACE.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                        fail("still running " + (GRACE.toMillis() + 5_000) + " ms after SIGTERM:\n" + read(out));
                    }
                    long ms = (System.nanoTime() - signalled) / 1_000_000;
                    assertEquals(0, gateway.exitValue(), () -> "exit status after SIGTERM; output:\n" + read(out));
                    assertTrue(ms < GRACE.toMillis(), "exited " + ms + " ms after SIGTERM; the grace is " + GRACE);
                    Poll.until(() -> NginxLog.publishersOf(NginxLog.of(nginx), "src").contains(true),
                            Duration.ofSeconds(5), "nginx-rtmp to log the push's deleteStream before its disconnect",
                            () -> NginxLog.of(nginx));
                    Poll.until(() -> player.notices().contains("NetStream.Play.Stop"), Duration.ofSeconds(5),
                            "the player to be told", player::toString);
                    ffmpeg.awaitExit(Duration.ofSeconds(10)); // the publisher was told and closed: it ends
                }
                List<JsonNode> lines = new ArrayList<>();
                for (String line : read(out).split("\n")) {
                    if (line.startsWith("{")) {
                        lines.add(ApiClient.MAPPER.readTree(line));
                    } else {
                        // The JVM itself may print a warning; the gateway's own lines are all JSON.
                        assertTrue(!line.matches("^\\d{4}-\\d\\d-\\d\\dT.*") && !line.contains(" INFO "),
                                "a log line that is not JSON: " + line);
                    }
                }
                JsonNode playerEnd = lines.stream().filter(l -> l.path("formattedMessage").asString()
                        .matches("c\\d+: closed .*\\[playing live/src\\]")).findFirst()
                        .orElseGet(() -> fail("no session end line for the player:\n" + read(out)));
                String text = playerEnd.path("formattedMessage").asString();
                Matcher m = Pattern.compile("closed 127\\.0\\.0\\.1:\\d+ after (\\d+) ms: server shutting down "
                        + "\\((\\d+) in, (\\d+) out\\) \\[playing live/src\\]").matcher(text);
                assertTrue(m.find(), text);
                assertTrue(Long.parseLong(m.group(3)) > 10_000, "the player got the stream: " + text);
                assertTrue(playerEnd.path("kvpList").toString().contains("\"reason\":\"server shutting down\""),
                        "the fields as key-values for log shippers: " + playerEnd);
                assertTrue(lines.stream().anyMatch(l -> l.path("formattedMessage").asString()
                        .matches("c\\d+: publishing live/src from 127\\.0\\.0\\.1:\\d+")), "the publisher's start line");
                assertTrue(lines.stream().anyMatch(l -> l.path("formattedMessage").asString()
                        .matches("c\\d+: closed .*server shutting down.*\\[publishing live/src\\]")),
                        "the publisher's end line");
                assertTrue(!read(out).contains("dest/src\""), "no push URL unredacted");
            } finally {
                gateway.destroyForcibly();
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
