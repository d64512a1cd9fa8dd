package io.loomcast.gateway.transcode;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_TRACE;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_VERBOSE;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;

import java.util.List;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FFmpeg's log (av_log) into SLF4J, logger {@code io.loomcast.gateway.transcode.ffmpeg}: PANIC, FATAL and
 * ERROR as error, WARNING as warn, INFO as info, VERBOSE as debug, DEBUG and TRACE as trace. FFmpeg is told
 * the most verbose level the logger takes, so it does not format what would be thrown away.
 *
 * <p>Not flooding: a corrupt stream can make a decoder log every frame. At most {@link #LINES_PER_WINDOW}
 * lines per {@link #WINDOW_NANOS} pass; the rest are counted and summed up in one line when the window ends.
 */
final class FfmpegLog extends LogCallback {
    static final Logger LOG = LoggerFactory.getLogger("io.loomcast.gateway.transcode.ffmpeg");
    private static final int LINES_PER_WINDOW = 20;
    private static final long WINDOW_NANOS = 10_000_000_000L;

    /**
     * Warnings about a choice Loomcast makes on purpose, logged at info: they would otherwise read as a fault
     * on every encoder open. OpenH264 warns that without frame skipping it cannot hold the bitrate exactly;
     * skipping would stutter a live rendition, so VideoEncoder leaves it off and the rate control holds the
     * bitrate with the quantiser alone.
     */
    private static final List<String> EXPECTED_WARNINGS = List.of("bEnableFrameSkip = 0");

    private final int level = ffmpegLevel();
    private long windowStart = System.nanoTime();
    private int linesInWindow;
    private long suppressed;

    /** Installs the bridge; the caller keeps the returned callback reachable, or the native side calls freed code. */
    static FfmpegLog install() {
        FfmpegLog callback = new FfmpegLog();
        avutil.av_log_set_level(callback.level);
        avutil.setLogCallback(callback);
        return callback;
    }

    private static int ffmpegLevel() {
        if (LOG.isTraceEnabled()) {
            return AV_LOG_TRACE;
        }
        if (LOG.isDebugEnabled()) {
            return AV_LOG_VERBOSE;
        }
        if (LOG.isInfoEnabled()) {
            return AV_LOG_INFO;
        }
        return LOG.isWarnEnabled() ? AV_LOG_WARNING : AV_LOG_ERROR;
    }

    /** Called by FFmpeg's threads (codec worker threads too) with one formatted line. */
    @Override
    public void call(int messageLevel, BytePointer message) {
        if (messageLevel > level) {
            return;
        }
        String text = message.getString().strip();
        if (text.isEmpty()) {
            return;
        }
        long summary;
        synchronized (this) { // platform threads only (FFmpeg's own): no carrier to pin
            long now = System.nanoTime();
            summary = 0;
            if (now - windowStart > WINDOW_NANOS) {
                summary = suppressed;
                suppressed = 0;
                linesInWindow = 0;
                windowStart = now;
            }
            if (++linesInWindow > LINES_PER_WINDOW) {
                suppressed++;
                if (summary == 0) {
                    return;
                }
                text = null;
            }
        }
        if (summary > 0) {
            LOG.warn("{} more FFmpeg log lines suppressed in the last {} s", summary, WINDOW_NANOS / 1_000_000_000L);
        }
        if (text == null) {
            return;
        }
        int shown = messageLevel;
        if (messageLevel > AV_LOG_ERROR && messageLevel <= AV_LOG_WARNING
                && EXPECTED_WARNINGS.stream().anyMatch(text::contains)) {
            shown = AV_LOG_INFO;
        }
        if (shown <= AV_LOG_ERROR) {
            LOG.error(text);
        } else if (shown <= AV_LOG_WARNING) {
            LOG.warn(text);
        } else if (shown <= AV_LOG_INFO) {
            LOG.info(text);
        } else if (shown <= AV_LOG_VERBOSE) {
            LOG.debug(text);
        } else {
            LOG.trace(text);
        }
    }
}
