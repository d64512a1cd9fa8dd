package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.FlvRecording;
import io.loomcast.gateway.testing.MediaFrame;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A short FLV made with ffmpeg's lavfi sources: testsrc2 as H.264 (fixed GOP, no scene-cut keyframes, no
 * B-frames) and a sine as AAC. Made once per test class, in its temporary directory.
 *
 * @param file   the FLV
 * @param frames its audio and video tags, sequence headers included
 */
record TestMedia(Path file, int width, int height, List<MediaFrame> frames) {

    static TestMedia generate(Path dir, String name, int width, int height, int fps, int seconds, int gopFrames,
            String videoBitrate) throws IOException {
        return generate(dir, name, width, height, fps, seconds, gopFrames, videoBitrate, false);
    }

    /**
     * {@code noisy}: temporal noise over the picture, so the encoder cannot compress it and the stream really
     * has {@code videoBitrate} (testsrc2 alone stays far below high bitrates).
     */
    static TestMedia generate(Path dir, String name, int width, int height, int fps, int seconds, int gopFrames,
            String videoBitrate, boolean noisy) throws IOException {
        Path file = dir.resolve(name + ".flv");
        List<String> cmd = new ArrayList<>(List.of(
                ExternalPeer.require("ffmpeg").toString(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=%dx%d:rate=%d".formatted(width, height, fps),
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", String.valueOf(seconds)));
        if (noisy) {
            cmd.addAll(List.of("-vf", "noise=alls=40:allf=t", "-minrate", videoBitrate, "-maxrate", videoBitrate,
                    "-bufsize", videoBitrate));
        }
        cmd.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", String.valueOf(gopFrames),
                "-keyint_min", String.valueOf(gopFrames), "-sc_threshold", "0", "-pix_fmt", "yuv420p",
                "-b:v", videoBitrate, "-c:a", "aac", "-b:a", "64k", "-f", "flv", file.toString()));
        try (ExternalPeer ffmpeg = ExternalPeer.start(dir.resolve(name + ".ffmpeg.log"), cmd)) {
            assertEquals(0, ffmpeg.awaitExit(Duration.ofSeconds(30)), "ffmpeg making test media:\n" + ffmpeg.output());
        }
        return new TestMedia(file, width, height, FlvRecording.read(file));
    }

    /** Pictures or pieces of sound: sequence headers and end-of-sequence markers not counted. */
    long count(Frame.Kind kind) {
        return frames.stream().filter(f -> f.kind() == kind && f.media()).count();
    }
}
