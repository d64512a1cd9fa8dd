package io.loomcast.gateway.cli;

import io.loomcast.gateway.bench.Bench;
import io.loomcast.gateway.bench.BenchMode;
import io.loomcast.gateway.bench.BenchResult;
import io.loomcast.gateway.bench.BenchShard;
import io.loomcast.gateway.bench.BenchSettings;
import io.loomcast.gateway.bench.HtmlReport;
import io.loomcast.gateway.bench.JsonReport;
import io.loomcast.gateway.bench.MediaFile;
import io.loomcast.gateway.bench.PlayStart;
import io.loomcast.gateway.bench.ReportMerge;
import io.loomcast.gateway.bench.Sample;
import io.loomcast.gateway.bench.Summary;
import io.loomcast.gateway.bench.UrlTemplate;
import io.loomcast.gateway.cluster.Shard;
import io.loomcast.gateway.session.ClientOptions;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gateway bench play|publish|latency URL ...}: the origin load benchmark (benchmarks/BENCH.md).
 * Exit code 0, or 1 when any client failed (unless {@code --allow-failures}), 2 for bad arguments.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Load an RTMP origin with simulated players or publishers and report what viewers feel.",
        subcommands = {BenchCommand.Play.class, BenchCommand.Publish.class, BenchCommand.Latency.class,
                BenchCommand.Merge.class})
public final class BenchCommand implements Runnable {
    /** Exit code when a client failed. */
    public static final int CLIENTS_FAILED = 1;
    private static final long REPORT_WAIT_SECONDS = 30;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a mode: play, publish, latency or merge");
    }

    /** Options every mode shares. */
    static final class Common {
        @Option(names = "--duration", defaultValue = "60s", paramLabel = "TIME",
                description = "Whole run, ramp included (default ${DEFAULT-VALUE}).")
        String duration;
        @Option(names = "--ramp", defaultValue = "100/s", paramLabel = "RATE",
                description = "Clients started per second, or 0 for all at once (default ${DEFAULT-VALUE}).")
        String ramp;
        @Option(names = "--report", paramLabel = "FILE.json",
                description = "Write the JSON report, and .hgrm files beside it.")
        Path report;
        @Option(names = "--html", paramLabel = "FILE.html", description = "Write a self-contained HTML report.")
        Path html;
        @Option(names = "--connect-timeout", defaultValue = "5s", paramLabel = "TIME",
                description = "TCP/TLS connect (default ${DEFAULT-VALUE}).")
        String connectTimeout;
        @Option(names = "--handshake-timeout", defaultValue = "5s", paramLabel = "TIME",
                description = "RTMP handshake (default ${DEFAULT-VALUE}).")
        String handshakeTimeout;
        @Option(names = "--response-timeout", defaultValue = "10s", paramLabel = "TIME",
                description = "Each command's answer: connect, createStream, play, publish (default ${DEFAULT-VALUE}).")
        String responseTimeout;
        @Option(names = "--idle-timeout", defaultValue = "10s", paramLabel = "TIME",
                description = "A client that receives (or sends) nothing this long fails as idle; 0 never (default ${DEFAULT-VALUE}).")
        String idleTimeout;
        @Option(names = "--read-interval", defaultValue = "0", paramLabel = "TIME",
                description = "Players woken by data read on only at the next tick of this period, as buffering players do: "
                        + "about half the CPU per player at 200ms, arrival times only to this resolution, no jitter "
                        + "figure (default ${DEFAULT-VALUE}: read at once).")
        String readInterval;
        @Option(names = "--stall-threshold", defaultValue = "1s", paramLabel = "TIME",
                description = "A gap between media messages longer than this is a stall (default ${DEFAULT-VALUE}).")
        String stallThreshold;
        @Option(names = "--play-start", defaultValue = "any", paramLabel = "any|live|recorded",
                description = "play's Start argument: any (-2), live (-1), recorded (0) (default ${DEFAULT-VALUE}).")
        PlayStart playStart;
        @Option(names = "--chunk-size", defaultValue = "4096", paramLabel = "BYTES",
                description = "Chunk size the clients announce (default ${DEFAULT-VALUE}).")
        int chunkSize;
        @Option(names = "--window-ack", defaultValue = "2500000", paramLabel = "BYTES",
                description = "Acknowledgement window the clients announce (default ${DEFAULT-VALUE}).")
        int windowAck;
        @Option(names = "--tls-ca", paramLabel = "FILE.pem",
                description = "Trust these certificates for rtmps:// instead of the system's.")
        Path tlsCa;
        @Option(names = "--allow-failures", description = "Exit 0 even when clients failed.")
        boolean allowFailures;
        @Option(names = "--shard", paramLabel = "I/N",
                description = "Run slice I (from 0) of N of the clients, each keeping its {i} in the whole run, at 1/N "
                        + "of --ramp; add the N reports up with bench merge.")
        String shard;
    }

    @Command(name = "play", mixinStandardHelpOptions = true,
            description = "N players of one stream, or of many with {i} in URL.")
    static final class Play implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "URL",
                description = "rtmp[s]://host[:port]/app/stream; {i} or {i%%N} per client.")
        String url;
        @Option(names = "--clients", required = true, paramLabel = "N", description = "Players to simulate.")
        int clients;
        @Option(names = "--switch-every", paramLabel = "TIME",
                description = "Each player switches with play2 between its stream and --switch-to this often.")
        String switchEvery;
        @Option(names = "--switch-to", paramLabel = "NAME",
                description = "The stream to switch to and back from, e.g. a rendition name@PROFILE.")
        String switchTo;
        @Mixin
        Common common;

        @Override
        public Integer call() throws Exception {
            if ((switchEvery == null) != (switchTo == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--switch-every and --switch-to go together");
            }
            Optional<BenchSettings.Switching> switching;
            try {
                switching = switchEvery == null ? Optional.empty() : Optional.of(
                        new BenchSettings.Switching(BenchSettings.parseDuration(switchEvery), switchTo));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            return execute(spec, common, BenchMode.PLAY, url, clients, Optional.empty(), false, switching);
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "N publishers, each pacing an FLV file in real time.")
    static final class Publish implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "URL",
                description = "rtmp[s]://host[:port]/app/stream; use {i} to give each its own stream.")
        String url;
        @Option(names = "--file", required = true, paramLabel = "FILE.flv", description = "The media to publish.")
        Path file;
        @Option(names = "--clients", required = true, paramLabel = "N", description = "Publishers to simulate.")
        int clients;
        @Option(names = "--loop", description = "Loop the file until the run ends, timestamps rising across loops.")
        boolean loop;
        @Mixin
        Common common;

        @Override
        public Integer call() throws Exception {
            return execute(spec, common, BenchMode.PUBLISH, url, clients, Optional.of(file), loop, Optional.empty());
        }
    }

    @Command(name = "latency", mixinStandardHelpOptions = true,
            description = "One publisher stamping each H.264 frame with its send time, N players measuring the delay.")
    static final class Latency implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "URL", description = "rtmp[s]://host[:port]/app/stream")
        String url;
        @Option(names = "--file", required = true, paramLabel = "FILE.flv",
                description = "H.264 media to publish, looped.")
        Path file;
        @Option(names = "--players", defaultValue = "1", paramLabel = "N",
                description = "Players (default ${DEFAULT-VALUE}).")
        int players;
        @Mixin
        Common common;

        @Override
        public Integer call() throws Exception {
            return execute(spec, common, BenchMode.LATENCY, url, players, Optional.of(file), true, Optional.empty());
        }
    }

    /** {@code bench merge A.json B.json ... [--report ALL.json] [--html ALL.html]}. */
    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Add up the JSON reports of one run spread over several processes (--shard I/N): counts add, "
                    + "histograms are added, not averaged.")
    static final class Merge implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "REPORT.json", arity = "1..*", description = "Reports written with --report.")
        java.util.List<Path> reports;
        @Option(names = "--report", paramLabel = "FILE.json", description = "Write the merged JSON report.")
        Path report;
        @Option(names = "--html", paramLabel = "FILE.html", description = "Write the merged HTML report.")
        Path html;

        @Override
        public Integer call() throws Exception {
            ReportMerge merged;
            try {
                merged = ReportMerge.of(reports);
            } catch (IllegalArgumentException | IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(Summary.text(merged.result()));
            out.println("  " + merged.describe());
            if (report != null) {
                merged.writeJson(report);
                out.println("  report     " + report);
            }
            if (html != null) {
                HtmlReport.write(merged.result(), html);
                out.println("  html       " + html);
            }
            out.flush();
            return 0;
        }
    }

    private static int execute(CommandSpec spec, Common c, BenchMode mode, String url, int clients,
                               Optional<Path> file, boolean loop, Optional<BenchSettings.Switching> switching)
            throws Exception {
        BenchSettings settings;
        Optional<BenchShard> shard = Optional.empty();
        try {
            UrlTemplate template = UrlTemplate.parse(url);
            double ramp = BenchSettings.parseRamp(c.ramp);
            if (c.shard != null) {
                if (mode == BenchMode.LATENCY) {
                    throw new IllegalArgumentException("--shard: latency mode has one publisher; shard play or publish");
                }
                Shard s = Shard.parse(c.shard);
                shard = Optional.of(BenchShard.of(s.ordinal(), s.replicas(), clients));
                template = template.slice(shard.get().firstClient());
                clients = shard.get().clients();
                ramp = ramp / s.replicas();
            }
            ClientOptions options = ClientOptions.DEFAULT
                    .withTimeouts(BenchSettings.parseDuration(c.connectTimeout),
                            BenchSettings.parseDuration(c.handshakeTimeout), BenchSettings.parseDuration(c.responseTimeout))
                    .withChunkSize(c.chunkSize)
                    .withWindowAckSize(c.windowAck)
                    .withCaFile(Optional.ofNullable(c.tlsCa));
            Optional<MediaFile> media = file.isPresent() ? Optional.of(MediaFile.load(file.get())) : Optional.empty();
            settings = new BenchSettings(mode, template, clients, ramp,
                    BenchSettings.parseDuration(c.duration), options, c.playStart,
                    BenchSettings.parseDuration(c.stallThreshold), BenchSettings.parseDuration(c.idleTimeout),
                    BenchSettings.parseDuration(c.readInterval), media, loop, switching);
        } catch (IllegalArgumentException | IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean tty = interactive();
        Bench bench = new Bench(settings, progress(out, tty));
        CountDownLatch reported = new CountDownLatch(1);
        // Ctrl-C: stop the clients, and keep the JVM up until the summary so far is printed.
        Thread hook = new Thread(() -> {
            bench.interrupt();
            try {
                reported.await(REPORT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bench-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            BenchResult result = bench.run();
            if (tty) {
                out.println();
            }
            out.print(Summary.text(result));
            shard.ifPresent(s -> out.println("  shard      %s: clients %d to %d of %d".formatted(s.label(),
                    s.firstClient(), s.firstClient() + s.clients() - 1, s.totalClients())));
            if (c.report != null) {
                JsonReport.write(result, c.report, shard);
                out.println("  report     " + c.report);
            }
            if (c.html != null) {
                HtmlReport.write(result, c.html);
                out.println("  html       " + c.html);
            }
            out.flush();
            return result.failed() > 0 && !c.allowFailures ? CLIENTS_FAILED : 0;
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and ends now that the report is out.
            }
        }
    }

    /** The progress line: redrawn in place on a terminal, one plain line per second otherwise. */
    private static Consumer<Sample> progress(PrintWriter out, boolean tty) {
        return s -> {
            out.print(tty ? "\r" + s.line() + "\033[K" : s.line() + System.lineSeparator());
            out.flush();
        };
    }

    /**
     * Whether stdout is a terminal. From JDK 22 System.console() exists even when output is redirected and
     * Console.isTerminal() tells; on JDK 21 (our compile target) a console at all means a terminal.
     */
    private static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException jdk21) {
            return true;
        }
    }
}
