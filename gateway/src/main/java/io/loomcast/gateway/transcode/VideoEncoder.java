package io.loomcast.gateway.transcode;

import static io.loomcast.gateway.transcode.TranscodeException.check;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_d2q;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_is_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;

import io.loomcast.gateway.config.VideoProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scales decoded pictures with swscale and encodes them to H.264 as one profile says, with a global header
 * (the SPS and PPS in extradata, for the sequence header) and B-frames as configured. Timestamps are
 * milliseconds (time base 1/1000) so output timestamps follow input timestamps. One thread; {@link #close}
 * frees every native structure.
 *
 * <p>Scaled pictures are drawn into buffers of a small pool of the encoder's own. A scaled picture may be
 * shared, by reference, with a smaller rendition that scales it further ({@link ScaledHandoff}); the pool only
 * draws into a buffer nobody else references (av_frame_is_writable), so a shared picture is never overwritten
 * while it is read, and never copied.
 */
final class VideoEncoder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VideoEncoder.class);

    /** One encoded access unit, in Annex B as the encoder gives it. */
    record Packet(long dtsMs, long ptsMs, boolean keyframe, byte[] annexB) {}

    private static final String PROBE = "probe ";
    /**
     * Scaled pictures kept for reuse. One is enough while nobody shares them; a smaller rendition that lags
     * holds at most its queue's worth (15), and beyond this a new buffer is taken rather than one copied.
     */
    private static final int MAX_POOLED_PICTURES = 16;

    private final String what;
    private final int width;
    private final int height;
    private final TranscodeMetrics metrics;
    private final VideoProfile.Scaler scaler;
    private AVCodecContext ctx;
    private final List<AVFrame> pool = new ArrayList<>();
    private int nextPooled;
    /** One context per input geometry: the decoded source's, and a larger rendition's picture (cascade). */
    private final PictureScaler[] scalers = new PictureScaler[2];
    private AVPacket packet;
    private long lastPtsMs = Long.MIN_VALUE;

    private VideoEncoder(String what, int width, int height, VideoProfile.Scaler scaler, TranscodeMetrics metrics) {
        this.what = what;
        this.width = width;
        this.height = height;
        this.scaler = scaler;
        this.metrics = metrics;
    }

    /** Opens {@code encoderName} for {@code width x height} at {@code fps} (the rate control's frame rate). */
    static VideoEncoder open(String what, String encoderName, VideoProfile p, int width, int height, double fps,
            TranscodeMetrics metrics) throws TranscodeException {
        VideoEncoder e = new VideoEncoder(what, width, height, p.scaler(), metrics);
        try {
            e.openCodec(encoderName, p, fps);
            return e;
        } catch (TranscodeException | RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    /**
     * Proves {@code encoderName} works here with profile {@code p}: opens it at the size the profile gives a
     * 16:9 source, encodes one grey picture, drains it and frees everything. An encoder that is in the
     * natives but cannot run on this machine (a hardware encoder without its device, or one that takes only
     * hardware frames) fails here, at startup or reload, instead of on the first stream.
     */
    static void probe(String encoderName, VideoProfile p) throws TranscodeException {
        if (Thread.currentThread().isVirtual()) { // a reload: keep the JNI calls off the carrier threads
            Exception[] failure = new Exception[1];
            Thread t = Thread.ofPlatform().name("transcode-probe " + encoderName).start(() -> {
                try {
                    probe(encoderName, p);
                } catch (TranscodeException | RuntimeException e) {
                    failure[0] = e;
                }
            });
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TranscodeException("interrupted while probing encoder " + encoderName);
            }
            if (failure[0] instanceof TranscodeException e) {
                throw e;
            }
            if (failure[0] instanceof RuntimeException e) {
                throw e;
            }
            return;
        }
        OutputSize size = OutputSize.of(p, 1280, 720);
        double fps = p.fps().isPresent() ? p.fps().getAsInt() : 30;
        AVFrame grey = av_frame_alloc();
        try (VideoEncoder e = open(PROBE + encoderName, encoderName, p, size.width(), size.height(), fps,
                new TranscodeMetrics())) {
            grey.format(AV_PIX_FMT_YUV420P).width(size.width()).height(size.height());
            check(av_frame_get_buffer(grey, 0), "av_frame_get_buffer");
            for (int plane = 0; plane < 3; plane++) {
                int rows = plane == 0 ? size.height() : size.height() / 2;
                new BytePointer(grey.data(plane)).capacity((long) grey.linesize(plane) * rows).fill(128);
            }
            int[] packets = new int[1];
            e.encode(grey, 0, pkt -> packets[0]++);
            e.drain(pkt -> packets[0]++);
            if (packets[0] == 0) {
                throw new TranscodeException("encoder " + encoderName + " took a picture and returned no packet");
            }
        } catch (TranscodeException ex) {
            throw new TranscodeException("encoder " + encoderName + " does not work here: " + ex.getMessage());
        } finally {
            av_frame_free(grey);
        }
    }

    private void openCodec(String encoderName, VideoProfile p, double fps) throws TranscodeException {
        AVCodec codec = avcodec_find_encoder_by_name(encoderName);
        if (codec == null || codec.isNull()) {
            throw new TranscodeException("encoder " + encoderName + " is not in these FFmpeg natives");
        }
        ctx = avcodec_alloc_context3(codec);
        int gopFrames = (int) Math.max(1, Math.round(p.gop().toMillis() * fps / 1000.0));
        try (PointerScope scope = new PointerScope()) {
            ctx.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P);
            ctx.time_base(av_make_q(1, 1000));
            ctx.framerate(av_d2q(fps, 100_000));
            ctx.bit_rate(p.bitrate().bitsPerSecond());
            ctx.rc_max_rate(p.maxrate().bitsPerSecond());
            ctx.rc_buffer_size((int) Math.min(Integer.MAX_VALUE, p.maxrate().bitsPerSecond()));
            ctx.gop_size(gopFrames).keyint_min(gopFrames);
            ctx.max_b_frames(p.bframes());
            ctx.flags(ctx.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            ctx.thread_count(0);
            ctx.profile(switch (p.profile()) {
                case BASELINE -> avcodec.AV_PROFILE_H264_CONSTRAINED_BASELINE;
                case MAIN -> avcodec.AV_PROFILE_H264_MAIN;
                case HIGH -> avcodec.AV_PROFILE_H264_HIGH;
            });
            if (encoderName.equals("libx264")) {
                option("preset", p.preset().configName());
                option("profile", p.profile().configName());
                // Keyframes exactly every gop, as ingest services ask: no extra ones at scene cuts.
                option("x264-params", "scenecut=0");
            } else if (encoderName.equals("libopenh264")) {
                option("rc_mode", "bitrate");
                if (p.bframes() > 0) {
                    log.warn("{}: libopenh264 does not code B-frames; bframes {} is ignored", what, p.bframes());
                }
            }
            check(avcodec_open2(ctx, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null),
                    "avcodec_open2 " + encoderName);
        }
        packet = av_packet_alloc();
        metrics.encoderOpened(true);
        log.atLevel(what.startsWith(PROBE) ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.INFO).log(
                "{}: {} opened, {}x{} at {} fps, {} b/s (max {}), gop {} frames, {} B-frames, profile {}", what,
                encoderName, width, height, Math.round(fps * 100) / 100.0, p.bitrate().bitsPerSecond(),
                p.maxrate().bitsPerSecond(), gopFrames, ctx.max_b_frames(), p.profile().configName());
    }

    private void option(String key, String value) {
        int ret = av_opt_set(ctx.priv_data(), key, value, 0);
        if (ret < 0) {
            log.warn("{}: encoder option {}={} not taken: {}", what, key, value, TranscodeException.text(ret));
        }
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** Frames the encoder holds back before its first packet (B-frame reordering), from has_b_frames. */
    int reorderDelayFrames() {
        return ctx.has_b_frames();
    }

    /** The encoder's global header (SPS and PPS, in Annex B or as an avcC record), or an empty array. */
    byte[] extradata() {
        int n = ctx.extradata_size();
        byte[] b = new byte[Math.max(0, n)];
        if (n > 0) {
            ctx.extradata().get(b, 0, n);
        }
        return b;
    }

    /** Scales {@code source} when its size or format differs, and encodes it at {@code ptsMs}. */
    void encode(AVFrame source, long ptsMs, Consumer<Packet> out) throws TranscodeException {
        encodePicture(picture(source), ptsMs, out);
    }

    /**
     * What this encoder encodes for {@code source}: {@code source} itself when it has the encoder's size and
     * format, else a picture scaled from it into a buffer of the pool. A pooled picture stays the encoder's:
     * keep it beyond the next call only as a new reference (av_frame_clone).
     */
    AVFrame picture(AVFrame source) throws TranscodeException {
        if (source.width() == width && source.height() == height && source.format() == AV_PIX_FMT_YUV420P) {
            return source;
        }
        AVFrame target = writablePooled();
        scalerFor(source).scale(source, target);
        return target;
    }

    /** Whether {@link #picture} would scale {@code source}. */
    boolean scales(AVFrame source) {
        return source.width() != width || source.height() != height || source.format() != AV_PIX_FMT_YUV420P;
    }

    /** Encodes {@code input}, a picture of this encoder's size and format (see {@link #picture}), at {@code ptsMs}. */
    void encodePicture(AVFrame input, long ptsMs, Consumer<Packet> out) throws TranscodeException {
        // Encoders want strictly increasing pts; a source may repeat a timestamp at millisecond precision.
        long pts = Math.max(ptsMs, lastPtsMs + 1);
        lastPtsMs = pts;
        input.pts(pts);
        // A decoded picture keeps the source's frame type, and encoders take a set type as forced: the
        // rendition would copy the source's keyframes and B/P pattern instead of following the profile.
        input.pict_type(AV_PICTURE_TYPE_NONE);
        check(avcodec_send_frame(ctx, input), "avcodec_send_frame");
        receive(out);
    }

    private PictureScaler scalerFor(AVFrame source) throws TranscodeException {
        for (PictureScaler s : scalers) {
            if (s != null && s.takes(source)) {
                return s;
            }
        }
        // A new input geometry: replace the context used least recently (slot 1), keep the other.
        if (scalers[1] != null) {
            scalers[1].close();
        }
        scalers[1] = scalers[0];
        scalers[0] = new PictureScaler(source.width(), source.height(), source.format(), width, height,
                AV_PIX_FMT_YUV420P, scaler);
        return scalers[0];
    }

    /**
     * A pooled picture nobody else references: the encoder has let go of what it was sent (x264 and
     * OpenH264 copy their input), and a smaller rendition may still hold one it was handed.
     */
    private AVFrame writablePooled() throws TranscodeException {
        for (int i = 0; i < pool.size(); i++) {
            AVFrame f = pool.get((nextPooled + i) % pool.size());
            if (av_frame_is_writable(f) != 0) {
                nextPooled = (nextPooled + i + 1) % pool.size();
                return f;
            }
        }
        AVFrame f;
        if (pool.size() < MAX_POOLED_PICTURES) {
            f = av_frame_alloc();
            pool.add(f);
        } else {
            // All still referenced: give this one a new buffer; the old one is freed by its last holder.
            f = pool.get(nextPooled);
            nextPooled = (nextPooled + 1) % pool.size();
            av_frame_unref(f);
        }
        f.format(AV_PIX_FMT_YUV420P).width(width).height(height);
        check(av_frame_get_buffer(f, 0), "av_frame_get_buffer");
        return f;
    }

    /** Flushes the encoder: every packet still inside it goes to {@code out}. */
    void drain(Consumer<Packet> out) throws TranscodeException {
        if (ctx != null) {
            avcodec_send_frame(ctx, null);
            receive(out);
        }
    }

    private void receive(Consumer<Packet> out) throws TranscodeException {
        EncodedPackets.receiveAll(ctx, packet, "avcodec_receive_packet", (pkt, data) -> {
            metrics.encodedVideoFrame();
            out.accept(new Packet(pkt.dts(), pkt.pts(), (pkt.flags() & AV_PKT_FLAG_KEY) != 0, data));
        });
    }

    @Override
    public void close() {
        if (ctx != null) {
            boolean opened = packet != null;
            avcodec_free_context(ctx);
            ctx = null;
            if (opened) {
                metrics.encoderClosed(true);
            }
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        for (AVFrame f : pool) {
            av_frame_free(f); // a picture a smaller rendition still holds lives on until it lets go
        }
        pool.clear();
        for (int i = 0; i < scalers.length; i++) {
            if (scalers[i] != null) {
                scalers[i].close();
                scalers[i] = null;
            }
        }
    }
}
