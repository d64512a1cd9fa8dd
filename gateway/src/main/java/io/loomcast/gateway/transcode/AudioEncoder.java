package io.loomcast.gateway.transcode;

import static io.loomcast.gateway.transcode.TranscodeException.check;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_free;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_read;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_size;
import static org.bytedeco.ffmpeg.global.avutil.av_audio_fifo_write;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_compare;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_copy;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_make_q;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_delay;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import io.loomcast.gateway.config.AudioProfile;
import java.util.function.Consumer;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVAudioFifo;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * Re-encodes decoded audio to AAC-LC with FFmpeg's native {@code aac} encoder. swresample converts to the
 * profile's rate, layout and planar float; an audio FIFO regroups the samples into the encoder's 1024-sample
 * frames, since input frames need not be that size. Output timestamps count samples from the input's first
 * timestamp, re-anchored when the input jumps; the encoder's priming (initial_padding) makes the first packet
 * start that much earlier, which is where its decoded samples belong. One thread; {@link #close} frees all.
 */
final class AudioEncoder implements AutoCloseable {
    /** Input more than this away from where the sample count says it should be is a gap: re-anchor. */
    private static final long RESYNC_MS = 200;

    /** One raw AAC frame with its presentation time in ms (may be negative by the priming). */
    record Packet(long ptsMs, byte[] data) {}

    private final AudioProfile.Encode profile;
    private final TranscodeMetrics metrics;
    private AVCodecContext ctx;
    private AVPacket packet;
    private AVAudioFifo fifo;
    private AVFrame frame;
    private AVFrame converted;
    private SwrContext swr;
    private AVFrame swrInput; // holds only the input format, rate and layout the resampler was set up for
    private long nextSamplePts = Long.MIN_VALUE;
    private long expectedInputMs;

    private AudioEncoder(AudioProfile.Encode profile, TranscodeMetrics metrics) {
        this.profile = profile;
        this.metrics = metrics;
    }

    static AudioEncoder open(AudioProfile.Encode profile, TranscodeMetrics metrics) throws TranscodeException {
        AudioEncoder e = new AudioEncoder(profile, metrics);
        try {
            e.openCodec();
            return e;
        } catch (TranscodeException | RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    private void openCodec() throws TranscodeException {
        AVCodec codec = avcodec_find_encoder_by_name("aac");
        if (codec == null || codec.isNull()) {
            throw new TranscodeException("the aac encoder is not in these FFmpeg natives");
        }
        ctx = avcodec_alloc_context3(codec);
        try (PointerScope scope = new PointerScope()) {
            ctx.sample_fmt(AV_SAMPLE_FMT_FLTP).sample_rate(profile.sampleRateHz());
            av_channel_layout_default(ctx.ch_layout(), profile.channels());
            ctx.bit_rate(profile.bitrate().bitsPerSecond());
            ctx.time_base(av_make_q(1, profile.sampleRateHz()));
            ctx.flags(ctx.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
            check(avcodec_open2(ctx, codec, (org.bytedeco.ffmpeg.avutil.AVDictionary) null), "avcodec_open2 aac");
        }
        packet = av_packet_alloc();
        metrics.encoderOpened(false);
        fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, profile.channels(), 4 * ctx.frame_size());
        frame = av_frame_alloc();
        frame.nb_samples(ctx.frame_size()).format(AV_SAMPLE_FMT_FLTP).sample_rate(profile.sampleRateHz());
        check(av_channel_layout_copy(frame.ch_layout(), ctx.ch_layout()), "av_channel_layout_copy");
        check(av_frame_get_buffer(frame, 0), "av_frame_get_buffer");
    }

    /** The AudioSpecificConfig for the sequence header (ISO/IEC 14496-3 1.6.2.1), from the global header. */
    byte[] audioSpecificConfig() {
        byte[] b = new byte[ctx.extradata_size()];
        ctx.extradata().get(b, 0, b.length);
        return b;
    }

    /** The encoder's priming in ms: how far its first packet starts before its first input. */
    long primingMs() {
        return (long) Math.ceil(ctx.initial_padding() * 1000.0 / profile.sampleRateHz());
    }

    /** Resamples {@code in} (presented at {@code ptsMs}), queues it in the FIFO and encodes every full frame. */
    void encode(AVFrame in, long ptsMs, Consumer<Packet> out) throws TranscodeException {
        ensureResampler(in);
        int rate = profile.sampleRateHz();
        if (nextSamplePts == Long.MIN_VALUE || Math.abs(ptsMs - expectedInputMs) > RESYNC_MS) {
            // Anchor (or re-anchor after a gap) so the next sample out of the FIFO is presented at ptsMs.
            nextSamplePts = ptsMs * rate / 1000 - av_audio_fifo_size(fifo);
        }
        expectedInputMs = ptsMs + in.nb_samples() * 1000L / Math.max(1, in.sample_rate());
        int capacity = (int) ((swr_get_delay(swr, in.sample_rate()) + in.nb_samples()) * rate / in.sample_rate()) + 32;
        if (converted == null || converted.nb_samples() < capacity) {
            if (converted != null) {
                av_frame_free(converted);
            }
            converted = av_frame_alloc();
            converted.nb_samples(capacity).format(AV_SAMPLE_FMT_FLTP).sample_rate(rate);
            check(av_channel_layout_copy(converted.ch_layout(), ctx.ch_layout()), "av_channel_layout_copy");
            check(av_frame_get_buffer(converted, 0), "av_frame_get_buffer");
        }
        int n = check(swr_convert(swr, converted.extended_data(), capacity, in.extended_data(), in.nb_samples()),
                "swr_convert");
        check(av_audio_fifo_write(fifo, converted.extended_data(), n), "av_audio_fifo_write");
        while (av_audio_fifo_size(fifo) >= ctx.frame_size()) {
            sendFromFifo(ctx.frame_size(), out);
        }
    }

    private void sendFromFifo(int samples, Consumer<Packet> out) throws TranscodeException {
        check(av_frame_make_writable(frame), "av_frame_make_writable");
        frame.nb_samples(samples);
        check(av_audio_fifo_read(fifo, frame.extended_data(), samples), "av_audio_fifo_read");
        frame.pts(nextSamplePts);
        nextSamplePts += samples;
        check(avcodec_send_frame(ctx, frame), "avcodec_send_frame aac");
        receive(out);
    }

    private void ensureResampler(AVFrame in) throws TranscodeException {
        if (swr != null && swrInput.format() == in.format() && swrInput.sample_rate() == in.sample_rate()
                && av_channel_layout_compare(swrInput.ch_layout(), in.ch_layout()) == 0) {
            return;
        }
        if (swr != null) {
            swr_free(swr); // the SwrContext overload passes &swr (SwrContext**)
            swr = null;
        }
        if (swrInput == null) {
            swrInput = av_frame_alloc();
        } else {
            av_frame_unref(swrInput);
        }
        swrInput.format(in.format()).sample_rate(in.sample_rate());
        check(av_channel_layout_copy(swrInput.ch_layout(), in.ch_layout()), "av_channel_layout_copy");
        try (PointerScope scope = new PointerScope()) {
            // swr_alloc_set_opts2 reuses *ps when it is not NULL, so the slot must start out NULL.
            PointerPointer<SwrContext> holder = new PointerPointer<>(1);
            holder.put(0, (org.bytedeco.javacpp.Pointer) null);
            check(swr_alloc_set_opts2(holder, ctx.ch_layout(), AV_SAMPLE_FMT_FLTP, profile.sampleRateHz(),
                    in.ch_layout(), in.format(), in.sample_rate(), 0, null), "swr_alloc_set_opts2");
            swr = new SwrContext(holder.get(0));
        }
        check(swr_init(swr), "swr_init");
    }

    /** Encodes what is left in the FIFO as a short last frame, then flushes the encoder. */
    void drain(Consumer<Packet> out) throws TranscodeException {
        if (ctx == null) {
            return;
        }
        int left = av_audio_fifo_size(fifo);
        if (left > 0 && nextSamplePts != Long.MIN_VALUE) {
            sendFromFifo(left, out); // the aac encoder takes a small last frame (AV_CODEC_CAP_SMALL_LAST_FRAME)
        }
        avcodec_send_frame(ctx, null);
        receive(out);
    }

    private void receive(Consumer<Packet> out) throws TranscodeException {
        EncodedPackets.receiveAll(ctx, packet, "avcodec_receive_packet aac", (pkt, data) ->
                out.accept(new Packet(Math.floorDiv(pkt.pts() * 1000, profile.sampleRateHz()), data)));
    }

    @Override
    public void close() {
        if (ctx != null) {
            if (packet != null) {
                metrics.encoderClosed(false);
            }
            avcodec_free_context(ctx);
            ctx = null;
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (fifo != null) {
            av_audio_fifo_free(fifo);
            fifo = null;
        }
        for (AVFrame f : new AVFrame[] {frame, converted, swrInput}) {
            if (f != null) {
                av_frame_free(f);
            }
        }
        frame = converted = swrInput = null;
        if (swr != null) {
            swr_free(swr); // the SwrContext overload passes &swr (SwrContext**)
            swr = null;
        }
    }
}
