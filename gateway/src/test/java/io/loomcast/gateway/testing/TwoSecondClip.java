package io.loomcast.gateway.testing;

import io.loomcast.gateway.media.FlvReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Two seconds of 320x180 H.264 at 25 fps (a keyframe a second) with 44.1 kHz AAC, made once per test JVM by the
 * ffmpeg CLI: for tests that publish a real file's tags with our own client.
 */
public final class TwoSecondClip {
    private static Path flv;

    private TwoSecondClip() {}

    public static synchronized Path flv() throws IOException {
        if (flv == null) {
            flv = FfmpegEncode.to(Files.createTempDirectory("loomcast-two-seconds").resolve("src.flv"),
                    "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-f", "lavfi", "-i", "sine=sample_rate=44100",
                    "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-c:a", "aac");
        }
        return flv;
    }

    /** Every tag of the clip, metadata included, in file order. */
    public static List<FlvReader.Tag> tags() throws IOException {
        List<FlvReader.Tag> tags = new ArrayList<>();
        try (InputStream in = Files.newInputStream(flv()); FlvReader r = new FlvReader(in, 1 << 24)) {
            for (FlvReader.Tag t; (t = r.next()) != null; ) {
                tags.add(t);
            }
        }
        return tags;
    }
}
