package io.loomcast.benchmarks.relay;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The processes a relay benchmark runs (nginx-rtmp, the gateway, ffmpeg), each with its output in a log file
 * and killed when the benchmark ends; and their CPU time, read from {@code /proc/PID/stat}.
 */
final class Peers implements AutoCloseable {
    static final Path NGINX_MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");

    private final Path dir;
    private final List<Process> started = new ArrayList<>();
    private final java.util.Map<Process, Path> logs = new java.util.HashMap<>();
    private int serial;

    Peers(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** A port nobody listens on right now. */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    Process start(String name, List<String> command) throws IOException {
        Path log = dir.resolve(name + "-" + (++serial) + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        started.add(p);
        logs.put(p, log);
        return p;
    }

    /** Where {@code p}'s output goes. */
    Path logOf(Process p) {
        return logs.get(p);
    }

    /**
     * nginx in the foreground on {@code port} with the given {@code application} blocks (each a full
     * {@code application NAME { ... }} line); returns once it accepts connections.
     */
    Process nginx(String name, int port, List<String> applications) throws IOException {
        Path prefix = Files.createDirectories(dir.resolve(name));
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, """
                load_module %s;
                daemon off;
                master_process off;
                error_log %s warn;
                pid %s;
                events {}
                rtmp {
                    server {
                        listen 127.0.0.1:%d;
                %s
                    }
                }
                """.formatted(NGINX_MODULE, prefix.resolve("error.log"), prefix.resolve("nginx.pid"), port,
                String.join("\n", applications.stream().map(a -> "        " + a).toList())));
        Process p = start(name, List.of("nginx", "-c", conf.toString(), "-p", prefix.toString()));
        awaitListening(p, port);
        return p;
    }

    /** The gateway as its own JVM ({@code java -jar gateway.jar run -c FILE}); returns once it listens. */
    Process gateway(Path jar, String yaml, int port) throws IOException {
        Path config = dir.resolve("gateway-" + (serial + 1) + ".yaml");
        Files.writeString(config, yaml);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = start("gateway", List.of(java, "-jar", jar.toString(), "run", "-c", config.toString()));
        awaitListening(p, port);
        return p;
    }

    /** ffmpeg publishing {@code flv} in real time, looped, without re-encoding. */
    Process ffmpegLoop(Path flv, String url) throws IOException {
        return start("ffmpeg", List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1",
                "-i", flv.toString(), "-c", "copy", "-f", "flv", url));
    }

    /** Runs a bounded command to completion; fails when it does. */
    void run(String name, List<String> command) throws Exception {
        Process p = start(name, command);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(name + " failed; see " + dir);
        }
    }

    static void awaitListening(Process p, int port) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
                return;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() - deadline > 0) {
                    throw new IOException("nothing listens on 127.0.0.1:" + port + " (process alive: " + p.isAlive()
                            + ")");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    /** Kills {@code p} (SIGKILL) and waits for it to be gone. */
    static void kill(Process p) {
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** User plus system CPU time of a process so far, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Resident set size in KiB, from /proc/PID/status. */
    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", ""));
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Process p : started.reversed()) {
            kill(p);
        }
    }
}
