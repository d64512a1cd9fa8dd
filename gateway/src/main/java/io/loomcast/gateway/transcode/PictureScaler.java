package io.loomcast.gateway.transcode;

import static io.loomcast.gateway.transcode.TranscodeException.check;
import static org.bytedeco.ffmpeg.global.swscale.SWS_AREA;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_LANCZOS;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import io.loomcast.gateway.config.VideoProfile;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;

/**
 * One libswscale context: pictures of one size and pixel format in, YUV 4:2:0 of the encoder's size out, with
 * the profile's filter. An encoder fed from two sources (the decoded source, and a larger rendition's scaled
 * picture) keeps one of these for each, so neither is rebuilt when the other is used. One thread.
 */
final class PictureScaler implements AutoCloseable {
    private final int inWidth;
    private final int inHeight;
    private final int inFormat;
    private SwsContext sws;

    PictureScaler(int inWidth, int inHeight, int inFormat, int outWidth, int outHeight, int outFormat,
            VideoProfile.Scaler scaler) throws TranscodeException {
        this.inWidth = inWidth;
        this.inHeight = inHeight;
        this.inFormat = inFormat;
        sws = sws_getContext(inWidth, inHeight, inFormat, outWidth, outHeight, outFormat, flags(scaler), null, null,
                (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            throw new TranscodeException("sws_getContext %dx%d fmt %d -> %dx%d (%s) failed".formatted(inWidth,
                    inHeight, inFormat, outWidth, outHeight, scaler.configName()));
        }
    }

    /** libswscale's flag for each filter; accurate rounding and full chroma stay off, as in the ffmpeg CLI. */
    static int flags(VideoProfile.Scaler scaler) {
        return switch (scaler) {
            case AREA -> SWS_AREA;
            case BILINEAR -> SWS_BILINEAR;
            case BICUBIC -> SWS_BICUBIC;
            case LANCZOS -> SWS_LANCZOS;
        };
    }

    /** Whether this context takes pictures like {@code f}. */
    boolean takes(AVFrame f) {
        return f.width() == inWidth && f.height() == inHeight && f.format() == inFormat;
    }

    /** Scales all of {@code in} into {@code out}, which must be writable and of the output size and format. */
    void scale(AVFrame in, AVFrame out) throws TranscodeException {
        check(sws_scale(sws, in.data(), in.linesize(), 0, in.height(), out.data(), out.linesize()), "sws_scale");
    }

    @Override
    public void close() {
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
    }
}
