package io.loomcast.gateway.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.loomcast.gateway.cli.Main;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.net.URL;
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
 * The gateway as an operator runs it: {@code gateway run -c FILE} in a JVM of its own (this test JVM's java and
 * classpath, the production logback.xml), its output in a file. For what an in-process gateway cannot show:
 * its own RSS and open-file limit, a real SIGHUP, and everything it prints.
 */
public final class GatewayProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("(RTMPS?) listening on ([0-9.]+):(\\d+)");
    private static final Duration START_DEADLINE = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private InetSocketAddress rtmp;
    private InetSocketAddress rtmps;

    private GatewayProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code gateway run -c config} with {@code env} added to this environment, and waits until it
     * listens (RTMP, and RTMPS when {@code expectTls}).
     */
    public static GatewayProcess start(Path config, Path log, Map<String, String> env, boolean expectTls)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Dlogback.configurationFile=" + productionLogback(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", "-c", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        GatewayProcess g = new GatewayProcess(pb.start(), log);
        g.awaitListening(expectTls);
        return g;
    }

    /** The main logback.xml, not the tests' logback-test.xml that is first on this classpath. */
    private static String productionLogback() {
        URL url = GatewayProcess.class.getClassLoader().getResource("logback.xml");
        if (url == null) {
            return fail("logback.xml not on the classpath");
        }
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException e) {
            return fail(e.toString());
        }
    }

    private void awaitListening(boolean expectTls) {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(output());
            while (m.find()) {
                InetSocketAddress a = new InetSocketAddress(m.group(2), Integer.parseInt(m.group(3)));
                if (m.group(1).equals("RTMP")) {
                    rtmp = a;
                } else {
                    rtmps = a;
                }
            }
            if (rtmp != null && (rtmps != null || !expectTls)) {
                return;
            }
            if (!process.isAlive()) {
                fail("the gateway exited with " + process.exitValue() + ":\n" + output());
            }
            sleep(50);
        }
        fail("the gateway did not listen within " + START_DEADLINE + ":\n" + output());
    }

    public InetSocketAddress rtmp() {
        return rtmp;
    }

    public Optional<InetSocketAddress> rtmps() {
        return Optional.ofNullable(rtmps);
    }

    public long pid() {
        return process.pid();
    }

    /** Resident set size now, from /proc, in KiB. */
    public long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // Gone: report nothing.
        }
        return 0;
    }

    /** Everything the gateway printed so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Sends SIGHUP, as {@code kill -HUP} does. */
    public void hangup() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            fail("kill -HUP " + process.pid() + " failed");
        }
    }

    /** SIGTERM, then waits for the exit (killing it past the deadline); returns the exit status. */
    public int stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("the gateway did not stop within 20 s of SIGTERM:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
