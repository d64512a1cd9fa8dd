package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loomcast.gateway.testing.ExternalPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** ffprobe's view of a file a player wrote: the codecs and the picture size. */
record Probe(String videoCodec, String audioCodec, int width, int height) {

    static Probe of(Path file) throws IOException {
        Path log = file.resolveSibling(file.getFileName() + ".ffprobe.txt");
        try (ExternalPeer ffprobe = ExternalPeer.start(log, List.of(ExternalPeer.require("ffprobe").toString(),
                "-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height", "-of", "compact=p=0",
                file.toString()))) {
            assertEquals(0, ffprobe.awaitExit(Duration.ofSeconds(20)), "ffprobe " + file + ":\n" + ffprobe.output());
        }
        String video = "";
        String audio = "";
        int width = 0;
        int height = 0;
        for (String line : Files.readAllLines(log)) {
            // codec_name=h264|codec_type=video|width=320|height=240
            String name = field(line, "codec_name");
            switch (field(line, "codec_type")) {
                case "video" -> {
                    video = name;
                    width = Integer.parseInt(field(line, "width"));
                    height = Integer.parseInt(field(line, "height"));
                }
                case "audio" -> audio = name;
                default -> { }
            }
        }
        return new Probe(video, audio, width, height);
    }

    private static String field(String line, String key) {
        for (String kv : line.split("\\|")) {
            if (kv.startsWith(key + "=")) {
                return kv.substring(key.length() + 1);
            }
        }
        return "";
    }
}
