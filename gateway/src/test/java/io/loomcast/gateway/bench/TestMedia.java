package io.loomcast.gateway.bench;

import io.loomcast.gateway.testing.ExternalPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Test media made once per test JVM with ffmpeg: H.264 (constant bitrate with filler, so every second holds
 * the same bytes) and AAC in FLV, one keyframe per second.
 */
final class TestMedia {
    /** The video bitrate asked of x264; the file's measured rate is {@link MediaFile#bitrateKbps()}. */
    static final int VIDEO_KBPS = 800;
    private static Path flv;
    private static Path shortFlv;

    private TestMedia() {}

    /** Ten seconds. */
    static synchronized Path flv() throws IOException {
        if (flv == null) {
            flv = encode("bench-10s.flv", 10);
        }
        return flv;
    }

    /** Two seconds, for loop tests. */
    static synchronized Path shortFlv() throws IOException {
        if (shortFlv == null) {
            shortFlv = encode("bench-2s.flv", 2);
        }
        return shortFlv;
    }

    private static Path encode(String name, int seconds) throws IOException {
        Path dir = Files.createTempDirectory("loomcast-bench-media");
        Path out = dir.resolve(name);
        String kbps = VIDEO_KBPS + "k";
        try (ExternalPeer ff = ExternalPeer.start(dir.resolve("ffmpeg.log"), List.of(
                ExternalPeer.require("ffmpeg").toString(), "-nostdin", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-f", "lavfi", "-i", "sine=sample_rate=44100",
                "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-g", "25",
                "-b:v", kbps, "-minrate", kbps, "-maxrate", kbps, "-bufsize", kbps, "-x264-params", "nal-hrd=cbr",
                "-c:a", "aac", "-b:a", "64k", "-y", out.toString()))) {
            ff.awaitExit();
        }
        return out;
    }
}
