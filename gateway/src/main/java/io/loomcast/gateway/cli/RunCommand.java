package io.loomcast.gateway.cli;

import io.loomcast.gateway.api.ControlPlane;
import io.loomcast.gateway.config.ConfigException;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run [-c FILE]}: starts the gateway and serves until SIGTERM or SIGINT, then shuts down gracefully within
 * {@code server.shutdownGrace} and exits 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start the gateway. Without -c it uses config/gateway.yaml when present, else the built-in default.")
public final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    static final Path DEFAULT_FILE = Path.of("config", "gateway.yaml");
    /** Past the grace, this much more before the process is halted whatever is still running. */
    private static final Duration HALT_MARGIN = Duration.ofSeconds(2);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Config file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Override
    public Integer call() throws Exception {
        Path source = config != null ? config : Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null;
        GatewayConfig cfg;
        ControlPlane control = null;
        ControlPlane.Loaded loaded = null;
        try {
            if (source != null) {
                loaded = ControlPlane.load(source, System.getenv());
                control = new ControlPlane(source, System.getenv(), loaded);
                cfg = loaded.config();
            } else {
                cfg = ConfigLoader.defaults();
            }
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        // Before anything else is logged, so a JSON log is JSON from its first line.
        LogFormat.apply(cfg.logging());
        log.info("config {}", source != null ? source : "built-in default");
        if (loaded != null && loaded.stateFile() != null) {
            log.info("API state {}{}", loaded.stateFile(), Files.exists(loaded.stateFile()) ? "" : " (none yet)");
        }
        CountDownLatch stop = new CountDownLatch(1);
        // Our own handlers, not a shutdown hook: the JVM's would exit 143 after the hooks, and the contract is 0.
        for (String signal : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), sig -> {
                    log.info("SIG{}: shutting down within {} ms", signal, cfg.server().shutdownGrace().toMillis());
                    stop.countDown();
                });
            } catch (IllegalArgumentException e) {
                log.warn("SIG{} handler unavailable here: {}", signal, e.getMessage());
            }
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(cfg, control);
        } catch (IllegalArgumentException | java.io.IOException e) {
            System.err.println("gateway: " + e.getMessage());
            return 2;
        }
        ControlPlane plane = control;
        try (Reloader reloader = source == null ? null : new Reloader(source, plane,
                gateway::reloadCertificate)) {
            if (reloader != null) {
                reloader.start(cfg.watch());
            }
            stop.await();
        }
        // What was refused and why, for a run without metrics scraped.
        log.info("counters at shutdown: {}", gateway.rtmp().counters().summary());
        Duration grace = gateway.config().server().shutdownGrace();
        Thread halt = Thread.ofPlatform().daemon().name("shutdown-deadline").start(() -> {
            try {
                Thread.sleep(grace.plus(HALT_MARGIN));
                log.error("shutdown did not finish within {} ms; exiting anyway", grace.plus(HALT_MARGIN).toMillis());
                Runtime.getRuntime().halt(0);
            } catch (InterruptedException e) {
                // Finished in time.
            }
        });
        long started = System.nanoTime();
        try {
            gateway.shutdown(grace);
        } catch (Exception e) {
            log.warn("shutdown: {}", e.getMessage());
        }
        halt.interrupt();
        log.info("shut down in {} ms", (System.nanoTime() - started) / 1_000_000);
        return 0;
    }
}
