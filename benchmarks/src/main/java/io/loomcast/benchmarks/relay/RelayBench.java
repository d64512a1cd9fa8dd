package io.loomcast.benchmarks.relay;

import io.loomcast.gateway.media.FlvReader;
import java.io.BufferedInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The relay measurements of issue 4, against real nginx-rtmp processes, with the gateway as its own JVM:
 *
 * <ol>
 * <li>latency added by a relay hop: stamped frames played at a destination nginx, published to it directly,
 *     through Loomcast, through nginx-rtmp's own {@code push} relay, and through an upstream nginx that
 *     Loomcast pulls from (issue 4's topology);</li>
 * <li>time to resume after the upstream publisher returns, and after the upstream server restarts;</li>
 * <li>CPU of the relay process for one source to 1 and to 10 destinations, Loomcast next to nginx-rtmp
 *     doing the same with {@code push}, from {@code /proc/PID/stat} over a fixed window.</li>
 * </ol>
 *
 * <p>Run by {@code benchmarks/run-relay-bench.sh}; prints a Markdown report on stdout. Arguments:
 * {@code GATEWAY_JAR WORK_DIR [LATENCY_SECONDS] [CPU_WINDOW_SECONDS] [CPU_WARMUP_SECONDS] [PARTS]}, PARTS
 * a comma list of {@code latency}, {@code reconnect}, {@code cpu}.
 */
public final class RelayBench {
    private final Path jar;
    private final Peers peers;
    private final int latencySeconds;
    private final int cpuWindowSeconds;
    private final int cpuWarmupSeconds;
    private final StringBuilder report = new StringBuilder();
    private byte[] avcSequenceHeader;
    private Path clip;

    private RelayBench(Path jar, Peers peers, int latencySeconds, int cpuWindowSeconds, int cpuWarmupSeconds) {
        this.jar = jar;
        this.peers = peers;
        this.latencySeconds = latencySeconds;
        this.cpuWindowSeconds = cpuWindowSeconds;
        this.cpuWarmupSeconds = cpuWarmupSeconds;
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Path jar = Path.of(args[0]);
        Path dir = Files.createDirectories(Path.of(args[1]));
        int latency = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        List<String> parts = List.of((args.length > 5 ? args[5] : "latency,reconnect,cpu").split(","));
        try (Peers peers = new Peers(dir)) {
            RelayBench bench = new RelayBench(jar, peers, latency, window, warmup);
            bench.prepare();
            if (parts.contains("latency")) {
                bench.latency();
            }
            if (parts.contains("reconnect")) {
                bench.reconnect();
            }
            if (parts.contains("cpu")) {
                bench.cpu();
            }
            System.out.print(bench.report);
        }
    }

    private void line(String format, Object... args) {
        String s = args.length == 0 ? format : format.formatted(args);
        report.append(s).append('\n');
        System.err.println(s);
    }

    /** A 720p, 2.5 Mbit/s H.264 + AAC clip for the CPU runs; its AVC sequence header for the stamped frames. */
    private void prepare() throws Exception {
        clip = peers.dir().resolve("clip720.flv");
        peers.run("encode", List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "10", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "2500k", "-maxrate", "2500k",
                "-bufsize", "5000k", "-g", "60", "-c:a", "aac", "-b:a", "128k", "-y", clip.toString()));
        try (FlvReader r = new FlvReader(new BufferedInputStream(Files.newInputStream(clip)), 1 << 24)) {
            for (FlvReader.Tag t; (t = r.next()) != null; ) {
                if (t.type() == 9) {
                    avcSequenceHeader = t.body();
                    break;
                }
            }
        }
        line("cpu source: %s, %d KiB for 10 s (%.2f Mbit/s)", "1280x720 30 fps H.264 ultrafast + AAC 128k",
                Files.size(clip) / 1024, Files.size(clip) * 8 / 10.0 / 1e6);
    }

    private static String url(int port, String path) {
        return "rtmp://127.0.0.1:" + port + "/" + path;
    }

    private static List<String> destinationApps() {
        List<String> apps = new ArrayList<>(List.of("application dest { live on; }"));
        for (int i = 0; i < 10; i++) {
            apps.add("application d" + i + " { live on; }");
        }
        return apps;
    }

    private static String gatewayYaml(int port, String relay, String routes) {
        return "server: {listen: 127.0.0.1:%d}\nrelay: %s\nroutes:\n%s".formatted(port, relay, routes);
    }

    // ---- 1. latency -------------------------------------------------------------------------------------

    private void latency() throws Exception {
        int u = Peers.freePort();
        int d = Peers.freePort();
        Process upstream = peers.nginx("lat-upstream", u, List.of("application live { live on; }"));
        Process dest = peers.nginx("lat-dest", d, destinationApps());
        line("");
        line("latency (stamped %d-byte frames at %d fps, %d s per path, first 3 s dropped):", Stamps.FRAME_BYTES,
                Stamps.FPS, latencySeconds);
        double[] direct = measureLatency(url(d, "dest/a"), url(d, "dest/a"));

        int g = Peers.freePort();
        Process gw = peers.gateway(jar, gatewayYaml(g, "{linger: 5s}", """
                  - stream: relay/b
                    push: [%s]
                  - stream: relay/p
                    pull: %s
                    push: [%s]
                """.formatted(url(d, "dest/b"), url(u, "live/p"), url(d, "dest/p"))), g);
        double[] viaLoomcast = measureLatency(url(g, "relay/b"), url(d, "dest/b"));
        double[] viaPull = measureLatency(url(u, "live/p"), url(d, "dest/p"));
        Peers.kill(gw);

        // nginx-rtmp does not push what it pulls (relayed sessions are not relayed again), so its relay hop
        // is compared the way both can do it: the publisher publishes to the relay, which pushes.
        int r = Peers.freePort();
        Process nginxRelay = peers.nginx("lat-relay", r, List.of("application relay { live on; push %s; }"
                .formatted(url(d, "dest"))));
        double[] viaNginx = measureLatency(url(r, "relay/c"), url(d, "dest/c"));
        Peers.kill(nginxRelay);

        line("| path | n | p50 ms | p99 ms | max ms |");
        line("| --- | --- | --- | --- | --- |");
        row("A. publisher -> nginx -> player (direct)", direct);
        row("B. publisher -> Loomcast -> nginx -> player", viaLoomcast);
        row("C. publisher -> nginx-rtmp relay (push) -> nginx -> player", viaNginx);
        row("D. publisher -> nginx -> Loomcast (pull, push) -> nginx -> player", viaPull);
        line("");
        line("Added by the Loomcast hop (B - A): p50 %+.2f ms, p99 %+.2f ms. By an nginx-rtmp relay hop (C - A): "
                + "p50 %+.2f ms, p99 %+.2f ms. Issue 4's topology (D) has two nginx hops and Loomcast.",
                Stamps.quantile(viaLoomcast, .5) - Stamps.quantile(direct, .5),
                Stamps.quantile(viaLoomcast, .99) - Stamps.quantile(direct, .99),
                Stamps.quantile(viaNginx, .5) - Stamps.quantile(direct, .5),
                Stamps.quantile(viaNginx, .99) - Stamps.quantile(direct, .99));
        Peers.kill(dest);
        Peers.kill(upstream);
    }

    private void row(String path, double[] sorted) {
        line("| %s | %d | %.2f | %.2f | %.2f |", path, sorted.length, Stamps.quantile(sorted, .5),
                Stamps.quantile(sorted, .99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]);
    }

    private double[] measureLatency(String publishUrl, String playUrl) throws Exception {
        try (Stamps.Player player = new Stamps.Player(playUrl);
             Stamps.Publisher publisher = new Stamps.Publisher(publishUrl, avcSequenceHeader)) {
            long start = System.nanoTime();
            waitFor(Duration.ofSeconds(10), () -> !player.samples().isEmpty(), "frames at " + playUrl);
            parkUntil(start + TimeUnit.SECONDS.toNanos(latencySeconds));
            if (publisher.failure() != null) {
                throw new IllegalStateException("publisher failed: " + publisher.failure());
            }
            return Stamps.latenciesMs(player.samples(), start + TimeUnit.SECONDS.toNanos(3));
        }
    }

    // ---- 2. reconnect -----------------------------------------------------------------------------------

    private void reconnect() throws Exception {
        int u = Peers.freePort();
        int d = Peers.freePort();
        int g = Peers.freePort();
        List<String> upstreamApps = List.of("application live { live on; }");
        Process upstream = peers.nginx("rc-upstream", u, upstreamApps);
        Process dest = peers.nginx("rc-dest", d, destinationApps());
        Process gw = peers.gateway(jar, gatewayYaml(g, "{linger: 30s}", """
                  - stream: relay/r
                    pull: %s
                    push: [%s]
                """.formatted(url(u, "live/r"), url(d, "dest/r"))), g);
        line("");
        line("resume after the upstream returns (Loomcast pull from nginx, push to nginx, default reconnect "
                + "policy: 1 s doubling to 10 s, jitter d/2..d):");
        List<Double> publisherBack = new ArrayList<>();
        List<Double> serverBack = new ArrayList<>();
        List<Double> pullBack = new ArrayList<>();
        try (Stamps.Player player = new Stamps.Player(url(d, "dest/r"))) {
            Stamps.Publisher publisher = new Stamps.Publisher(url(u, "live/r"), avcSequenceHeader);
            try {
                waitFor(Duration.ofSeconds(10), () -> !player.samples().isEmpty(), "the first frames");
                for (int i = 0; i < 5; i++) {
                    publisher.close();
                    parkUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(1)); // the outage, 1 s
                    long connecting = System.nanoTime();
                    publisher = new Stamps.Publisher(url(u, "live/r"), avcSequenceHeader);
                    Stamps.Publisher p = publisher;
                    waitFor(Duration.ofSeconds(20), () -> p.firstSentNanos() != 0
                            && player.arrivalOfFirstSentAfter(p.firstSentNanos()) != 0, "resume after publisher");
                    publisherBack.add((player.arrivalOfFirstSentAfter(p.firstSentNanos()) - connecting) / 1e6);
                }
                for (int i = 0; i < 3; i++) {
                    publisher.close();
                    Peers.kill(upstream);
                    parkUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(2)); // the outage, 2 s
                    upstream = peers.nginx("rc-upstream", u, upstreamApps);
                    long up = System.nanoTime();
                    long upWallMs = System.currentTimeMillis();
                    publisher = new Stamps.Publisher(url(u, "live/r"), avcSequenceHeader);
                    Stamps.Publisher p = publisher;
                    waitFor(Duration.ofSeconds(30), () -> p.firstSentNanos() != 0
                            && player.arrivalOfFirstSentAfter(p.firstSentNanos()) != 0, "resume after server");
                    serverBack.add((player.arrivalOfFirstSentAfter(p.firstSentNanos()) - up) / 1e6);
                    pullBack.add((double) (lastPullPlayingMs(gwLog(gw)) - upWallMs));
                }
            } finally {
                publisher.close();
            }
        }
        line("- publisher reconnects to nginx (1 s away), 5 times: first new frame at the destination %s ms after "
                + "the publisher started connecting", fmt(publisherBack));
        line("- upstream nginx killed and restarted (2 s away), 3 times: the pull was playing again %s ms after "
                + "nginx listened (its backoff decides this; from the gateway's log), and the first new frame reached "
                + "the destination %s ms after nginx listened. The second includes the wait for a keyframe: the "
                + "publisher was back before the pull, so the pull joins mid-GOP (GOP %d frames = %.1f s).",
                fmt(pullBack), fmt(serverBack), Stamps.GOP_FRAMES, Stamps.GOP_FRAMES / (double) Stamps.FPS);
        Peers.kill(gw);
        Peers.kill(dest);
        Peers.kill(upstream);
    }

    private Path gwLog(Process gw) {
        return peers.logOf(gw);
    }

    /** Wall-clock ms of the last "playing (connection N)" line of the pull in a gateway log (UTC ISO stamps). */
    private static long lastPullPlayingMs(Path log) throws Exception {
        long last = -1;
        for (String l : Files.readAllLines(log)) {
            if (l.contains("PullRunner") && l.contains(": playing (connection")) {
                last = java.time.Instant.parse(l.substring(0, l.indexOf(' '))).toEpochMilli();
            }
        }
        return last;
    }

    private static String fmt(List<Double> ms) {
        List<Double> sorted = ms.stream().sorted().toList();
        return "median %.0f, max %.0f (all: %s)".formatted(sorted.get(sorted.size() / 2), sorted.getLast(),
                sorted.stream().map(v -> "%.0f".formatted(v)).toList());
    }

    // ---- 3. CPU -----------------------------------------------------------------------------------------

    private void cpu() throws Exception {
        int u = Peers.freePort();
        int d = Peers.freePort();
        Process upstream = peers.nginx("cpu-upstream", u, List.of("application live { live on; }"));
        Process dest = peers.nginx("cpu-dest", d, destinationApps());
        Process upstreamSource = peers.ffmpegLoop(clip, url(u, "live/cpu"));
        long hz = clockTicksPerSecond();
        line("");
        line("CPU of the relay process, 1 source -> N destinations (utime+stime from /proc/PID/stat over %d s, after "
                + "%d s warm-up; %d ticks/s). The source is ffmpeg -re -c copy of the clip; \"ingest\" means it "
                + "publishes to the relay, \"pull\" that the relay pulls it from another nginx:", cpuWindowSeconds,
                cpuWarmupSeconds, hz);
        line("| relay | input | destinations | CPU s | % of one core | RSS MiB |");
        line("| --- | --- | --- | --- | --- | --- |");
        int idlePort = Peers.freePort();
        Process idle = peers.gateway(jar, gatewayYaml(idlePort, "{linger: 5s}", "  []\n"), idlePort);
        measureCpu("Loomcast", "none (idle)", idle, 0, hz, null, null);
        Peers.kill(idle);
        double[][] cpu = new double[3][11];
        for (int n : new int[] {1, 10}) {
            StringBuilder pushes = new StringBuilder();
            StringBuilder nginxPushes = new StringBuilder();
            for (int i = 0; i < n; i++) {
                pushes.append("      - ").append(url(d, "d" + i + "/{name}")).append('\n');
                nginxPushes.append(" push ").append(url(d, "d" + i)).append(';');
            }
            String last = "d" + (n - 1);
            int g = Peers.freePort();
            Process gw = peers.gateway(jar, gatewayYaml(g, "{linger: 5s}", """
                      - stream: relay/pulled
                        pull: %s
                        push:
                    %s""".formatted(url(u, "live/cpu"), pushes)), g);
            cpu[1][n] = measureCpu("Loomcast", "pull", gw, n, hz, url(d, "d0/pulled"), url(d, last + "/pulled"));
            Peers.kill(gw);
            g = Peers.freePort();
            gw = peers.gateway(jar, gatewayYaml(g, "{linger: 5s}", """
                      - stream: relay/ingest
                        push:
                    %s""".formatted(pushes)), g);
            Process source = peers.ffmpegLoop(clip, url(g, "relay/ingest"));
            cpu[0][n] = measureCpu("Loomcast", "ingest", gw, n, hz, url(d, "d0/ingest"), url(d, last + "/ingest"));
            Peers.kill(source);
            Peers.kill(gw);

            int r = Peers.freePort();
            Process relay = peers.nginx("cpu-relay-" + n, r, List.of("application fan { live on;%s }"
                    .formatted(nginxPushes)));
            source = peers.ffmpegLoop(clip, url(r, "fan/cpu"));
            cpu[2][n] = measureCpu("nginx-rtmp", "ingest", relay, n, hz, url(d, "d0/cpu"), url(d, last + "/cpu"));
            Peers.kill(source);
            Peers.kill(relay);
        }
        line("");
        line("Loomcast / nginx-rtmp CPU, same ingest: %.1fx for 1 destination, %.1fx for 10. From 1 to 10 "
                + "destinations: Loomcast ingest %.1fx, Loomcast pull %.1fx, nginx-rtmp %.1fx.",
                cpu[0][1] / cpu[2][1], cpu[0][10] / cpu[2][10], cpu[0][10] / cpu[0][1], cpu[1][10] / cpu[1][1],
                cpu[2][10] / cpu[2][1]);
        Peers.kill(upstreamSource);
        Peers.kill(dest);
        Peers.kill(upstream);
    }

    /** CPU seconds {@code relay} used over the window; checks the first and last destination get frames. */
    private double measureCpu(String name, String input, Process relay, int n, long hz, String firstDest,
            String lastDest) throws Exception {
        parkUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(cpuWarmupSeconds)); // warm-up: connections, JIT
        long t0 = System.nanoTime();
        long c0 = Peers.cpuTicks(relay.pid());
        parkUntil(t0 + TimeUnit.SECONDS.toNanos(cpuWindowSeconds));
        long c1 = Peers.cpuTicks(relay.pid());
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (c1 - c0) / (double) hz;
        long rss = Peers.rssKib(relay.pid());
        for (String dest : firstDest == null ? List.<String>of() : List.of(firstDest, lastDest)) {
            try (Stamps.Player check = new Stamps.Player(dest)) {
                waitFor(Duration.ofSeconds(10), () -> check.samples().size() >= 10, name + " delivering to " + dest);
            }
        }
        line("| %s | %s | %d | %.2f | %.1f | %.0f |", name, input, n, cpuSeconds, 100 * cpuSeconds / wall,
                rss / 1024.0);
        return cpuSeconds;
    }

    private static long clockTicksPerSecond() throws Exception {
        Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return Long.parseLong(out);
    }

    private static void parkUntil(long deadlineNanos) {
        for (long wait; (wait = deadlineNanos - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(wait); // a measurement window or a scripted outage, not a synchronisation
        }
    }

    private static void waitFor(Duration timeout, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
