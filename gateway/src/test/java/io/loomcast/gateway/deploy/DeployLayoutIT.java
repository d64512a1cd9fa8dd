package io.loomcast.gateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.loomcast.gateway.bench.CliRun;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.NetLab;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.SmallMedia;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What can be tested of the deployment files without a Docker engine or an init system, after {@code package}
 * (failsafe): deploy/docker/install.sh builds the image's layout from the packaged jar in a temporary directory,
 * exactly as the Dockerfile's RUN does; the image's ENTRYPOINT and CMD then start it as the image's USER, in a
 * network namespace of its own, with the natives read-only. A transcoded rendition proves the natives load from
 * there; the HEALTHCHECK's command and the STOPSIGNAL are exercised as written. The systemd unit is verified with
 * systemd-analyze against the same layout, mounted at /opt/loomcast in a private mount namespace.
 */
class DeployLayoutIT {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final String IMAGE_ROOT = "/opt/loomcast";
    private static final String IMAGE_CONFIG_DIR = "/etc/loomcast";
    private static Dockerfile docker;
    /** The image's root: opt/loomcast as install.sh laid it out (once for both tests), etc/loomcast. */
    @TempDir
    static Path root;

    @BeforeAll
    static void installAsTheDockerfileDoes() throws Exception {
        docker = Dockerfile.read(REPO.resolve("deploy/docker/Dockerfile"));
        // The build stage's step, run here on the jar Maven just packaged.
        assertTrue(docker.runs("deploy/docker/install.sh gateway/target " + IMAGE_ROOT), "the Dockerfile installs "
                + "with install.sh");
        run(List.of(REPO.resolve("deploy/docker/install.sh").toString(), REPO.resolve("gateway/target").toString(),
                root.resolve("opt/loomcast").toString()), REPO, Map.of("JAVA_HOME", System.getProperty("java.home")),
                Duration.ofSeconds(120));
    }

    @Test
    void theImageLayoutRunsAsItsUserWithReadOnlyNatives(@TempDir Path dir) throws Exception {
        assertTrue(docker.all("COPY").contains("--from=build " + IMAGE_ROOT + " " + IMAGE_ROOT), "copies the layout");
        assertTrue(docker.all("COPY").contains("deploy/docker/gateway.yaml " + IMAGE_CONFIG_DIR + "/gateway.yaml"));
        Path opt = root.resolve("opt/loomcast");
        Path etc = Files.createDirectories(root.resolve("etc/loomcast"));
        String imageConfig = remap(Files.readString(REPO.resolve("deploy/docker/gateway.yaml")), root);
        // Mounted like a ConfigMap: the image's config plus a profile, so the natives load at startup.
        Files.writeString(etc.resolve("gateway.yaml"), imageConfig.replace("transcode:\n",
                "transcode:\n  profiles:\n    small: {video: {height: 90, bitrate: 100k}}\n"));
        openForTheImageUser(root);
        openForTheImageUser(dir);
        List<String> nativesBefore = listing(opt.resolve("natives"));
        assertFalse(nativesBefore.isEmpty(), "natives extracted at build time");

        String user = docker.last("USER");
        assertFalse(user.startsWith("0") || user.startsWith("root"), "the image runs as a non-root user: " + user);
        assertEquals("SIGTERM", docker.last("STOPSIGNAL"));
        assertTrue(docker.last("EXPOSE").matches(".*\\b1935/tcp.*\\b1936/tcp.*\\b8080/tcp.*"), docker.last("EXPOSE"));
        List<String> command = new ArrayList<>(docker.execForm("ENTRYPOINT"));
        command.addAll(docker.execForm("CMD"));

        try (NetLab lab = NetLab.create("container")) {
            Path log = dir.resolve("container.log");
            // As `docker run -e API_TOKEN=...`: the image's API listens on every address, so it needs a token.
            List<String> run = new ArrayList<>(List.of("env", "API_TOKEN=" + java.util.UUID.randomUUID()));
            run.addAll(remap(command, root));
            Process gateway = new ProcessBuilder(asImageUser(lab, run, root)).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).directory(Path.of(docker.last("WORKDIR")).toFile()).start();
            try {
                Poll.until(() -> read(log).matches("(?s).*RTMP listening on \\S+:1935\\b.*") || !gateway.isAlive(),
                        Duration.ofSeconds(60), "the image's gateway listening", () -> read(log));
                assertTrue(gateway.isAlive(), read(log));
                assertTrue(read(log).contains("natives loaded from " + opt.resolve("natives") + " (read-only)"),
                        read(log));

                String url = "rtmp://" + lab.address("container") + ":1935/live/x";
                try (ExternalPeer ff = SmallMedia.publish(dir.resolve("ffmpeg.log"), url)) {
                    CliRun.awaitLive(url);
                    CliRun.awaitLive(url + "@small"); // encoded by the read-only natives
                }
                assertHealthcheck(lab, root, dir, log);
            } finally {
                gateway.destroy(); // the STOPSIGNAL, SIGTERM
                boolean stopped = gateway.waitFor(15, TimeUnit.SECONDS);
                if (!stopped) {
                    gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                assertTrue(stopped, "stopped within the image's stop timeout (15 s) of SIGTERM:\n" + read(log));
            }
            assertEquals(nativesBefore, listing(opt.resolve("natives")), "nothing written to the natives");
        }
    }

    /**
     * The HEALTHCHECK command as written, inside the container: healthy against the running gateway's /readyz;
     * then pointed at a stand-in that answers 503, unhealthy.
     */
    private static void assertHealthcheck(NetLab lab, Path root, Path dir, Path gatewayLog) throws Exception {
        List<String> check = docker.execForm("HEALTHCHECK");
        assertEquals("http://127.0.0.1:8080/readyz", check.getLast(), "asks the API's /readyz");
        assertEquals(0, exit(asImageUser(lab, remap(check, root), root), dir),
                () -> "healthy: the gateway is ready:\n" + read(dir.resolve("healthcheck.log")) + "\ngateway:\n"
                        + read(gatewayLog));
        AtomicInteger status = new AtomicInteger(200);
        HttpServer readyz = HttpServer.create(new InetSocketAddress(InetAddress.getByName(lab.address("test")), 0), 0);
        readyz.createContext("/readyz", exchange -> {
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        readyz.start();
        try {
            List<String> command = new ArrayList<>(remap(check, root));
            command.set(command.size() - 1, "http://%s:%d/readyz".formatted(lab.address("test"),
                    readyz.getAddress().getPort()));
            assertEquals(0, exit(asImageUser(lab, command, root), dir), "healthy when /readyz says 200");
            status.set(503);
            assertEquals(1, exit(asImageUser(lab, command, root), dir), "unhealthy when /readyz says 503");
        } finally {
            readyz.stop(0);
        }
    }

    @Test
    void theSystemdUnitVerifiesAgainstTheInstalledLayout(@TempDir Path dir) throws Exception {
        Path unit = REPO.resolve("deploy/systemd/loomcast.service");
        Path layout = root.resolve("opt/loomcast");
        // /opt/loomcast exists only in a private mount namespace: the host's /opt is left alone.
        String script = "mount -t tmpfs loomcast-test /opt && mkdir /opt/loomcast && mount --bind '%s' /opt/loomcast"
                .formatted(layout) + " && exec systemd-analyze verify '%s'".formatted(unit);
        String out = run(List.of(ExternalPeer.require("unshare").toString(), "--mount", "--propagation", "private",
                "sh", "-c", script), dir, Map.of(), Duration.ofSeconds(60));
        // verify exits 0 on warnings such as an unknown key; any output at all is a problem.
        assertEquals("", out.strip(), "systemd-analyze verify");

        String security = run(List.of("systemd-analyze", "security", "--offline=yes", unit.toString()), dir, Map.of(),
                Duration.ofSeconds(60));
        var m = java.util.regex.Pattern.compile("Overall exposure level for loomcast.service: ([0-9.]+) (\\w+)")
                .matcher(security);
        assertTrue(m.find(), security);
        assertTrue(Double.parseDouble(m.group(1)) <= 2.0, "hardened: systemd rates it " + m.group(1) + " "
                + m.group(2) + "\n" + security);
        String text = Files.readString(unit);
        for (String line : List.of("DynamicUser=yes", "ProtectSystem=strict", "NoNewPrivileges=yes",
                "CapabilityBoundingSet=\n", "ExecReload=/bin/kill -HUP $MAINPID", "StandardError=journal",
                "TimeoutStopSec=15s")) {
            assertTrue(text.contains(line), "the unit has " + line.strip());
        }
    }

    /** Paths of the image, moved under {@code root}. */
    private static String remap(String text, Path root) {
        return text.replace(IMAGE_ROOT, root.resolve("opt/loomcast").toString())
                .replace(IMAGE_CONFIG_DIR, root.resolve("etc/loomcast").toString());
    }

    private static List<String> remap(List<String> argv, Path root) {
        return argv.stream().map(a -> remap(a, root)).toList();
    }

    /**
     * {@code argv} as the image runs it: inside the container's namespace, as USER with no groups and no
     * capabilities, with only the image's ENV and its java (this JDK, at JAVA_HOME as in the base image).
     */
    private static List<String> asImageUser(NetLab lab, List<String> argv, Path root) {
        String[] user = docker.last("USER").split(":");
        List<String> command = new ArrayList<>(List.of(ExternalPeer.require("setpriv").toString(),
                "--reuid=" + user[0], "--regid=" + user[1], "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
                "env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/nonexistent",
                "JAVA_HOME=" + System.getProperty("java.home")));
        docker.env().forEach((k, v) -> command.add(k + "=" + remap(v, root)));
        command.addAll(argv);
        return lab.inside("container", command);
    }

    /** Lets the image's user reach the layout, as a root-owned image layer does: read and traverse, not write. */
    private static void openForTheImageUser(Path dir) throws IOException {
        for (Path p = dir; p != null && p.startsWith(Path.of(System.getProperty("java.io.tmpdir"))); p = p.getParent()) {
            if (p.equals(Path.of(System.getProperty("java.io.tmpdir")))) {
                break;
            }
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                if (Files.isDirectory(p) && Files.isWritable(p) && !p.toString().contains("/natives")) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.map(p -> dir.relativize(p) + " " + p.toFile().length()).sorted().toList();
        }
    }

    private static int exit(List<String> command, Path dir) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("healthcheck.log").toFile()).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the health check finished: " + read(dir.resolve("healthcheck.log")));
        return p.exitValue();
    }

    private static String run(List<String> command, Path workDir, Map<String, String> env, Duration limit)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(limit.toSeconds(), TimeUnit.SECONDS), String.join(" ", command) + " finished");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + text);
        return text;
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
