package io.loomcast.gateway.bench;

import io.loomcast.gateway.testing.ExternalPeer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** ffmpeg publishing the test media in real time, looped, as the load tests' source. */
final class FfmpegPublisher {
    private FfmpegPublisher() {}

    static ExternalPeer start(Path dir, String url) throws IOException {
        ExternalPeer ff = ExternalPeer.start(dir.resolve("ffmpeg-publish.log"), List.of(
                ExternalPeer.require("ffmpeg").toString(), "-nostdin", "-loglevel", "error", "-re",
                "-stream_loop", "-1", "-i", TestMedia.flv().toString(), "-c", "copy", "-f", "flv", url));
        CliRun.awaitLive(url);
        return ff;
    }
}
