package io.loomcast.gateway.transcode;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** An FFmpeg call failed, or a transcode cannot start; the message says which call and FFmpeg's reason. */
public final class TranscodeException extends Exception {
    private final int averror;

    public TranscodeException(String message) {
        super(message);
        this.averror = 0;
    }

    private TranscodeException(String message, int averror) {
        super(message);
        this.averror = averror;
    }

    /** FFmpeg's negative AVERROR code, or 0 when the failure did not come from FFmpeg. */
    public int averror() {
        return averror;
    }

    /** Returns {@code ret} when it is not negative; otherwise throws with FFmpeg's text for it. */
    static int check(int ret, String call) throws TranscodeException {
        if (ret < 0) {
            throw new TranscodeException(call + ": " + text(ret), ret);
        }
        return ret;
    }

    /** av_strerror's text for an AVERROR code. */
    static String text(int averror) {
        byte[] buf = new byte[128];
        if (av_strerror(averror, buf, buf.length) < 0) {
            return "error " + averror;
        }
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8) + " (" + averror + ")";
    }
}
