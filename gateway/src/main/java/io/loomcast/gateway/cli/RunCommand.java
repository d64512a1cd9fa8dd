package io.loomcast.gateway.cli;

import io.loomcast.gateway.config.ConfigException;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run [-c FILE]}: starts the gateway and serves until SIGINT or SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start the gateway. Without -c it uses config/gateway.yaml when present, else the built-in default.")
public final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
    static final Path DEFAULT_FILE = Path.of("config", "gateway.yaml");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Config file (default: ${DEFAULT-VALUE}).")
    Path config;

    @Override
    public Integer call() throws Exception {
        GatewayConfig cfg;
        try {
            cfg = load();
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Gateway started;
        try {
            started = Gateway.start(cfg);
        } catch (IllegalArgumentException | java.io.IOException e) {
            System.err.println("gateway: " + e.getMessage());
            return 2;
        }
        Path source = config != null ? config : Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null;
        try (Gateway gateway = started; Reloader reloader = source == null ? null : new Reloader(source, gateway)) {
            if (reloader != null) {
                reloader.start(cfg.watch());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                log.info("shutting down; {}", gateway.rtmp().counters().summary());
                try {
                    gateway.close();
                } catch (Exception e) {
                    log.warn("shutdown: {}", e.getMessage());
                }
                stopped.countDown();
            }, "shutdown"));
            stopped.await();
        }
        return 0;
    }

    private GatewayConfig load() throws Exception {
        if (config != null) {
            log.info("config {}", config);
            return ConfigLoader.load(config, System.getenv());
        }
        if (Files.isRegularFile(DEFAULT_FILE)) {
            log.info("config {}", DEFAULT_FILE);
            return ConfigLoader.load(DEFAULT_FILE, System.getenv());
        }
        log.info("config: built-in default");
        return ConfigLoader.defaults();
    }
}
