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
 * nginx with the RTMP module, running in the foreground from a config in a temporary directory and listening
 * on a free loopback port. Closing stops it. The server block always has {@code application live}; relay
 * tests add more applications (a second one as a destination) and turn the debug log down, since a media
 * stream at debug level writes a log line per chunk.
 */
public final class NginxRtmp implements AutoCloseable {
    private static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");
    private static final long START_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ExternalPeer process;
    private final Path dir;
    private final int port;

    private NginxRtmp(ExternalPeer process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * What goes into the config beyond the defaults.
     *
     * @param extraApps     further {@code live on} applications, next to {@code live}
     * @param errorLogLevel nginx's error_log level: {@code debug} shows the handshake stages
     * @param serverBlock   more directives for the rtmp server block, e.g. an application that pulls
     */
    public record Options(List<String> extraApps, String errorLogLevel, String serverBlock) {
        public static final Options DEFAULT = new Options(List.of(), "debug");

        public Options {
            extraApps = List.copyOf(extraApps);
        }

        public Options(List<String> extraApps, String errorLogLevel) {
            this(extraApps, errorLogLevel, "");
        }

        /** These options plus {@code directives} in the server block. */
        public Options withServerBlock(String directives) {
            return new Options(extraApps, errorLogLevel, directives);
        }

        /** Adds {@code application NAME { live on; }} for each name; logs at {@code info}. */
        public static Options withApps(String... apps) {
            return new Options(List.of(apps), "info");
        }
    }

    public static NginxRtmp start(Path dir) throws Exception {
        return start(dir, Options.DEFAULT);
    }

    public static NginxRtmp start(Path dir, Options options) throws Exception {
        Path nginx = ExternalPeer.require("nginx");
        if (!Files.isReadable(MODULE)) {
            fail(MODULE + " missing: install libnginx-mod-rtmp");
        }
        int port = freeLoopbackPort();
        StringBuilder apps = new StringBuilder();
        for (String app : options.extraApps()) {
            apps.append("        application ").append(app).append(" { live on; }\n");
        }
        options.serverBlock().lines().forEach(l -> apps.append("        ").append(l).append('\n'));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                load_module %s;
                daemon off;
                master_process off;
                error_log %s %s;
                pid %s;
                events {}
                rtmp {
                    server {
                        listen 127.0.0.1:%d;
                        application live { live on; }
                %s    }
                }
                """.formatted(MODULE, dir.resolve("error.log"), options.errorLogLevel(), dir.resolve("nginx.pid"), port,
                apps));
        ExternalPeer process = ExternalPeer.start(dir.resolve("nginx.out"),
                List.of(nginx.toString(), "-c", conf.toString(), "-p", dir.toString()));
        NginxRtmp server = new NginxRtmp(process, dir, port);
        server.awaitListening();
        return server;
    }

    /** A port nobody listens on right now; nginx may lose a race for it, which would show as a bind error. */
    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Polls the port until nginx accepts, failing with its logs if it exits or the deadline passes. */
    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + START_DEADLINE_NANOS;
        while (true) {
            try {
                connect().close();
                return;
            } catch (ConnectException notYet) {
                if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                    process.close();
                    fail("nginx did not start listening on 127.0.0.1:%d (alive: %s); its output:%n%s%nerror.log:%n%s"
                            .formatted(port, process.isAlive(), process.output(), errorLog()));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // pacing the poll, not synchronising
            }
        }
    }

    public int port() {
        return port;
    }

    /** {@code rtmp://127.0.0.1:PORT/path}, e.g. {@code url("live/x")}. */
    public String url(String path) {
        return "rtmp://127.0.0.1:" + port + "/" + path;
    }

    public Socket connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** The whole error log, at the level the options asked for. */
    public Path errorLogPath() {
        return dir.resolve("error.log");
    }

    /** nginx's error log at debug level: the handshake stages, for assertion messages. */
    public String errorLog() throws IOException {
        Path log = dir.resolve("error.log");
        if (!Files.exists(log)) {
            return "(no error.log)";
        }
        String all = Files.readString(log);
        return all.length() <= 6000 ? all : "..." + all.substring(all.length() - 6000);
    }

    /** The whole error log, for polling on what nginx saw; "" when it cannot be read (yet). */
    public String errorLogQuietly() {
        try {
            Path log = dir.resolve("error.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.stop();
    }
}
