package io.loomcast.gateway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The media the relay tests publish: an FLV file encoded once per test JVM (H.264 320x180 at 25 fps, a
 * keyframe every 25 frames, AAC 44.1 kHz), so publishing it is a cheap {@code ffmpeg -re -c copy} and the
 * frame counts every destination must show are known exactly.
 *
 * @param file        the FLV file
 * @param videoFrames H.264 frames in it, as ffprobe counts them
 * @param audioFrames AAC frames in it, as ffprobe counts them
 */
public record SourceClip(Path file, long videoFrames, long audioFrames) {
    public static final int WIDTH = 320;
    public static final int HEIGHT = 180;
    public static final int FPS = 25;
    /** Frames from one keyframe to the next. */
    public static final int GOP_FRAMES = 25;
    public static final int SECONDS = 6;

    /** Class initialisation makes the encode happen once, on first use, without a mutable static. */
    private static final class Holder {
        static final SourceClip CLIP = encodeUnchecked();
    }

    /** The clip, encoding it on first use. */
    public static SourceClip get() {
        return Holder.CLIP;
    }

    private static SourceClip encodeUnchecked() {
        try {
            return encode();
        } catch (Exception e) {
            throw new IllegalStateException("could not encode the test clip", e);
        }
    }

    private static SourceClip encode() throws Exception {
        Path dir = Files.createTempDirectory("loomcast-clip");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        Path file = dir.resolve("clip.flv");
        try (ExternalPeer ff = ExternalPeer.start(dir.resolve("encode.log"), List.of(
                ExternalPeer.require("ffmpeg").toString(), "-nostdin", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc2=size=%dx%d:rate=%d".formatted(WIDTH, HEIGHT, FPS),
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", String.valueOf(SECONDS), "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-g", String.valueOf(GOP_FRAMES), "-keyint_min", String.valueOf(GOP_FRAMES), "-sc_threshold", "0",
                "-c:a", "aac", "-b:a", "64k", "-y", file.toString()))) {
            ff.awaitExit();
        }
        Ffprobe.Probe probe = Ffprobe.probe(file);
        assertEquals((long) SECONDS * FPS, probe.video().frames(), "the clip's video frames: " + probe);
        return new SourceClip(file, probe.video().frames(), probe.audio().frames());
    }

    /** ffmpeg publishing the clip to {@code url} in real time, {@code loops} extra times (-1: forever). */
    public ExternalPeer publish(Path log, String url, int loops) throws IOException {
        return publish(log, url, loops, 1);
    }

    /** As {@link #publish(Path, String, int)}, at {@code speed} times real time ({@code -readrate}). */
    public ExternalPeer publish(Path log, String url, int loops, int speed) throws IOException {
        return ExternalPeer.start(log, List.of(ExternalPeer.require("ffmpeg").toString(), "-nostdin",
                "-loglevel", "error", "-readrate", String.valueOf(speed), "-stream_loop", String.valueOf(loops),
                "-i", file.toString(), "-c", "copy", "-f", "flv", url));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
