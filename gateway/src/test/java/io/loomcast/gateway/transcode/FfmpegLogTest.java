package io.loomcast.gateway.transcode;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FFmpeg's levels map onto SLF4J's, a known harmless warning is shown as info, and a flood is cut. */
class FfmpegLogTest {
    private final Logger logger = (Logger) FfmpegLog.LOG;
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private Level before;

    @BeforeEach
    void attach() {
        before = logger.getLevel();
        logger.setLevel(Level.INFO);
        events.start();
        logger.addAppender(events);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(events);
        logger.setLevel(before);
    }

    private static void say(FfmpegLog log, int level, String text) {
        try (BytePointer p = new BytePointer(text)) {
            log.call(level, p);
        }
    }

    @Test
    void levelsTheOpenH264FrameSkipWarningAndTheFloodCut() throws Exception {
        FfmpegRuntime.load(Optional.empty());
        FfmpegLog log = new FfmpegLog();
        say(log, AV_LOG_ERROR, "[h264 @ 0x1] error while decoding MB 3 4\n");
        say(log, AV_LOG_WARNING, "[libx264 @ 0x2] forced frame type (5) at 3 was changed to frame type (3)\n");
        say(log, AV_LOG_WARNING, "[libopenh264 @ 0x3] [OpenH264] this = 0x4, Warning:bEnableFrameSkip = 0,bitrate "
                + "can't be controlled for RC_QUALITY_MODE,RC_BITRATE_MODE and RC_TIMESTAMP_MODE without enabling skip frame.\n");
        say(log, AV_LOG_INFO, "[libx264 @ 0x2] profile High, level 3.1\n");
        say(log, AV_LOG_WARNING, "   \n");
        List<ILoggingEvent> got = List.copyOf(events.list);
        assertEquals(List.of(Level.ERROR, Level.WARN, Level.INFO, Level.INFO), got.stream().map(ILoggingEvent::getLevel).toList());
        assertEquals("[h264 @ 0x1] error while decoding MB 3 4", got.get(0).getFormattedMessage());

        for (int i = 0; i < 100; i++) {
            say(log, AV_LOG_ERROR, "[h264 @ 0x1] corrupt " + i);
        }
        assertEquals(20, events.list.size(), "20 lines per 10 s window pass, the rest are counted");
    }
}
