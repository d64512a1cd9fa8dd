package io.loomcast.gateway.cli;

import io.loomcast.gateway.api.ControlPlane;
import io.loomcast.gateway.config.ConfigException;
import io.loomcast.gateway.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the config file on SIGHUP, and when it changes if {@code watch: true}. An invalid file is rejected
 * with every error logged, and the running table stays.
 */
final class Reloader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Reloader.class);

    private final Path file;
    private final ControlPlane control;
    private final java.util.function.Consumer<String> certificates;
    private final ReentrantLock lock = new ReentrantLock();
    private WatchService watcher;
    private Thread watchThread;

    /**
     * @param control      reloads go through it, like API writes: the config file with the API state over it
     * @param certificates reads the RTMPS certificate files again (given why) when the config is rejected: a
     *                     renewed certificate must not wait for the file to be fixed
     */
    Reloader(Path file, ControlPlane control, java.util.function.Consumer<String> certificates) {
        this.file = file;
        this.control = control;
        this.certificates = certificates;
    }

    /** Installs the SIGHUP handler; starts watching the file when the config says so. */
    void start(boolean watch) throws IOException {
        try {
            sun.misc.SignalHandler before = sun.misc.Signal.handle(new sun.misc.Signal("HUP"),
                    sig -> Thread.ofVirtual().start(() -> reload("SIGHUP")));
            if (before == sun.misc.SignalHandler.SIG_IGN) {
                // Started with SIGHUP ignored (under nohup, say): the JVM keeps it ignored and our handler never runs.
                log.warn("SIGHUP is ignored in this process (started under nohup?), so it will not reload the config: "
                        + "use the API, or watch: true");
            }
        } catch (IllegalArgumentException e) {
            log.warn("SIGHUP reload unavailable here: {}", e.getMessage());
        }
        if (watch) {
            Path dir = file.toAbsolutePath().getParent();
            watcher = FileSystems.getDefault().newWatchService();
            dir.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            watchThread = Thread.ofVirtual().name("config-watch").start(this::watchLoop);
            log.info("watching {} for changes", file);
        }
    }

    private void watchLoop() {
        Path name = file.getFileName();
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean ours = key.pollEvents().stream().anyMatch(e -> name.equals(e.context()));
                key.reset();
                if (ours) {
                    reload("file changed");
                }
            }
        } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
            // Shutting down.
        }
    }

    /** Loads, validates and applies the file; returns whether the new config took effect. */
    boolean reload(String why) {
        lock.lock();
        try {
            GatewayConfig next = control.reload();
            log.info("reloaded {} ({}): {} routes", file, why, next.routes().size());
            return true;
        } catch (ConfigException e) {
            log.error("reload ({}) rejected, keeping the running config:\n{}", why, e.getMessage());
            certificates.accept(why);
            return false;
        } catch (RuntimeException e) {
            log.error("reload ({}) rejected, keeping the running config: {}", why, e.getMessage());
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        if (watcher != null) {
            watcher.close();
            watchThread.interrupt();
        }
    }
}
