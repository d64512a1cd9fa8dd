package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpClient;
import io.loomcast.gateway.testing.GatewayProcess;
import io.loomcast.gateway.testing.Poll;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway out of file descriptors: {@code accept} fails at once (EMFILE) for as long as the limit holds. The
 * accept loop must rest between tries instead of spinning a core and writing a log line per try, and must
 * accept again, by itself, as soon as descriptors are free. The limit is lowered on the running process with
 * {@code prlimit}, just above what it has open, and raised again (the soft limit: the hard one stays).
 */
class OutOfFilesTest {
    private static final Pattern RECOVERED = Pattern.compile("accepting again after (\\d+) failed accepts over (\\d+) ms");

    @Test
    void acceptRestsWhileOutOfDescriptorsAndRecovers(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("gateway.yaml"), "server:\n  listen: 127.0.0.1:0\n");
        try (GatewayProcess gw = GatewayProcess.start("out-of-files", config, dir.resolve("gateway.log"), List.of(),
                Map.of())) {
            String url = "rtmp://127.0.0.1:" + gw.port() + "/live/probe";
            // One whole session first, so every class on the accept and session path is loaded before the limit.
            publishOnce(url);
            long open = openDescriptors(gw.pid());
            long before = openFilesLimit(gw.pid());
            prlimit(gw.pid(), open + 6, before);
            List<Socket> clients = new ArrayList<>();
            try {
                long limitedAt = System.nanoTime();
                for (int i = 0; i < 30; i++) {
                    Socket s = new Socket();
                    s.connect(gw.rtmp(), 5_000); // the kernel completes it into the backlog either way
                    clients.add(s);
                }
                Poll.until(() -> !gw.logLines("accept failed").isEmpty(), Duration.ofSeconds(20),
                        "the gateway to run out of descriptors", gw::log);
                // A scripted outage, not a synchronisation: the limit holds for 0.5 s more, then descriptors come back.
                Poll.untilQuietly(() -> false, Duration.ofMillis(500));
                long heldMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - limitedAt);
                prlimit(gw.pid(), before, before);
                // A descriptor the gateway frees meanwhile (a session closing) lets one accept through and ends a
                // failing streak; the next accept fails again and starts another. Every streak ends once the
                // limit is back.
                Poll.until(() -> gw.logLines("accepting again").size() == gw.logLines("accept failed").size(),
                        Duration.ofSeconds(20), "the gateway to accept again", gw::log);
                long streaks = 0;
                long failures = 0;
                long overMs = 0;
                for (Matcher m = RECOVERED.matcher(gw.log()); m.find(); ) {
                    streaks++;
                    failures += Long.parseLong(m.group(1));
                    overMs += Long.parseLong(m.group(2));
                }
                assertTrue(streaks >= 1 && overMs >= 300 && overMs <= heldMs + 5_000, "failing for " + overMs
                        + " ms in " + streaks + " streak(s) while the limit was held " + heldMs + " ms:\n" + gw.log());
                // One try per 100 ms pause, give or take the first and the last of each streak.
                assertTrue(failures <= overMs / 100 + 3 * streaks, failures + " failed accepts in " + overMs
                        + " ms: the accept loop did not rest between tries");
                // A warning per streak, not per try (the loop above counted one recovery per warning).
                assertTrue(streaks <= 1 + heldMs / 100, streaks + " warnings in " + heldMs + " ms:\n" + gw.log());
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
            // The same process serves a publisher again.
            publishOnce(url);
            assertTrue(gw.isAlive());
        }
    }

    private static void publishOnce(String url) throws IOException {
        try (RtmpClient c = RtmpClient.connect(RtmpUrl.parse(url), ClientOptions.DEFAULT)) {
            c.publish("probe");
        }
    }

    private static long openDescriptors(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }

    /** The process's hard limit on open files, from /proc/PID/limits (the JVM raised its soft limit to it). */
    private static long openFilesLimit(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
            if (line.startsWith("Max open files")) {
                return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[1]);
            }
        }
        throw new IOException("no open-files limit in /proc/" + pid + "/limits");
    }

    /** Sets the soft limit; the hard one stays, since raising a hard limit needs a capability a sandbox may lack. */
    private static void prlimit(long pid, long limit, long hard) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + limit + ":" + hard)
                .inheritIO().start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "prlimit --nofile=" + limit + " on " + pid + " failed");
    }
}
