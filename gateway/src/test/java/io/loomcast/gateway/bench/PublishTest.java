package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.VideoMessage;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpClient;
import io.loomcast.gateway.testing.NginxRtmp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench publish --loop}: publishers pace a 2-second file in real time, over and over, and a viewer
 * of one of their streams (through nginx-rtmp, which relays timestamps as they come) sees video timestamps
 * that keep rising across the loops.
 */
class PublishTest {
    private static final int PUBLISHERS = 3;
    private static final int DURATION_S = 6;

    @Test
    void loopingPublishersKeepTimestampsRising(@TempDir Path dir) throws Exception {
        MediaFile media = MediaFile.load(TestMedia.shortFlv());
        try (NginxRtmp nginx = NginxRtmp.start(dir)) {
            String url = nginx.url("live/pub0");
            // The viewer waits for the stream; nginx answers its play before anyone publishes.
            RtmpClient viewer = RtmpClient.connect(RtmpUrl.parse(url),
                    ClientOptions.DEFAULT.withReadTimeout(Duration.ofSeconds(10)));
            int id = viewer.createStream();
            viewer.play(id, "pub0", -2);
            CompletableFuture<List<Long>> seen = CompletableFuture.supplyAsync(() -> videoTimestamps(viewer),
                    r -> Thread.ofVirtual().start(r));

            CliRun run = CliRun.bench(dir, "publish", nginx.url("live/pub{i}"), "--file", TestMedia.shortFlv().toString(),
                    "--clients", Integer.toString(PUBLISHERS), "--loop", "--duration", DURATION_S + "s");
            viewer.close();

            assertEquals(0, run.exitCode(), run::out);
            assertEquals(PUBLISHERS, run.number("connected"), run::out);
            double expectedBytes = media.bitrateKbps() * 1000 / 8 * (run.number("durationMs") / 1000.0) * PUBLISHERS;
            double sent = run.number("bytes", "sent");
            assertTrue(Math.abs(sent - expectedBytes) <= 0.2 * expectedBytes,
                    "sent %.0f bytes, expected %.0f%n%s".formatted(sent, expectedBytes, run.out()));

            List<Long> ts = seen.get(10, TimeUnit.SECONDS);
            assertTrue(ts.getLast() - ts.getFirst() > 2 * media.loopMs(),
                    "viewer saw more than two passes of the file: " + ts.getFirst() + ".." + ts.getLast());
            for (int i = 1; i < ts.size(); i++) {
                assertTrue(ts.get(i) > ts.get(i - 1), "video timestamps rise: " + ts.subList(Math.max(0, i - 3), i + 1));
            }
        }
    }

    /** Video timestamps until the connection closes. */
    private static List<Long> videoTimestamps(RtmpClient viewer) {
        List<Long> ts = new ArrayList<>();
        try {
            while (true) {
                Message m = viewer.read();
                if (m instanceof VideoMessage v && FlvTags.parseVideo(v.data()).isCodedFrame()) {
                    ts.add(v.timestamp());
                }
            }
        } catch (IOException closed) {
            return ts;
        }
    }
}
