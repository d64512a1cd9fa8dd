package io.loomcast.gateway.transcode;

import static io.loomcast.gateway.transcode.TranscodeException.check;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.FF_QP2LAMBDA;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_DEFAULT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.VideoCodec;
import io.loomcast.gateway.media.VideoTag;
import io.loomcast.gateway.protocol.ProtocolException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.PointerScope;

/**
 * Still pictures of live streams for the dashboard: one keyframe (with its stream's sequence header) decoded by
 * the FFmpeg we ship, scaled down and encoded as JPEG, in-process. Every decode runs on one platform thread of its
 * own (JNI pins a virtual thread's carrier), one at a time; callers decide how often to ask. H.264 and HEVC,
 * legacy FLV or Enhanced RTMP. The natives load on the first request.
 */
public final class Thumbnails implements AutoCloseable {
    /** JPEG quantiser: 2 (best) .. 31; 5 keeps a 320-pixel still sharp in a few kilobytes. */
    private static final int JPEG_QSCALE = 5;

    private final Optional<Path> nativeCacheDir;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("thumbnail").factory());
    private final TranscodeMetrics ownMetrics = new TranscodeMetrics();

    /** @param nativeCacheDir {@code transcode.nativeCacheDir}: where the natives are extracted when they load */
    public Thumbnails(Optional<Path> nativeCacheDir) {
        this.nativeCacheDir = nativeCacheDir;
    }

    /**
     * A JPEG of {@code keyframe} at most {@code maxWidth} pixels wide, aspect kept.
     *
     * @param sequenceHeader the stream's video sequence header (FLV video payload)
     * @param keyframe       a keyframe of the same stream (FLV video payload)
     * @return completes with the JPEG, or exceptionally with a {@link TranscodeException} saying why not
     */
    public CompletableFuture<byte[]> jpeg(byte[] sequenceHeader, byte[] keyframe, int maxWidth) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                FfmpegRuntime.load(nativeCacheDir);
                return decodeAndEncode(sequenceHeader, keyframe, maxWidth);
            } catch (TranscodeException | ProtocolException e) {
                throw new java.util.concurrent.CompletionException(
                        e instanceof TranscodeException t ? t : new TranscodeException(e.getMessage()));
            }
        }, thread);
    }

    private byte[] decodeAndEncode(byte[] header, byte[] key, int maxWidth) throws TranscodeException, ProtocolException {
        VideoTag h = FlvTags.parseVideo(header);
        VideoTag k = FlvTags.parseVideo(key);
        int codecId = switch (h.codec()) {
            case AVC -> avcodec.AV_CODEC_ID_H264;
            case HEVC -> avcodec.AV_CODEC_ID_HEVC;
            default -> throw new TranscodeException("no thumbnail for video codec " + h.codec()
                    + " (H.264 and HEVC only)");
        };
        if (!h.isSequenceHeader() || !k.isKeyframe() || k.codec() != h.codec()) {
            throw new TranscodeException("need a sequence header and a keyframe of one codec");
        }
        byte[] record = Arrays.copyOfRange(header, h.payloadOffset(), h.payloadOffset() + h.payloadLength());
        byte[][] out = new byte[1][];
        TranscodeException[] failed = new TranscodeException[1];
        try (PacketDecoder decoder = new PacketDecoder(codecId, "thumbnail", ownMetrics)) {
            decoder.configure(record, f -> { });
            java.util.function.Consumer<AVFrame> sink = f -> {
                if (out[0] == null && failed[0] == null) {
                    try {
                        out[0] = encode(f, maxWidth);
                    } catch (TranscodeException e) {
                        failed[0] = e;
                    }
                }
            };
            if (!decoder.decode(key, k.payloadOffset(), k.payloadLength(), 0, 0, true, sink)) {
                throw new TranscodeException("the decoder rejected the keyframe");
            }
            decoder.drain(sink); // a decoder with reordering delay gives the picture only when flushed
        }
        if (failed[0] != null) {
            throw failed[0];
        }
        if (out[0] == null) {
            throw new TranscodeException("the keyframe decoded to no picture");
        }
        return out[0];
    }

    /** Scales {@code picture} to full-range YUV at most {@code maxWidth} wide and encodes it as one JPEG. */
    private static byte[] encode(AVFrame picture, int maxWidth) throws TranscodeException {
        int width = Math.min(maxWidth, picture.width()) & ~1;
        int height = Math.max(2, (int) Math.round((double) picture.height() * width / picture.width()) & ~1);
        AVCodec mjpeg = avcodec_find_encoder(avcodec.AV_CODEC_ID_MJPEG);
        if (mjpeg == null || mjpeg.isNull()) {
            throw new TranscodeException("these natives have no JPEG encoder");
        }
        AVCodecContext ctx = avcodec_alloc_context3(mjpeg);
        AVFrame scaled = av_frame_alloc();
        AVPacket packet = av_packet_alloc();
        SwsContext sws = null;
        try (PointerScope scope = new PointerScope()) {
            ctx.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P).color_range(AVCOL_RANGE_JPEG)
                    .time_base(av_make_q(1, 25)).flags(ctx.flags() | avcodec.AV_CODEC_FLAG_QSCALE)
                    .global_quality(JPEG_QSCALE * FF_QP2LAMBDA);
            check(avcodec_open2(ctx, mjpeg, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "avcodec_open2 mjpeg");
            scaled.format(AV_PIX_FMT_YUV420P).width(width).height(height).color_range(AVCOL_RANGE_JPEG);
            check(av_frame_get_buffer(scaled, 0), "av_frame_get_buffer");
            sws = sws_getContext(picture.width(), picture.height(), picture.format(), width, height,
                    AV_PIX_FMT_YUV420P, SWS_BILINEAR, null, null, (double[]) null);
            if (sws == null || sws.isNull()) {
                throw new TranscodeException("cannot scale %dx%d format %d".formatted(picture.width(),
                        picture.height(), picture.format()));
            }
            // Video is limited range (16..235); JPEG viewers expect full range, or the still looks washed out.
            sws_setColorspaceDetails(sws, sws_getCoefficients(SWS_CS_DEFAULT), 0, sws_getCoefficients(SWS_CS_DEFAULT),
                    1, 0, 1 << 16, 1 << 16);
            check(sws_scale(sws, picture.data(), picture.linesize(), 0, picture.height(), scaled.data(),
                    scaled.linesize()), "sws_scale");
            scaled.pts(0).quality(JPEG_QSCALE * FF_QP2LAMBDA);
            check(avcodec_send_frame(ctx, scaled), "avcodec_send_frame mjpeg");
            check(avcodec_send_frame(ctx, null), "avcodec_send_frame flush");
            int ret = avcodec_receive_packet(ctx, packet);
            check(ret, "avcodec_receive_packet mjpeg");
            byte[] jpeg = new byte[packet.size()];
            packet.data().get(jpeg);
            av_packet_unref(packet);
            return jpeg;
        } finally {
            if (sws != null) {
                sws_freeContext(sws);
            }
            av_packet_free(packet);
            av_frame_free(scaled);
            avcodec_free_context(ctx);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
