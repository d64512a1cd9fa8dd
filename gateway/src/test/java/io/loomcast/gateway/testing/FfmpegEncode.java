package io.loomcast.gateway.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test media made by the ffmpeg CLI from its own sources (lavfi), the way the clip helpers here make theirs. */
public final class FfmpegEncode {
    private FfmpegEncode() {}

    /**
     * Runs {@code ffmpeg -nostdin -loglevel error ARGS -y OUT}, with its log next to {@code out}, and returns
     * {@code out}; fails the test when ffmpeg does.
     */
    public static Path to(Path out, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ExternalPeer.require("ffmpeg").toString(), "-nostdin",
                "-loglevel", "error"));
        command.addAll(List.of(args));
        command.addAll(List.of("-y", out.toString()));
        Path log = out.resolveSibling(out.getFileName() + ".log");
        try (ExternalPeer ff = ExternalPeer.start(log, command)) {
            ff.awaitExit(); // fails the test, with ffmpeg's output, unless it exits with 0
        }
        return out;
    }
}
