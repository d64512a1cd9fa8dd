package io.loomcast.gateway.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** ffprobe's view of a media file: each stream's codec and picture size, and the frames it decodes. */
public final class Ffprobe {
    private Ffprobe() {}

    /** One stream as ffprobe reports it; width and height are 0 for audio. */
    public record StreamInfo(String codecType, String codecName, int width, int height, long frames) {}

    /** The first video and audio stream of a file; a missing one is null. */
    public record Probe(StreamInfo video, StreamInfo audio) {}

    /** Decodes the whole file ({@code -count_frames}); fails the test when ffprobe does. */
    public static Probe probe(Path file) throws Exception {
        Path log = Files.createTempFile(file.getParent(), "ffprobe", ".log");
        try (ExternalPeer p = ExternalPeer.start(log, List.of(ExternalPeer.require("ffprobe").toString(),
                "-v", "error", "-count_frames", "-show_entries",
                "stream=codec_type,codec_name,width,height,nb_read_frames", "-of", "compact=p=0", file.toString()))) {
            p.awaitExit();
            StreamInfo video = null;
            StreamInfo audio = null;
            // One line per stream: codec_name=h264|codec_type=video|width=320|height=180|nb_read_frames=150
            for (String line : p.output().lines().toList()) {
                Map<String, String> kv = new HashMap<>();
                for (String pair : line.split("\\|")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        kv.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
                if (!kv.containsKey("codec_type")) {
                    continue;
                }
                StreamInfo s = new StreamInfo(kv.get("codec_type"), kv.get("codec_name"), number(kv, "width"),
                        number(kv, "height"), number(kv, "nb_read_frames"));
                if (s.codecType().equals("video") && video == null) {
                    video = s;
                } else if (s.codecType().equals("audio") && audio == null) {
                    audio = s;
                }
            }
            if (video == null && audio == null) {
                fail("ffprobe found no stream in " + file + ":\n" + p.output());
            }
            return new Probe(video, audio);
        }
    }

    private static int number(Map<String, String> kv, String key) {
        String v = kv.getOrDefault(key, "0");
        return v.matches("\\d+") ? Integer.parseInt(v) : 0;
    }
}
