package io.loomcast.gateway.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * node-media-server v4 (pinned in {@code bin/test}, installed under the repo's {@code .peers/}), listening on
 * a loopback RTMP port and, given certificates, an RTMPS port. It can be killed and started again on the same
 * ports, as a destination that goes away and comes back. Closing kills it.
 *
 * <p>Its v4 config: {@code rtmp.port}, {@code rtmps.port} with {@code key} and {@code cert} PEM files,
 * {@code bind}, and {@code store.path} for its JSON store. Without {@code http.port} it starts no HTTP
 * server, and without {@code auth} no admin API. Stream names must match {@code [a-zA-Z0-9_-]+}, and v4 sends
 * its players nothing when a publisher leaves, so a player there never sees the end of a stream.
 */
public final class NodeMediaServer implements AutoCloseable {
    private static final String VERSION = "4.4.3";
    private static final long START_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final Path dir;
    private final Path config;
    private final int rtmpPort;
    private final int rtmpsPort;
    private ExternalPeer process;
    private int starts;

    private NodeMediaServer(Path dir, Path config, int rtmpPort, int rtmpsPort) {
        this.dir = dir;
        this.config = config;
        this.rtmpPort = rtmpPort;
        this.rtmpsPort = rtmpsPort;
    }

    /** Starts it with RTMP only. */
    public static NodeMediaServer start(Path dir) throws Exception {
        return start(dir, null);
    }

    /** Starts it with RTMP, and RTMPS with {@code tls}'s server certificate when given. */
    public static NodeMediaServer start(Path dir, TestCertificates tls) throws Exception {
        appJs();
        ExternalPeer.require("node");
        int rtmp = freeLoopbackPort();
        int rtmps = tls == null ? 0 : freeLoopbackPort();
        String rtmpsSection = tls == null ? "" : """
                , "rtmps": {"port": %d, "key": "%s", "cert": "%s"}""".formatted(rtmps, tls.serverKey(),
                tls.serverCert());
        Path config = dir.resolve("nms.json");
        Files.writeString(config, """
                {"bind": "127.0.0.1", "rtmp": {"port": %d}%s, "store": {"path": "%s"}}
                """.formatted(rtmp, rtmpsSection, dir.resolve("nms-data")));
        NodeMediaServer server = new NodeMediaServer(dir, config, rtmp, rtmps);
        server.launch();
        return server;
    }

    /** bin/app.js of the pinned version, found from the working directory upwards; missing fails the test. */
    static Path appJs() throws IOException {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path pkg = d.resolve(".peers/node_modules/node-media-server");
            if (Files.isRegularFile(pkg.resolve("package.json"))) {
                String json = Files.readString(pkg.resolve("package.json"));
                if (!json.contains("\"version\": \"" + VERSION + "\"")) {
                    fail(pkg + " is not node-media-server " + VERSION + "; run bin/test, or: npm install --prefix "
                            + d.resolve(".peers") + " node-media-server@" + VERSION);
                }
                return pkg.resolve("bin/app.js");
            }
        }
        return fail("node-media-server not found in any .peers/ above " + Path.of("").toAbsolutePath()
                + "; run bin/test, or: npm install --prefix .peers node-media-server@" + VERSION);
    }

    private void launch() throws Exception {
        starts++;
        process = ExternalPeer.start(dir.resolve("nms-" + starts + ".out"),
                List.of(ExternalPeer.require("node").toString(), appJs().toString(), "-c", config.toString()));
        awaitListening(rtmpPort);
        if (rtmpsPort != 0) {
            awaitListening(rtmpsPort);
        }
    }

    /** Kills it (SIGKILL: connections drop without a goodbye) and waits until it is gone. */
    public void kill() {
        process.close();
    }

    /** Starts it again on the same ports, after {@link #kill}. */
    public void restart() throws Exception {
        if (process.isAlive()) {
            fail("restart() of a node-media-server that is still running");
        }
        launch();
    }

    private void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + START_DEADLINE_NANOS;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
                return;
            } catch (ConnectException notYet) {
                if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                    process.close();
                    fail("node-media-server did not listen on 127.0.0.1:%d (alive: %s); its output:%n%s"
                            .formatted(port, process.isAlive(), process.output()));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // pacing the poll, not synchronising
            }
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** {@code rtmp://127.0.0.1:PORT/path}. */
    public String url(String path) {
        return "rtmp://127.0.0.1:" + rtmpPort + "/" + path;
    }

    /** {@code rtmps://127.0.0.1:PORT/path}; only when started with certificates. */
    public String rtmpsUrl(String path) {
        if (rtmpsPort == 0) {
            fail("node-media-server was started without RTMPS");
        }
        return "rtmps://127.0.0.1:" + rtmpsPort + "/" + path;
    }

    /** What it printed since its last start, for assertion messages. */
    public String output() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }
}
