package io.loomcast.gateway.relay;

import static io.loomcast.gateway.relay.Relays.local;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.SubscriberQueue;
import io.loomcast.gateway.hub.Subscription;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.ChunkStreams;
import io.loomcast.gateway.routing.RelayStatus;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpClient;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.RtmpRecorder;
import io.loomcast.gateway.testing.SourceClip;
import io.loomcast.gateway.testing.TwoSecondClip;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull over plain TCP is read by the relay's selector threads (issue 13, "Relay"), which feed the local stream
 * where they read it. Nothing may be lost on the way, and an upstream that goes quiet must still end the
 * connection after the read timeout (server.idleTimeout), as a blocking read did, so the pull reconnects.
 */
class SelectedPullTest {
    @TempDir
    Path dir;

    @Test
    void aPullsMediaComesFromTheRelaysSelectorThreadsAndAllOfItArrives() throws Exception {
        SourceClip clip = SourceClip.get();
        try (Gateway origin = Gateway.start(ConfigLoader.parse("server: {listen: 127.0.0.1:0}", "o.yaml", Map.of()));
             Gateway edge = Gateway.start(Relays.config(Relays.FAST_RELAY, """
                     - stream: live/x
                       pull: {urls: ["%s"], mode: always}
                     """.formatted(local(origin, "live/x"))))) {
            // Deliveries by thread: what the pull had read before the selector took over (the stream's data
            // message) comes from the pull's own thread, and everything after it from a selector thread.
            Map<String, Integer> deliveringThreads = new ConcurrentHashMap<>();
            Subscription tap = edge.hub().subscribePassive("live/x", "test tap", QueueLimits.DEFAULT,
                    new SubscriberQueue.Listener() {
                        @Override
                        public void available() {
                            deliveringThreads.merge(Thread.currentThread().getName(), 1, Integer::sum);
                        }
                    });
            Poll.until(() -> Relays.pull(edge).connects() > 0, Duration.ofSeconds(10), "the pull playing at the origin",
                    () -> Relays.describe(edge));
            // A player of the origin itself is the reference: the edge's player must get every frame it gets.
            RtmpRecorder reference = RtmpRecorder.start(local(origin, "live/x"), dir.resolve("reference.flv"));
            RtmpRecorder player = RtmpRecorder.start(local(edge, "live/x"), dir.resolve("player.flv"));
            try (ExternalPeer ffmpeg = clip.publish(dir.resolve("ffmpeg.log"), local(origin, "live/x"), 0)) {
                ffmpeg.awaitExit();
                // From the first keyframe on: the origin gives a player waiting for the source the audio frame
                // before it too, and the edge does not (with a blocking pull as well; left as it is).
                Poll.until(() -> reference.videoFrames() >= clip.videoFrames()
                                && fromKeyframe(player).equals(fromKeyframe(reference)),
                        Duration.ofSeconds(15), "the whole clip at a player of the edge, as at the origin",
                        () -> Relays.describe(edge, reference, player));
            } finally {
                player.close();
                reference.close();
                tap.close();
            }
            int selected = deliveringThreads.entrySet().stream().filter(e -> e.getKey().startsWith("pull-reads-"))
                    .mapToInt(Map.Entry::getValue).sum();
            int elsewhere = deliveringThreads.values().stream().mapToInt(Integer::intValue).sum() - selected;
            assertTrue(selected >= clip.videoFrames() && elsewhere <= 3,
                    "the pull's deliveries by thread: " + deliveringThreads);
        }
    }

    /** The coded frames from the first video keyframe on, as kind and timestamp. */
    private static List<String> fromKeyframe(RtmpRecorder r) {
        List<RtmpRecorder.Tag> tags = r.tags();
        int first = 0;
        while (first < tags.size() && !(tags.get(first).video() && tags.get(first).keyframe() && tags.get(first).frame())) {
            first++;
        }
        return tags.subList(first, tags.size()).stream().filter(RtmpRecorder.Tag::frame)
                .map(t -> (t.video() ? "v" : "a") + t.timestampMs()).toList();
    }

    @Test
    void anUpstreamThatFallsSilentIsLeftAfterTheReadTimeoutAndPulledAgain() throws Exception {
        List<FlvReader.Tag> tags = TwoSecondClip.tags();
        try (Gateway origin = Gateway.start(ConfigLoader.parse("server: {listen: 127.0.0.1:0}", "o.yaml", Map.of()));
             Gateway edge = Gateway.start(ConfigLoader.parse("""
                     server: {listen: 127.0.0.1:0, idleTimeout: 1s}
                     relay: {reconnect: {initialDelay: 1s, maxDelay: 1s}}
                     routes:
                       - stream: live/quiet
                         pull: {urls: ["%s"], mode: always}
                     """.formatted(local(origin, "live/quiet")), "edge.yaml", Map.of()));
             RtmpClient publisher = RtmpClient.connect(RtmpUrl.parse(local(origin, "live/quiet")),
                     ClientOptions.DEFAULT)) {
            int id = publisher.publish("quiet");
            for (FlvReader.Tag t : tags.subList(0, 20)) {
                if (t.type() != 18) {
                    int csid = t.type() == 8 ? ChunkStreams.AUDIO : ChunkStreams.VIDEO;
                    publisher.send(new RawMessage(csid, t.type(), id, t.timestampMs(), t.body()), true);
                }
            }
            // Still publishing, and sending nothing more: the pull hears nothing for longer than its read timeout,
            // says why while it waits a second to retry, and then plays again.
            Poll.until(() -> Relays.pull(edge).failures() >= 1, Duration.ofSeconds(15), "the quiet upstream left",
                    () -> Relays.describe(edge));
            RelayStatus failed = Relays.pull(edge);
            assertTrue(failed.lastError().contains("nothing from the upstream for 1000 ms"), failed.toString());
            Poll.until(() -> Relays.pull(edge).connects() >= 2, Duration.ofSeconds(15), "the upstream pulled again",
                    () -> Relays.describe(edge));
        }
    }
}
