package io.loomcast.gateway.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects what the gateway logs under the given loggers (a package name covers its classes) at INFO and above, so a test can check the reason a
 * connection was closed for. Closing detaches it and restores the loggers' levels.
 */
public final class LogCapture extends Observed<LogCapture> implements AutoCloseable {
    private final List<String> lines = new ArrayList<>();
    private final List<Logger> loggers = new ArrayList<>();
    private final List<Level> previousLevels = new ArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent e) {
            String line = e.getLevel() + " " + e.getLoggerName().substring(e.getLoggerName().lastIndexOf('.') + 1)
                    + " - " + e.getFormattedMessage();
            update(() -> lines.add(line));
        }
    };

    private LogCapture(String... loggerNames) {
        appender.setName("it-capture");
        appender.start();
        for (String name : loggerNames) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            previousLevels.add(logger.getLevel());
            logger.setLevel(Level.INFO);
            logger.addAppender(appender);
            loggers.add(logger);
        }
    }

    /** Captures under {@code loggerNames}, e.g. {@code "io.loomcast.gateway.session"}. */
    public static LogCapture of(String... loggerNames) {
        return new LogCapture(loggerNames);
    }

    public List<String> lines() {
        return read(() -> List.copyOf(lines));
    }

    /** Lines that contain every one of {@code parts}. */
    public List<String> matching(String... parts) {
        return lines().stream().filter(l -> {
            for (String p : parts) {
                if (!l.contains(p)) {
                    return false;
                }
            }
            return true;
        }).toList();
    }

    @Override
    public void close() {
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).detachAppender(appender);
            loggers.get(i).setLevel(previousLevels.get(i));
        }
        appender.stop();
    }

    @Override
    public String toString() {
        List<String> all = lines();
        return all.size() <= 40 ? String.join("\n", all) : "...\n" + String.join("\n", all.subList(all.size() - 40, all.size()));
    }
}
