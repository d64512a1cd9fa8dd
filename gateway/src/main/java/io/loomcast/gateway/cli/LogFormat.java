package io.loomcast.gateway.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.loomcast.gateway.config.LoggingConfig;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * {@code logging.format}: the log lines logback.xml sets up are text; {@code json} swaps the console appender's
 * encoder for logback's own JsonEncoder, one object per line with the message formatted and the key-values
 * (session, peer, durationMs, bytes, reason) as fields, for log shippers.
 */
final class LogFormat {
    private LogFormat() {}

    static void apply(LoggingConfig logging) {
        if (logging.format() != LoggingConfig.Format.JSON
                || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out) {
                JsonEncoder json = new JsonEncoder();
                json.setContext(context);
                json.setWithFormattedMessage(true);
                json.setWithMessage(false);
                json.setWithArguments(false);
                json.setWithSequenceNumber(false);
                json.setWithNanoseconds(false);
                json.setWithContext(false);
                json.start();
                out.stop();
                out.setEncoder(json);
                out.start();
            }
        }
    }
}
