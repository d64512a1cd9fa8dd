package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.loomcast.gateway.testing.ExternalPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every real peer the integration and interop tests drive is installed. A missing peer fails here, by name,
 * with what to install: the suite never skips a peer it cannot find. {@code bin/test} installs them all.
 */
class PeersPresentTest {
    private static final Path NGINX_RTMP_MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");
    private static final String NODE_MEDIA_SERVER_VERSION = "4.4.3";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"ffmpeg", "ffprobe", "rtmpdump", "gst-launch-1.0", "gst-inspect-1.0", "nginx", "node"})
    void binaryIsInstalled(String binary) {
        assertTrue(Files.isExecutable(ExternalPeer.require(binary)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtmp2src", "rtmp2sink", "flvmux", "flvdemux", "h264parse", "aacparse", "filesink"})
    void gstreamerElementIsInstalled(String element) throws IOException {
        assertRuns(List.of(ExternalPeer.require("gst-inspect-1.0").toString(), element), element,
                "apt-get install gstreamer1.0-plugins-good gstreamer1.0-plugins-bad");
    }

    @ParameterizedTest
    @ValueSource(strings = {"libx264", "aac"})
    void ffmpegHasTheEncoderTheTestMediaNeeds(String encoder) throws IOException {
        // ffmpeg -h exits 0 for an unknown encoder too, so the answer is read.
        assertRuns(List.of(ExternalPeer.require("ffmpeg").toString(), "-hide_banner", "-h", "encoder=" + encoder),
                "ffmpeg encoder " + encoder, "an ffmpeg built with libx264 (Debian's ffmpeg package)");
        String help = Files.readString(dir.resolve("out.log"));
        assertTrue(help.startsWith("Encoder " + encoder + " "), "ffmpeg has no encoder " + encoder + ": " + help);
    }

    @Test
    void nginxHasTheRtmpModule() {
        assertTrue(Files.isReadable(NGINX_RTMP_MODULE), NGINX_RTMP_MODULE + " missing: apt-get install libnginx-mod-rtmp");
    }

    @Test
    void systemPythonHasLibrtmp() throws IOException {
        assertTrue(Files.isExecutable(Peers.SYSTEM_PYTHON), Peers.SYSTEM_PYTHON + " missing");
        assertRuns(List.of(Peers.SYSTEM_PYTHON.toString(), "-c", "import librtmp; print(librtmp.__version__)"),
                "python3-librtmp", "apt-get install python3-librtmp");
    }

    @Test
    void nodeMediaServerIsInstalledUnderPeers() throws IOException {
        Path packageJson = repositoryRoot().resolve(".peers/node_modules/node-media-server/package.json");
        if (!Files.isReadable(packageJson)) {
            fail(packageJson + " missing: bin/test installs it, or npm install --prefix .peers node-media-server@"
                    + NODE_MEDIA_SERVER_VERSION);
        }
        String json = Files.readString(packageJson);
        assertTrue(json.matches("(?s).*\"version\"\\s*:\\s*\"" + NODE_MEDIA_SERVER_VERSION.replace(".", "\\.") + "\".*"),
                "node-media-server is not " + NODE_MEDIA_SERVER_VERSION + ": " + packageJson);
    }

    /** The directory holding {@code mvnw}, found upwards from where the tests run (gateway/). */
    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        return fail("no mvnw above " + Path.of("").toAbsolutePath());
    }

    private void assertRuns(List<String> command, String what, String install) throws IOException {
        try (ExternalPeer peer = ExternalPeer.start(dir.resolve("out.log"), command)) {
            int status = peer.awaitExit(Duration.ofSeconds(20));
            assertEquals(0, status, "%s missing (%s exited %d): %s%n%s".formatted(what, command.getFirst(), status,
                    install, peer.output()));
        }
    }
}
