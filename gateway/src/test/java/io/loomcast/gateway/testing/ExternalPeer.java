package io.loomcast.gateway.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real RTMP peer (ffmpeg, rtmpdump, nginx) run as a child process for the interop tests, its output kept in
 * a log file for failure messages. Closing kills it and waits, with a deadline, for it to be gone.
 */
public final class ExternalPeer implements AutoCloseable {
    private static final long EXIT_WAIT_SECONDS = 10;

    private final String name;
    private final Process process;
    private final Path log;

    private ExternalPeer(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** The binary on PATH; a missing one fails the test, since interop is the point of these tests. */
    public static Path require(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin")) {
            Path candidate = Path.of(dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail(binary + " not found on PATH (nor in /usr/sbin, /usr/bin, /usr/local/*): the handshake interop "
                + "tests need the real peer installed; on Debian: apt-get install ffmpeg rtmpdump nginx "
                + "libnginx-mod-rtmp");
    }

    public static ExternalPeer start(Path log, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        return new ExternalPeer(Path.of(command.getFirst()).getFileName().toString(), process, log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Accepts the peer's connection, failing with its log if it does not connect in time. The listener's
     * timeout bounds the wait; a peer that exits early is reported rather than waited for.
     */
    public Socket accept(ServerSocket listener, int timeoutMillis) throws IOException {
        listener.setSoTimeout(timeoutMillis);
        try {
            return listener.accept();
        } catch (SocketTimeoutException e) {
            return fail("%s did not connect within %d ms (alive: %s); its output:%n%s"
                    .formatted(name, timeoutMillis, process.isAlive(), output()));
        }
    }

    /** An I/O step against the peer. */
    public interface Step<T> {
        T run() throws IOException;
    }

    /** Runs {@code step}; if it fails (the peer hung up on us, say), fails the test with the peer's output. */
    public <T> T explainFailure(Step<T> step) {
        try {
            return step.run();
        } catch (IOException e) {
            return fail("%s against %s: %s; its output:%n%s".formatted(e.getClass().getSimpleName(), name,
                    e.getMessage(), output()), e);
        }
    }

    /** The last few kilobytes of what the peer printed, for assertion messages. */
    public String output() {
        try {
            String all = Files.readString(log, StandardCharsets.UTF_8);
            return all.length() <= 6000 ? all : "..." + all.substring(all.length() - 6000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits for the peer to exit by itself and returns its exit status; fails with its output if it is still
     * running at the deadline.
     */
    public int awaitExit(java.time.Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return fail("%s still running after %d ms; its output:%n%s".formatted(name, timeout.toMillis(),
                        output()));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted waiting for " + name + " to exit", e);
        }
    }

    /** Waits for the peer to finish by itself (a bounded job such as an encode); fails with its output if it does not. */
    public int awaitExit() {
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                return fail("%s did not finish within 120 s; its output:%n%s".formatted(name, output()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted waiting for " + name, e);
        }
        if (process.exitValue() != 0) {
            return fail("%s exited with %d; its output:%n%s".formatted(name, process.exitValue(), output()));
        }
        return 0;
    }

    /** Asks the peer to exit (SIGTERM), then kills it if it has not within the deadline. */
    public void stop() {
        process.destroy();
        if (!exited()) {
            close();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        if (!exited()) {
            fail(name + " (pid " + process.pid() + ") still running " + EXIT_WAIT_SECONDS + " s after SIGKILL");
        }
    }

    private boolean exited() {
        try {
            return process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted waiting for " + name + " to exit", e);
        }
    }
}
