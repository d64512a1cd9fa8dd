package io.loomcast.gateway.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code gateway run -c FILE} in a JVM of its own, as an operator starts it: on this test JVM's java and class
 * path, logging at INFO into a file, optionally inside a network namespace ({@code prefix}, e.g. from
 * {@link NetLab#inside}). {@link #kill()} is a crash (SIGKILL), {@link #close()} a normal stop (SIGTERM).
 * Also for what an in-process gateway cannot show: its own RSS and open-file limit, a real SIGHUP, and
 * everything it prints.
 */
public final class GatewayProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("RTMP listening on (\\S+):(\\d+)");
    private static final Pattern TLS_LISTENING = Pattern.compile("RTMPS listening on (\\S+):(\\d+)");
    /** Small heap and quick start, for tests that run several replicas at once. */
    public static final List<String> SMALL_JVM = List.of("-Xss512k", "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");
    private static final Duration START = Duration.ofSeconds(60);

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;

    private GatewayProcess(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * Starts a gateway on {@code config} and waits until it listens for RTMP.
     *
     * @param prefix prepended to the java command (a namespace's {@code ip netns exec NS}), or empty
     * @param env    extra environment, e.g. {@code POD_NAME}
     */
    public static GatewayProcess start(String name, Path config, Path log, List<String> prefix, Map<String, String> env)
            throws IOException {
        return start(name, config, log, prefix, env, SMALL_JVM);
    }

    /**
     * As {@link #start(String, Path, Path, List, Map)}, with {@code jvmFlags} ({@code List.of()}: the JVM's
     * defaults, as {@code bin/gateway} runs it, for figures such as RSS).
     */
    public static GatewayProcess start(String name, Path config, Path log, List<String> prefix, Map<String, String> env,
            List<String> jvmFlags) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        // SIGHUP back to its default first: a test run under nohup passes SIGHUP's ignoring on to every child, and
        // the JVM then leaves it ignored, so a reload by SIGHUP would never come.
        command.addAll(List.of("python3", "-c",
                "import os, signal, sys; signal.signal(signal.SIGHUP, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])"));
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "io.loomcast.gateway.cli.Main", "run", "-c", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LOOMCAST_TEST_LOG_LEVEL", "INFO");
        pb.environment().putAll(env);
        Process p = pb.start();
        Poll.until(() -> !p.isAlive() || LISTENING.matcher(read(log)).find(), START, name + " listening",
                () -> read(log));
        Matcher m = LISTENING.matcher(read(log));
        if (!p.isAlive() || !m.find()) {
            fail(name + " exited at startup:\n" + read(log));
        }
        return new GatewayProcess(name, p, log, Integer.parseInt(m.group(2)));
    }

    /** The RTMP port it bound. */
    public int port() {
        return port;
    }

    /** Where it accepts RTMP. */
    public InetSocketAddress rtmp() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** Where it accepts RTMPS, once it says so (it loads the certificate after RTMP listens). */
    public Optional<InetSocketAddress> rtmps() {
        Poll.untilQuietly(() -> !process.isAlive() || TLS_LISTENING.matcher(log()).find(), START);
        Matcher m = TLS_LISTENING.matcher(log());
        return m.find() ? Optional.of(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))))
                : Optional.empty();
    }

    public long pid() {
        return process.pid();
    }

    /** Resident set size now, from /proc, in KiB; 0 once it is gone. */
    public long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // Gone: nothing resident.
        }
        return 0;
    }

    /** Sends SIGHUP, as {@code kill -HUP PID} does. */
    public void hangup() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            fail("kill -HUP " + process.pid() + " failed");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything it logged so far. */
    public String log() {
        return read(log);
    }

    /** Log lines containing {@code text}. */
    public List<String> logLines(String text) {
        return log().lines().filter(l -> l.contains(text)).toList();
    }

    /** A crash: SIGKILL, nothing flushed, no goodbye to its peers beyond the kernel closing its sockets. */
    public void kill() {
        process.destroyForcibly();
        await();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (!exited(10)) {
                process.destroyForcibly();
            }
        }
        await();
    }

    private void await() {
        if (!exited(10)) {
            fail(name + " (pid " + process.pid() + ") still running 10 s after it was killed");
        }
    }

    private boolean exited(int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public String toString() {
        return name + " on port " + port;
    }
}
