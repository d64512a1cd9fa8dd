package io.loomcast.gateway.cli;

import io.loomcast.gateway.transcode.FfmpegRuntime;
import io.loomcast.gateway.transcode.TranscodeException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gateway natives [--cache-dir DIR]}: loads the FFmpeg natives this build carries, extracting them into
 * DIR, and says which H.264 encoders they hold. A container build runs it once so the image ships the natives
 * already extracted, in a directory the gateway then only reads ({@code transcode.nativeCacheDir}).
 */
@Command(name = "natives", mixinStandardHelpOptions = true,
        description = "Load (and extract) the FFmpeg natives of this build; print their version and H.264 encoders.")
public final class NativesCommand implements Callable<Integer> {
    private static final List<String> H264_ENCODERS = List.of("libx264", "libopenh264", "h264_nvenc", "h264_qsv",
            "h264_vaapi", "h264_amf", "h264_videotoolbox", "h264_v4l2m2m");

    @Spec
    CommandSpec spec;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where to extract them (default: JavaCPP's, ~/.javacpp/cache).")
    Path cacheDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            FfmpegRuntime ffmpeg = FfmpegRuntime.load(Optional.ofNullable(cacheDir));
            List<String> encoders = H264_ENCODERS.stream().filter(ffmpeg::hasEncoder).toList();
            out.printf("FFmpeg %s (%s) natives in %s; H.264 encoders: %s%n", ffmpeg.version(), ffmpeg.license(),
                    ffmpeg.cacheDir(), String.join(", ", encoders));
            out.flush();
            return 0;
        } catch (TranscodeException e) {
            spec.commandLine().getErr().println("natives: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
    }
}
