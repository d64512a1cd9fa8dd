package io.loomcast.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.config.TranscodeProfile;
import io.loomcast.gateway.hub.Delivery;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.GopCacheLimits;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.StreamHub;
import io.loomcast.gateway.hub.SubscriberQueue;
import io.loomcast.gateway.hub.Subscription;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.protocol.message.AudioMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.StreamEof;
import io.loomcast.gateway.protocol.message.VideoMessage;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lip sync through the audio re-encode path (48 kHz stereo AAC in, 44.1 kHz mono AAC out), measured on a clip
 * whose flashes and beeps start at the same instants ({@link AvMarks}): the offset between them in the rendition
 * is what a viewer sees, and must stay within 15 ms.
 *
 * <p>A clean source comes out within a millisecond (the AAC priming and the resampler's delay are accounted
 * for). What broke sync was a source whose audio timestamps jump against its sample count: a file published
 * in a loop (ffmpeg {@code -stream_loop}) went about 20 ms later at every loop, and lost audio frames made it
 * early by their length. The ffmpeg CLI doing the same job follows the timestamps; its offset is printed
 * beside ours, as measured by the same reader.
 */
class LipSyncTest {
    private static final double MAX_OFFSET_MS = 15;
    private static final String PROFILE = """
            p:
              video: {width: 160, height: 90, bitrate: 200k}
              audio: {bitrate: 64k, sampleRate: 44100, channels: 1}
            """;

    /** A 3 s clip published three times over in a loop, live, to a player of the rendition over RTMP. */
    @Test
    void aLoopedSourceStaysInSyncAtThePlayer(@TempDir Path dir) throws Exception {
        AvMarks.clip(dir, "marks", 320, 180, 3);
        List<FlvReader.Tag> source = AvMarks.looped(dir, "marks", 3);
        AvMarks.Marks cli = cli(dir, dir.resolve("marks-x3.flv"));

        List<FlvReader.Tag> got = new ArrayList<>();
        long repairs;
        try (Gateway gateway = Gateway.start(ConfigLoader.parse("server: {listen: 127.0.0.1:0}\n"
                + "transcode:\n  profiles:\n" + PROFILE.indent(4), "t.yaml", Map.of()))) {
            String base = "rtmp://127.0.0.1:" + gateway.rtmpAddress().getPort() + "/live/";
            RtmpUrl u = RtmpUrl.parse(base + "src@p");
            long lastMs = source.getLast().timestampMs();
            try (RtmpClient player = RtmpClient.connect(u, ClientOptions.DEFAULT)) {
                // The player asks first: the rendition waits for the source, so it sees it from the start.
                player.play(player.createStream(), u.streamName(), -1);
                try (Fixtures.Publisher publisher = new Fixtures.Publisher(base + "src", source)) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
                    while (System.nanoTime() < deadline) {
                        Message m = player.read(); // bounded by the client's read timeout
                        if (m instanceof VideoMessage v) {
                            got.add(new FlvReader.Tag(9, v.timestamp(), v.data()));
                        } else if (m instanceof AudioMessage a) {
                            got.add(new FlvReader.Tag(8, a.timestamp(), a.data()));
                        } else if (m instanceof StreamEof) {
                            break;
                        }
                        if (!got.isEmpty() && got.getLast().timestampMs() >= lastMs) {
                            break;
                        }
                    }
                    publisher.join();
                }
            }
            repairs = gateway.transcoder().metrics().audioTimelineRepairs();
        }
        AvMarks.Marks ours = AvMarks.of(got);
        System.out.println("lip sync, looped source: ours " + ours + "; ffmpeg CLI " + cli);
        assertSynced(ours, 9);
        assertTrue(repairs >= 2, "the two loop points were repaired, counted: " + repairs);
    }

    /** Audio frames lost before the second mark: the gap is filled, so the audio after it is not early. */
    @Test
    void lostAudioFramesLeaveNoOffset(@TempDir Path dir) throws Exception {
        List<FlvReader.Tag> clip = AvMarks.clip(dir, "marks", 320, 180, 3);
        // About 100 ms of audio missing from 1.3 s on, as a publisher that lost frames would send it.
        List<FlvReader.Tag> holed = clip.stream()
                .filter(t -> t.type() != 8 || t.timestampMs() < 1300 || t.timestampMs() >= 1400).toList();
        assertTrue(clip.size() - holed.size() >= 4, "the hole holds audio frames");
        TranscodeProfile p = ConfigLoader.parse("transcode:\n  profiles:\n" + PROFILE.indent(4), "t.yaml",
                Map.of()).transcode().profiles().get("p");
        StreamHub hub = new StreamHub(GopCacheLimits.OFF);
        Subscription out = hub.subscribePassive("t/src@p", "test", new QueueLimits(1L << 30, 3_600_000,
                Duration.ofHours(1)), SubscriberQueue.Listener.NONE);
        OfflineTranscode.run(FfmpegRuntime.load(Optional.empty()), hub, "t/src", List.of(p), holed);
        List<FlvReader.Tag> got = new ArrayList<>();
        for (List<Delivery> batch; (batch = out.queue().take(1000, 200, TimeUnit.MILLISECONDS)) != null
                && !batch.isEmpty(); ) {
            for (Delivery d : batch) {
                if (d instanceof Frame f && f.kind() != Frame.Kind.DATA) {
                    got.add(new FlvReader.Tag(f.kind() == Frame.Kind.AUDIO ? 8 : 9, f.timestampMs(), f.payload()));
                }
            }
        }
        out.close();
        AvMarks.Marks ours = AvMarks.of(got);
        System.out.println("lip sync, lost audio frames: ours " + ours);
        assertSynced(ours, 3);
    }

    private static void assertSynced(AvMarks.Marks marks, int expected) {
        assertEquals(expected, marks.offsetsMs().size(), "every flash found with its beep: " + marks);
        assertTrue(marks.worstOffsetMs() <= MAX_OFFSET_MS, "audio - video within " + MAX_OFFSET_MS + " ms: " + marks);
    }

    /** The ffmpeg CLI's rendition of the same input with the same settings, as the same reader measures it. */
    private static AvMarks.Marks cli(Path dir, Path input) throws Exception {
        Path out = dir.resolve("cli.flv");
        AvMarks.run(dir, "cli", List.of("-i", input.toString(), "-c:v", "libx264", "-preset", "ultrafast",
                "-s", "160x90", "-b:v", "200k", "-c:a", "aac", "-b:a", "64k", "-ar", "44100", "-ac", "1",
                "-f", "flv", "-y", out.toString()));
        AvMarks.Marks m = AvMarks.of(AvMarks.read(out));
        assertEquals(9, m.offsetsMs().size(), "the reader finds every mark in the CLI's output too: " + m);
        return m;
    }
}
