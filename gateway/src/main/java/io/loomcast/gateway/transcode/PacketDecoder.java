package io.loomcast.gateway.transcode;

import static io.loomcast.gateway.transcode.TranscodeException.check;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_new_packet;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import io.loomcast.gateway.media.AvcDecoderConfig;
import io.loomcast.gateway.protocol.ProtocolException;
import java.util.Arrays;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * One FFmpeg decoder fed from FLV payloads: H.264 with its AVCDecoderConfigurationRecord, or AAC with its
 * AudioSpecificConfig, as extradata. Timestamps are milliseconds (pkt_timebase 1/1000), as in FLV.
 *
 * <p>{@link #configure} with a different configuration drains the old decoder and opens a new one, so a
 * source that changes resolution or codec settings mid-stream carries on. Used by one thread; every native
 * structure is freed in {@link #close}.
 */
final class PacketDecoder implements AutoCloseable {
    /** The flag bit AVFrame.flags uses for keyframes (libavutil/frame.h AV_FRAME_FLAG_KEY, 1 << 1). */
    static final int AV_FRAME_FLAG_KEY = 1 << 1;
    /** H.264 pictures up to this size (1080p, coded height) decode on one thread; see {@link #threadsFor}. */
    static final int ONE_THREAD_MAX_PIXELS = 1920 * 1088;

    private final int codecId;
    private final String what;
    private final TranscodeMetrics metrics;
    private AVCodecContext ctx;
    private AVPacket packet;
    private AVFrame frame;
    private byte[] config;
    private int threads;

    PacketDecoder(int codecId, String what, TranscodeMetrics metrics) {
        this.codecId = codecId;
        this.what = what;
        this.metrics = metrics;
    }

    static PacketDecoder h264(String stream, TranscodeMetrics metrics) {
        return new PacketDecoder(avcodec.AV_CODEC_ID_H264, stream + " video", metrics);
    }

    static PacketDecoder aac(String stream, TranscodeMetrics metrics) {
        return new PacketDecoder(avcodec.AV_CODEC_ID_AAC, stream + " audio", metrics);
    }

    boolean isOpen() {
        return ctx != null;
    }

    /**
     * Opens the decoder for {@code extradata}, or keeps it when that is the configuration it already has.
     * A different one first drains the open decoder into {@code sink}.
     *
     * @return whether the decoder was (re)opened
     */
    boolean configure(byte[] extradata, Consumer<AVFrame> sink) throws TranscodeException {
        if (ctx != null && Arrays.equals(config, extradata)) {
            return false;
        }
        if (ctx != null) {
            drain(sink);
            free();
        }
        AVCodec codec = avcodec_find_decoder(codecId);
        if (codec == null || codec.isNull()) {
            throw new TranscodeException("no decoder for codec id " + codecId + " in these natives");
        }
        ctx = avcodec_alloc_context3(codec);
        // avcodec_free_context releases extradata with av_free, so it must come from av_malloc, padded
        // with AV_INPUT_BUFFER_PADDING_SIZE zero bytes (avcodec.h, AVCodecContext.extradata).
        BytePointer extra = new BytePointer(av_malloc(extradata.length + avcodec.AV_INPUT_BUFFER_PADDING_SIZE))
                .capacity(extradata.length + avcodec.AV_INPUT_BUFFER_PADDING_SIZE);
        extra.put(extradata, 0, extradata.length);
        extra.position(extradata.length).fill(0).position(0);
        ctx.extradata(extra).extradata_size(extradata.length);
        try (PointerScope scope = new PointerScope()) {
            ctx.pkt_timebase(av_make_q(1, 1000));
        }
        threads = threadsFor(codecId, extradata);
        ctx.thread_count(threads);
        check(avcodec_open2(ctx, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "avcodec_open2 " + what);
        packet = av_packet_alloc();
        frame = av_frame_alloc();
        config = extradata.clone();
        metrics.decoderOpened(codecId == avcodec.AV_CODEC_ID_H264);
        return true;
    }

    /**
     * The decoder's thread count: 1 for H.264 up to 1080p, else 0 (FFmpeg's automatic frame threading).
     *
     * <p>Frame threading holds one more picture per thread (latency a live relay does not want) and costs
     * CPU to coordinate: decoding the same 720p30 H.264 minute took 7.4 CPU s with FFmpeg's automatic count
     * on 2 cores and 6.5 s on one thread. One thread decodes 1080p H.264 at about 180 fps on the benchmark
     * machine, three times a 60 fps source's rate, so threads only pay above 1080p. A record that does not
     * parse leaves the choice to FFmpeg.
     */
    static int threadsFor(int codecId, byte[] extradata) {
        if (codecId != avcodec.AV_CODEC_ID_H264) {
            return 0;
        }
        try {
            AvcDecoderConfig c = AvcDecoderConfig.parse(extradata, 0, extradata.length);
            long pixels = (long) c.width() * c.height();
            return pixels > 0 && pixels <= ONE_THREAD_MAX_PIXELS ? 1 : 0;
        } catch (ProtocolException e) {
            return 0;
        }
    }

    /** The thread count the open decoder was given (0: FFmpeg's choice). */
    int threads() {
        return threads;
    }

    /**
     * Decodes one packet (AVCC NAL units, or one raw AAC frame) and hands every frame it completes to
     * {@code sink}, which must not keep it (clone it to keep it). A packet FFmpeg rejects as invalid data is
     * skipped: the decoder recovers at the next decodable frame.
     *
     * @return false when the packet was rejected
     */
    boolean decode(byte[] data, int offset, int length, long dtsMs, long ptsMs, boolean keyframe,
            Consumer<AVFrame> sink) throws TranscodeException {
        check(av_new_packet(packet, length), "av_new_packet");
        packet.data().put(data, offset, length);
        packet.dts(dtsMs).pts(ptsMs);
        if (keyframe) {
            packet.flags(packet.flags() | AV_PKT_FLAG_KEY);
        }
        int ret = avcodec_send_packet(ctx, packet);
        av_packet_unref(packet);
        if (ret < 0 && ret != AvErrors.EAGAIN) {
            return false; // the caller counts and logs it, knowing which message it was
        }
        receive(sink);
        return true;
    }

    /** Flushes the decoder: every frame still inside it goes to {@code sink}. */
    void drain(Consumer<AVFrame> sink) throws TranscodeException {
        if (ctx == null) {
            return;
        }
        avcodec_send_packet(ctx, null);
        receive(sink);
    }

    private void receive(Consumer<AVFrame> sink) throws TranscodeException {
        while (true) {
            int ret = avcodec_receive_frame(ctx, frame);
            if (ret == AvErrors.EAGAIN || ret == AvErrors.EOF) {
                return;
            }
            if (ret < 0) {
                metrics.corruptInput();
                return; // a broken frame inside the decoder: skip it, the next one may decode
            }
            try {
                sink.accept(frame);
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    /** The decoder's frame rate from the SPS timing info, or 0 when the stream does not say. */
    double frameRate() {
        if (ctx == null) {
            return 0;
        }
        try (PointerScope scope = new PointerScope()) {
            AVRational r = ctx.framerate();
            return r.num() <= 0 || r.den() <= 0 ? 0 : (double) r.num() / r.den();
        }
    }

    private void free() {
        if (ctx != null) {
            avcodec_free_context(ctx);
            ctx = null;
            metrics.decoderClosed(codecId == avcodec.AV_CODEC_ID_H264);
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        config = null;
    }

    @Override
    public void close() {
        free();
    }
}
