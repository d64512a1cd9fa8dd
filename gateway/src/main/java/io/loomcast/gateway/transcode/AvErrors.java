package io.loomcast.gateway.transcode;

/** AVERROR codes the send/receive loops branch on (libavutil/error.h). */
final class AvErrors {
    /** AVERROR(EAGAIN): EAGAIN is 11 on Linux, the only platform these natives are for. */
    static final int EAGAIN = -11;
    /** AVERROR_EOF: FFERRTAG('E','O','F',' '). */
    static final int EOF = org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;

    private AvErrors() {}
}
