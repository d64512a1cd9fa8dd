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
import static org.bytedeco.ffmpeg.global.avutil.av_samples_set_silence;
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
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-encodes decoded audio to AAC-LC with FFmpeg's native {@code aac} encoder. swresample converts to the
 * profile's rate, layout and planar float; an audio FIFO regroups the samples into the encoder's 1024-sample
 * frames, since input frames need not be that size. The encoder's priming (initial_padding) makes the first
 * packet start that much earlier, which is where its decoded samples belong. One thread; {@link #close} frees all.
 *
 * <p>Timing: output timestamps count samples, and the count is held to the input's timestamps. Each input frame
 * is compared with where the count (the FIFO, the resampler's delay and what is still to be trimmed) puts it.
 * Within {@link #JITTER_MS} the count wins: FLV timestamps are whole milliseconds. Beyond it the source's
 * timeline jumped (a publisher looping a file, lost audio, an encoder restart) and the output is repaired so that
 * audio stays continuous and in step with the video, which follows its timestamps exactly: a gap is filled with
 * silence, an overlap is trimmed from the new input. A jump beyond {@link #MAX_REPAIR_MS} re-anchors the count
 * instead. Counting without that repair let a looped source's audio drift 20 ms later at every loop.
 */
final class AudioEncoder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AudioEncoder.class);
    /**
     * Input this close to where the sample count puts it is on time: FLV's whole milliseconds, and publishers
     * that stamp audio from a wall clock. Repairing smaller steps would click for nothing; a step up to this
     * stays, well inside the 15 ms a viewer does not notice.
     */
    static final long JITTER_MS = 10;
    /** A gap or overlap up to this is filled or trimmed; a larger jump re-anchors the count. */
    static final long MAX_REPAIR_MS = 1_000;

    /** One raw AAC frame with its presentation time in ms (may be negative by the priming). */
    record Packet(long ptsMs, byte[] data) {}

    private final String what;
    private final AudioProfile.Encode profile;
    private final TranscodeMetrics metrics;
    private AVCodecContext ctx;
    private AVPacket packet;
    private AVAudioFifo fifo;
    private AVFrame frame;
    private AVFrame converted;
    private SwrContext swr;
    private AVFrame swrInput; // holds only the input format, rate and layout the resampler was set up for
    private AVFrame silence;
    /** Output samples: the presentation time of the FIFO's first one, in 1/rate. */
    private long nextSamplePts = Long.MIN_VALUE;
    /** Output samples still to trim from the front of what the resampler gives next (an overlap). */
    private long trimPending;
    private long repairs;

    private AudioEncoder(String what, AudioProfile.Encode profile, TranscodeMetrics metrics) {
        this.what = what;
        this.profile = profile;
        this.metrics = metrics;
    }

    /** @param what names the rendition in logs */
    static AudioEncoder open(String what, AudioProfile.Encode profile, TranscodeMetrics metrics)
            throws TranscodeException {
        AudioEncoder e = new AudioEncoder(what, profile, metrics);
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
        // Where this input's first sample belongs, and where the count puts it, in output samples. The
        // resampler's delay is input it holds back: it comes out before this frame's first sample.
        long due = Math.round(ptsMs * (double) rate / 1000);
        long drift = nextSamplePts == Long.MIN_VALUE ? 0
                : due - (nextSamplePts + av_audio_fifo_size(fifo) + swr_get_delay(swr, rate) - trimPending);
        if (nextSamplePts == Long.MIN_VALUE || Math.abs(drift) > MAX_REPAIR_MS * rate / 1000) {
            if (nextSamplePts != Long.MIN_VALUE) {
                noteRepair("re-anchored", drift);
            }
            // Anchor (or re-anchor after a long gap) so that this input's first sample is presented at ptsMs.
            nextSamplePts = due - av_audio_fifo_size(fifo) - swr_get_delay(swr, rate);
            trimPending = 0;
        } else if (drift > JITTER_MS * rate / 1000) {
            noteRepair("filled with silence", drift);
            writeSilence(drift);
        } else if (drift < -JITTER_MS * rate / 1000) {
            noteRepair("trimmed", drift);
            trimPending += -drift;
        }
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
        int trim = (int) Math.min(n, trimPending);
        trimPending -= trim;
        if (trim == 0) {
            check(av_audio_fifo_write(fifo, converted.extended_data(), n), "av_audio_fifo_write");
        } else if (trim < n) {
            try (PointerScope scope = new PointerScope()) {
                int channels = profile.channels();
                PointerPointer<BytePointer> planes = new PointerPointer<>(channels);
                for (int c = 0; c < channels; c++) {
                    // PointerPointer.put adds the position in bytes; planar float is 4 bytes a sample.
                    planes.put(c, new BytePointer(converted.extended_data(c)).position((long) trim * Float.BYTES));
                }
                check(av_audio_fifo_write(fifo, planes, n - trim), "av_audio_fifo_write");
            }
        }
        while (av_audio_fifo_size(fifo) >= ctx.frame_size()) {
            sendFromFifo(ctx.frame_size(), out);
        }
    }

    /** Where the count puts the next input's first sample, in ms; {@link Double#NaN} before any input. */
    double countedMs() {
        if (nextSamplePts == Long.MIN_VALUE) {
            return Double.NaN;
        }
        long counted = nextSamplePts + av_audio_fifo_size(fifo) + swr_get_delay(swr, profile.sampleRateHz()) - trimPending;
        return counted * 1000.0 / profile.sampleRateHz();
    }

    private void noteRepair(String how, long driftSamples) {
        metrics.audioTimelineRepaired();
        // Logged on the 1st, 2nd, 4th, 8th... repair: a source that jitters past the bound must not flood.
        if (Long.bitCount(++repairs) == 1) {
            log.info("{}: the source's audio timestamps jumped {} ms against its sample count; {} to keep A/V sync "
                    + "({} so far)", what, Math.round(driftSamples * 1000.0 / profile.sampleRateHz()), how, repairs);
        }
    }

    /** Queues {@code samples} of silence: the source's audio has a gap there. */
    private void writeSilence(long samples) throws TranscodeException {
        int chunk = 4096;
        if (silence == null) {
            silence = av_frame_alloc();
            silence.nb_samples(chunk).format(AV_SAMPLE_FMT_FLTP).sample_rate(profile.sampleRateHz());
            check(av_channel_layout_copy(silence.ch_layout(), ctx.ch_layout()), "av_channel_layout_copy");
            check(av_frame_get_buffer(silence, 0), "av_frame_get_buffer");
            av_samples_set_silence(silence.extended_data(), 0, chunk, profile.channels(), AV_SAMPLE_FMT_FLTP);
        }
        for (long left = samples; left > 0; ) {
            int n = (int) Math.min(left, chunk);
            check(av_audio_fifo_write(fifo, silence.extended_data(), n), "av_audio_fifo_write");
            left -= n;
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
        for (AVFrame f : new AVFrame[] {frame, converted, swrInput, silence}) {
            if (f != null) {
                av_frame_free(f);
            }
        }
        frame = converted = swrInput = silence = null;
        if (swr != null) {
            swr_free(swr); // the SwrContext overload passes &swr (SwrContext**)
            swr = null;
        }
    }
}
