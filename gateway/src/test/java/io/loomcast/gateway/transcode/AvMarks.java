package io.loomcast.gateway.transcode;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;

import io.loomcast.gateway.media.AudioTag;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.media.VideoTag;
import io.loomcast.gateway.testing.ExternalPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * A lip-sync clip and its reader. The clip is black video with one white picture every second, and silence
 * with a 1 kHz beep starting at exactly that picture's instant: marks whose true offset is zero. The reader
 * decodes a stream's FLV tags as a player does (FFmpeg's H.264 and AAC decoders, each decoded sample placed at
 * its packet's timestamp plus its index over the sample rate, each picture at its presentation time) and
 * returns when each flash and each beep begins.
 */
final class AvMarks {
    /** The instant in every second at which the flash and the beep begin. */
    static final double MARK_PHASE_SECONDS = 0.5;
    private static final double BEEP_SECONDS = 0.06;

    private AvMarks() {}

    /**
     * Writes the clip to {@code dir/name.flv} with the ffmpeg CLI (H.264 keyframe every second, AAC-LC 48 kHz
     * stereo, as an RTMP source would send) unless it is there, and returns its tags.
     */
    static List<FlvReader.Tag> clip(Path dir, String name, int width, int height, int seconds) throws IOException {
        Path file = dir.resolve(name + ".flv");
        if (!Files.exists(file)) {
            // The flash is picture 15 of every 30 (n counts pictures, so the instant is exact); the beep's
            // expression is evaluated per sample, so it starts on the sample at n + 0.5 s.
            String video = "color=c=black:s=%dx%d:r=30,drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='eq(mod(n\\,30)\\,15)'"
                    .formatted(width, height);
            String audio = "aevalsrc='0.5*sin(2*PI*1000*t)*between(mod(t\\,1)\\,%s\\,%s)':s=48000:c=stereo"
                    .formatted(MARK_PHASE_SECONDS, MARK_PHASE_SECONDS + BEEP_SECONDS);
            run(dir, name, List.of("-f", "lavfi", "-i", video, "-f", "lavfi", "-i", audio, "-t", Integer.toString(seconds),
                    "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "128k", "-f", "flv", "-y", file.toString()));
        }
        return read(file);
    }

    /**
     * {@code times} copies of the clip back to back as {@code ffmpeg -stream_loop} publishes a looped file (the
     * way benchmarks and tests here feed a long source): each copy's timestamps start where the longer track of
     * the previous one ended, so the shorter track jumps (here the audio goes back about 20 ms at every loop).
     */
    static List<FlvReader.Tag> looped(Path dir, String clip, int times) throws IOException {
        Path file = dir.resolve(clip + "-x" + times + ".flv");
        if (!Files.exists(file)) {
            run(dir, clip + "-loop", List.of("-stream_loop", Integer.toString(times - 1), "-i",
                    dir.resolve(clip + ".flv").toString(), "-c", "copy", "-f", "flv", "-y", file.toString()));
        }
        return read(file);
    }

    /** Runs the ffmpeg CLI with {@code args}, failing with its output if it fails. */
    static void run(Path dir, String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ExternalPeer.require("ffmpeg").toString(), "-nostdin",
                "-loglevel", "error"));
        command.addAll(args);
        try (ExternalPeer ff = ExternalPeer.start(dir.resolve(name + ".log"), command)) {
            if (ff.awaitExit() != 0) {
                throw new IOException("ffmpeg failed: " + ff.output());
            }
        }
    }

    static List<FlvReader.Tag> read(Path file) throws IOException {
        List<FlvReader.Tag> tags = new ArrayList<>();
        try (FlvReader r = new FlvReader(Files.newInputStream(file), 1 << 24)) {
            for (FlvReader.Tag t; (t = r.next()) != null; ) {
                tags.add(t);
            }
        }
        return tags;
    }

    /** When each flash and each beep begins in a stream, in ms of its timeline. */
    record Marks(List<Double> flashesMs, List<Double> beepsMs) {
        /**
         * Audio minus video, in ms, for each flash that has a beep within half a second of it (positive: the
         * audio is late).
         */
        List<Double> offsetsMs() {
            List<Double> out = new ArrayList<>();
            for (double flash : flashesMs) {
                beepsMs.stream().filter(b -> Math.abs(b - flash) < 500).findFirst().ifPresent(b -> out.add(b - flash));
            }
            return out;
        }

        double worstOffsetMs() {
            return offsetsMs().stream().mapToDouble(Math::abs).max().orElse(Double.NaN);
        }

        @Override
        public String toString() {
            return "flashes " + round(flashesMs) + ", beeps " + round(beepsMs) + ", audio - video " + round(offsetsMs());
        }

        private static List<Double> round(List<Double> v) {
            return v.stream().map(d -> Math.round(d * 10) / 10.0).toList();
        }
    }

    /** Decodes both tracks of {@code tags} and finds the marks. */
    static Marks of(List<FlvReader.Tag> tags) throws Exception {
        TranscodeMetrics metrics = new TranscodeMetrics();
        List<Double> flashes = new ArrayList<>();
        List<float[]> chunks = new ArrayList<>();
        List<Double> chunkStartsMs = new ArrayList<>();
        int[] rate = new int[1];
        boolean[] bright = new boolean[1];
        try (PacketDecoder video = PacketDecoder.h264("marks", metrics);
             PacketDecoder audio = PacketDecoder.aac("marks", metrics)) {
            java.util.function.Consumer<AVFrame> pictures = f -> {
                boolean now = meanLuma(f) > 128;
                if (now && !bright[0]) {
                    flashes.add((double) f.best_effort_timestamp());
                }
                bright[0] = now;
            };
            java.util.function.Consumer<AVFrame> sound = f -> {
                if (f.format() != AV_SAMPLE_FMT_FLTP) {
                    throw new IllegalStateException("the AAC decoder gave sample format " + f.format());
                }
                float[] s = new float[f.nb_samples()];
                new FloatPointer(f.extended_data(0)).capacity(s.length).get(s); // the first channel is enough
                rate[0] = f.sample_rate();
                chunks.add(s);
                chunkStartsMs.add((double) f.best_effort_timestamp());
            };
            for (FlvReader.Tag t : tags) {
                byte[] b = t.body();
                if (t.type() == 9) {
                    VideoTag v = FlvTags.parseVideo(b);
                    if (v.isSequenceHeader()) {
                        video.configure(Arrays.copyOfRange(b, v.payloadOffset(), v.payloadOffset() + v.payloadLength()),
                                pictures);
                    } else if (v.isCodedFrame() && video.isOpen() && v.payloadLength() > 0) {
                        video.decode(b, v.payloadOffset(), v.payloadLength(), t.timestampMs(),
                                t.timestampMs() + v.compositionTimeMs(), v.isKeyframe(), pictures);
                    }
                } else if (t.type() == 8) {
                    AudioTag a = FlvTags.parseAudio(b);
                    if (a.isSequenceHeader()) {
                        audio.configure(Arrays.copyOfRange(b, a.payloadOffset(), a.payloadOffset() + a.payloadLength()),
                                sound);
                    } else if (a.isCodedFrame() && audio.isOpen() && a.payloadLength() > 0) {
                        audio.decode(b, a.payloadOffset(), a.payloadLength(), t.timestampMs(), t.timestampMs(), true,
                                sound);
                    }
                }
            }
            video.drain(pictures);
            audio.drain(sound);
        }
        return new Marks(flashes, onsets(chunks, chunkStartsMs, rate[0]));
    }

    private static double meanLuma(AVFrame f) {
        int w = f.width();
        int h = f.height();
        int stride = f.linesize(0);
        BytePointer y = new BytePointer(f.data(0)).capacity((long) stride * h);
        byte[] row = new byte[w];
        long sum = 0;
        for (int r = 0; r < h; r++) {
            y.position((long) r * stride).get(row, 0, w);
            for (byte p : row) {
                sum += p & 0xFF;
            }
        }
        return (double) sum / ((long) w * h);
    }

    /**
     * Beep onsets: the first sample above a third of the loudest one after at least 200 ms below it. A third,
     * not less: AAC spreads a little pre-echo, well below that, over the frame before a sharp onset.
     */
    private static List<Double> onsets(List<float[]> chunks, List<Double> startsMs, int rate) {
        float peak = 0;
        for (float[] c : chunks) {
            for (float s : c) {
                peak = Math.max(peak, Math.abs(s));
            }
        }
        float threshold = peak / 3;
        List<Double> out = new ArrayList<>();
        double lastLoudMs = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < chunks.size(); i++) {
            float[] c = chunks.get(i);
            for (int k = 0; k < c.length; k++) {
                if (Math.abs(c[k]) > threshold) {
                    double t = startsMs.get(i) + k * 1000.0 / rate;
                    if (t - lastLoudMs > 200) {
                        out.add(t);
                    }
                    lastLoudMs = t;
                }
            }
        }
        return out;
    }
}
