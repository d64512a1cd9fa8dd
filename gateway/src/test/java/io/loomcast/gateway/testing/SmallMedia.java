package io.loomcast.gateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A light stream for tests with hundreds of players on two cores: 160x90 H.264 at 25 fps (about 100 kbit/s, one
 * keyframe a second) and AAC, ten seconds, made once per test JVM with ffmpeg, and ffmpeg publishing it looped.
 */
public final class SmallMedia {
    private static Path flv;

    private SmallMedia() {}

    public static synchronized Path flv() throws IOException {
        if (flv == null) {
            flv = FfmpegEncode.to(Files.createTempDirectory("loomcast-scaleout-media").resolve("small-10s.flv"),
                    "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25", "-f", "lavfi", "-i", "sine=sample_rate=22050",
                    "-t", "10", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-b:v", "100k",
                    "-c:a", "aac", "-b:a", "32k");
        }
        return flv;
    }

    /** ffmpeg publishing the clip to {@code url} in real time, looped, until closed. */
    public static ExternalPeer publish(Path log, String url) throws IOException {
        return ExternalPeer.start(log, List.of(ExternalPeer.require("ffmpeg").toString(), "-nostdin", "-loglevel",
                "error", "-re", "-stream_loop", "-1", "-i", flv().toString(), "-c", "copy", "-f", "flv", url));
    }
}
