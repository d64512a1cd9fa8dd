package io.loomcast.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.hub.Delivery;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.hub.QueueLimits;
import io.loomcast.gateway.hub.StreamNotice;
import io.loomcast.gateway.hub.SubscriberQueue;
import io.loomcast.gateway.hub.Subscription;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.ChunkStreams;
import io.loomcast.gateway.protocol.message.MessageTypes;
import io.loomcast.gateway.testing.TwoSecondClip;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A publisher's media is read by the server's selector threads once it publishes, and its commands still run on
 * its session's own thread (issue 13, "Relay"): the hand-over in both directions loses nothing, and a failure
 * read on the selector ends that one session the way a blocking read would.
 */
class SelectedIngestTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    static List<FlvReader.Tag> tags;

    @BeforeAll
    static void media() throws Exception {
        tags = new ArrayList<>(TwoSecondClip.tags());
        tags.removeIf(t -> t.type() == 18); // metadata: the tests count media
    }

    private static void publishAll(RtmpClient client, int streamId) throws IOException {
        for (FlvReader.Tag t : tags) {
            int csid = t.type() == 8 ? ChunkStreams.AUDIO : ChunkStreams.VIDEO;
            client.send(new RawMessage(csid, t.type(), streamId, t.timestampMs(), t.body()), false);
        }
        client.flush();
    }

    /**
     * Takes deliveries until {@code frames} media frames came (with none, until a notice came), and returns the
     * notices seen on the way.
     */
    private static List<StreamNotice> awaitFrames(Subscription sub, int frames) throws InterruptedException {
        List<StreamNotice> notices = new ArrayList<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        int got = 0;
        while (frames > 0 ? got < frames : notices.isEmpty()) {
            assertTrue(System.nanoTime() - deadline < 0, "only " + got + " of " + frames + " frames came");
            List<Delivery> batch = sub.queue().take(256, 100, TimeUnit.MILLISECONDS);
            assertTrue(batch != null, "the subscription closed");
            for (Delivery d : batch) {
                switch (d) {
                    case Frame f when f.kind() != Frame.Kind.DATA -> got++;
                    case StreamNotice n -> notices.add(n);
                    default -> { }
                }
            }
        }
        return notices;
    }

    @Test
    void mediaComesFromASelectorThreadAndCommandsStillWorkAroundIt() throws Exception {
        try (Gateway gw = Gateway.start(ConfigLoader.parse("server: {listen: 127.0.0.1:0}", "t.yaml", Map.of()))) {
            String url = "rtmp://127.0.0.1:" + gw.rtmpAddress().getPort() + "/live/x";
            Set<String> deliveringThreads = ConcurrentHashMap.newKeySet();
            Subscription sub = gw.hub().subscribePassive("live/x", "test", QueueLimits.DEFAULT,
                    new SubscriberQueue.Listener() {
                        @Override
                        public void available() {
                            deliveringThreads.add(Thread.currentThread().getName());
                        }
                    });
            try (RtmpClient publisher = RtmpClient.connect(RtmpUrl.parse(url), ClientOptions.DEFAULT)) {
                int id = publisher.publish("x");
                // The publish command ran on the session's thread, which announced the source from there.
                assertEquals(List.of(StreamNotice.SOURCE_STARTED), awaitFrames(sub, 0));
                deliveringThreads.clear();
                publishAll(publisher, id);
                assertEquals(List.of(), awaitFrames(sub, tags.size()));
                assertFalse(deliveringThreads.isEmpty());
                assertTrue(deliveringThreads.stream().allMatch(n -> n.startsWith("ingest-reads-")),
                        "media delivered from " + deliveringThreads);

                // FCUnpublish and deleteStream go back to the session's thread, which ends the publication, and a
                // second publish on the same connection (answered, so run there too) is read by the selector again,
                // with nothing lost. Within server.unpublishGrace the subscriber hears of neither.
                publisher.unpublish("x", id);
                int again = publisher.publish("x");
                deliveringThreads.clear();
                publishAll(publisher, again);
                assertEquals(List.of(), awaitFrames(sub, tags.size()));
                assertTrue(deliveringThreads.stream().allMatch(n -> n.startsWith("ingest-reads-")),
                        "media delivered from " + deliveringThreads);
            } finally {
                sub.close();
            }
        }
    }

    @Test
    void aBrokenMessageReadOnTheSelectorEndsOnlyThatSession() throws Exception {
        try (Gateway gw = Gateway.start(ConfigLoader.parse("server: {listen: 127.0.0.1:0}", "t.yaml", Map.of()))) {
            String base = "rtmp://127.0.0.1:" + gw.rtmpAddress().getPort() + "/live/";
            Subscription sub = gw.hub().subscribePassive("live/ok", "test", QueueLimits.DEFAULT,
                    SubscriberQueue.Listener.NONE);
            try (RtmpClient good = RtmpClient.connect(RtmpUrl.parse(base + "ok"), ClientOptions.DEFAULT);
                 RtmpClient bad = RtmpClient.connect(RtmpUrl.parse(base + "bad"), ClientOptions.DEFAULT)) {
                int goodId = good.publish("ok");
                int badId = bad.publish("bad");
                publishAll(bad, badId);
                long errorsBefore = gw.rtmp().counters().protocolErrors.sum();
                // Set Chunk Size 0 breaks RTMP 5.4.1: the selector reads it, and the session must end over it.
                bad.send(new RawMessage(ChunkStreams.CONTROL, MessageTypes.SET_CHUNK_SIZE, 0, 0,
                        new byte[4]), true);
                assertThrows(IOException.class, () -> {
                    long deadline = System.nanoTime() + DEADLINE.toNanos();
                    while (System.nanoTime() - deadline < 0) {
                        bad.readRaw();
                    }
                }, "the server closes the broken publisher's connection");
                assertEquals(errorsBefore + 1, gw.rtmp().counters().protocolErrors.sum());
                // The other publisher, on the same selector threads, goes on being read.
                publishAll(good, goodId);
                awaitFrames(sub, tags.size());
            } finally {
                sub.close();
            }
        }
    }
}
