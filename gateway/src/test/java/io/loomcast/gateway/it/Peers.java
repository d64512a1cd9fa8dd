package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.loomcast.gateway.testing.ExternalPeer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real publishers and players the integration tests run, as command lines over {@link ExternalPeer}. */
final class Peers {
    /** Debian's python3 carries python3-librtmp; a pyenv python3 earlier on PATH does not. */
    static final Path SYSTEM_PYTHON = Path.of("/usr/bin/python3");

    private Peers() {}

    /** A real RTMP publisher. */
    enum Publisher {
        FFMPEG, GSTREAMER, LIBRTMP;

        ExternalPeer start(Path media, String url, Path log) throws IOException {
            return switch (this) {
                case FFMPEG -> ffmpegPublish(media, url, log, List.of());
                case GSTREAMER -> ExternalPeer.start(log, List.of(ExternalPeer.require("gst-launch-1.0").toString(),
                        "-q", "filesrc", "location=" + media, "!", "flvdemux", "name=d",
                        "d.video", "!", "queue", "!", "h264parse", "!", "mux.",
                        "d.audio", "!", "queue", "!", "aacparse", "!", "mux.",
                        // sync (the sink's default) paces the file at its timestamps: a live publisher.
                        "flvmux", "name=mux", "streamable=true", "!", "rtmp2sink", "location=" + url));
                case LIBRTMP -> ExternalPeer.start(log, List.of(SYSTEM_PYTHON.toString(), resource("it/librtmp_publish.py"),
                        media.toString(), url));
            };
        }
    }

    /** A real RTMP player that records what it gets to an FLV file, as received. */
    enum Player {
        FFMPEG, RTMPDUMP, GSTREAMER;

        /**
         * Whether the player's exit status means it played to the end. rtmpdump exits 2 ("download may be
         * incomplete") when it got less than onMetaData's duration promised, and a file publisher (librtmp
         * sending a file's tags) announces the file's duration, slightly more than its last timestamp.
         */
        boolean finished(int exitStatus) {
            return exitStatus == 0 || this == RTMPDUMP && exitStatus == 2;
        }

        ExternalPeer start(String url, Path flv, Path log) throws IOException {
            return switch (this) {
                // -copyts: keep the stream's timestamps instead of starting the file at 0. -copyinkf: keep
                // video before the first keyframe too, which stream copy drops by default: the file must show
                // whatever the server sent first.
                case FFMPEG -> ExternalPeer.start(log, List.of(ExternalPeer.require("ffmpeg").toString(),
                        "-hide_banner", "-loglevel", "warning", "-nostdin", "-y", "-i", url,
                        "-c", "copy", "-copyts", "-copyinkf", "-f", "flv", flv.toString()));
                case RTMPDUMP -> ExternalPeer.start(log, List.of(ExternalPeer.require("rtmpdump").toString(),
                        "-q", "--live", "-r", url, "-o", flv.toString()));
                // rtmp2src's output is the FLV stream itself: written as it arrives, timestamps untouched.
                case GSTREAMER -> ExternalPeer.start(log, List.of(ExternalPeer.require("gst-launch-1.0").toString(),
                        "-q", "rtmp2src", "location=" + url, "!", "filesink", "location=" + flv));
            };
        }
    }

    /** ffmpeg sending a file in real time ({@code -re}), copied, plus {@code extraOutputOptions}. */
    static ExternalPeer ffmpegPublish(Path media, String url, Path log, List<String> extraOutputOptions)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ExternalPeer.require("ffmpeg").toString(), "-hide_banner",
                "-loglevel", "warning", "-nostdin", "-re", "-i", media.toString(), "-c", "copy"));
        cmd.addAll(extraOutputOptions);
        cmd.addAll(List.of("-f", "flv", url));
        return ExternalPeer.start(log, cmd);
    }

    /** ffmpeg sending a file in real time, over and over ({@code -stream_loop -1}), timestamps rising across loops. */
    static ExternalPeer ffmpegLoop(Path media, String url, Path log) throws IOException {
        return ExternalPeer.start(log, List.of(ExternalPeer.require("ffmpeg").toString(), "-hide_banner", "-loglevel",
                "warning", "-nostdin", "-re", "-stream_loop", "-1", "-i", media.toString(), "-c", "copy", "-f", "flv",
                url));
    }

    /** ffmpeg copying {@code media} to {@code out} with every timestamp moved {@code offsetSeconds} on. */
    static ExternalPeer ffmpegShift(Path media, Path out, Path log, String offsetSeconds) throws IOException {
        return ExternalPeer.start(log, List.of(ExternalPeer.require("ffmpeg").toString(), "-hide_banner", "-loglevel",
                "error", "-nostdin", "-y", "-i", media.toString(), "-c", "copy", "-output_ts_offset", offsetSeconds,
                "-f", "flv", out.toString()));
    }

    static String resource(String name) {
        URL url = Peers.class.getClassLoader().getResource(name);
        if (url == null) {
            return fail("test resource " + name + " missing");
        }
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException e) {
            return fail("test resource " + name + ": " + e.getMessage());
        }
    }
}
