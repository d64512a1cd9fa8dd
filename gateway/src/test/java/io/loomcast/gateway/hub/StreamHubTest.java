package io.loomcast.gateway.hub;

import static io.loomcast.gateway.hub.Frame.Kind.AUDIO;
import static io.loomcast.gateway.hub.Frame.Kind.DATA;
import static io.loomcast.gateway.hub.Frame.Kind.VIDEO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamHubTest {

    private final StreamHub hub = new StreamHub(GopCacheLimits.DEFAULT);

    /** Everything the subscription holds now, without waiting for more. */
    static List<Delivery> drain(Subscription s) throws InterruptedException {
        List<Delivery> out = new ArrayList<>();
        List<Delivery> batch;
        while (!(batch = s.queue().take(1000, 0, TimeUnit.MILLISECONDS)).isEmpty()) {
            out.addAll(batch);
        }
        return out;
    }

    private static void feedGop(Publication p, long startTs) {
        p.push(VIDEO, startTs, new byte[] {0x17, 0}, true, false);
        p.push(AUDIO, startTs + 10, new byte[] {(byte) 0xAF, 1}, false, false);
        p.push(VIDEO, startTs + 40, new byte[] {0x27, 1}, false, false);
    }

    @Test
    void aLateJoinerGetsMetadataConfigsThenTheGopFromItsKeyframe() throws Exception {
        Publication p = hub.publish("live/x", "pub").orElseThrow();
        p.push(DATA, 0, new byte[] {2}, false, true);
        p.push(VIDEO, 0, new byte[] {0x17, 0, 0}, true, true);
        p.push(AUDIO, 0, new byte[] {(byte) 0xAF, 0}, false, true);
        feedGop(p, 0);
        feedGop(p, 2000);
        Subscription s = hub.subscribe("live/x", "player", QueueLimits.DEFAULT, SubscriberQueue.Listener.NONE);
        List<Delivery> got = drain(s);
        assertEquals(6, got.size(), got.toString());
        assertTrue(((Frame) got.get(0)).kind() == DATA && ((Frame) got.get(1)).config());
        Frame first = (Frame) got.get(3);
        assertTrue(first.keyframe());
        assertEquals(2000, first.timestampMs());
    }

    @Test
    void withoutAGopCacheAPlayerWaitsForTheNextKeyframe() throws Exception {
        StreamHub noCache = new StreamHub(GopCacheLimits.OFF);
        Publication p = noCache.publish("live/x", "pub").orElseThrow();
        p.push(VIDEO, 0, new byte[] {0x17, 0, 0}, true, true);
        feedGop(p, 0);
        Subscription s = noCache.subscribe("live/x", "player", QueueLimits.DEFAULT, SubscriberQueue.Listener.NONE);
        p.push(VIDEO, 80, new byte[] {0x27, 1}, false, false);
        p.push(VIDEO, 120, new byte[] {0x17, 1}, true, false);
        List<Delivery> got = drain(s);
        assertEquals(2, got.size(), got.toString());
        assertTrue(((Frame) got.get(0)).config());
        assertEquals(120, ((Frame) got.get(1)).timestampMs());
    }

    @Test
    void aSecondPublisherIsRefusedAndTheFirstKeepsGoing() throws Exception {
        Publication first = hub.publish("live/x", "a").orElseThrow();
        assertTrue(hub.publish("live/x", "b").isEmpty());
        Subscription s = hub.subscribe("live/x", "player", QueueLimits.DEFAULT, SubscriberQueue.Listener.NONE);
        feedGop(first, 0);
        assertEquals(3, drain(s).size());
    }

    @Test
    void aPlayerStaysAcrossAPublisherRestartOnOneTimeline() throws Exception {
        Subscription s = hub.subscribe("live/x", "player", QueueLimits.DEFAULT, SubscriberQueue.Listener.NONE);
        Publication p1 = hub.publish("live/x", "a").orElseThrow();
        feedGop(p1, 5000);
        p1.close();
        Publication p2 = hub.publish("live/x", "a-again").orElseThrow();
        feedGop(p2, 0);
        List<Delivery> got = drain(s);
        assertEquals(StreamNotice.SOURCE_STARTED, got.get(0));
        assertEquals(StreamNotice.SOURCE_ENDED, got.get(4));
        assertEquals(StreamNotice.SOURCE_STARTED, got.get(5));
        long last = -1;
        for (Delivery d : got) {
            if (d instanceof Frame f && f.kind() == VIDEO) {
                assertTrue(f.timestampMs() > last, "video went back to " + f.timestampMs() + " after " + last);
                last = f.timestampMs();
            }
        }
        assertEquals(5041 + 40, last);
    }

    @Test
    void aStalledSubscriberDoesNotHoldUpItsSibling() throws Exception {
        QueueLimits small = new QueueLimits(10_000, 60_000, Duration.ofSeconds(30));
        Subscription stalled = hub.subscribe("live/x", "stalled", small, SubscriberQueue.Listener.NONE);
        Subscription reader = hub.subscribe("live/x", "reader", QueueLimits.DEFAULT, SubscriberQueue.Listener.NONE);
        Publication p = hub.publish("live/x", "pub").orElseThrow();
        int frames = 600;
        long[] received = new long[1];
        Thread drainer = Thread.ofVirtual().start(() -> {
            try {
                List<Delivery> batch;
                while ((batch = reader.queue().take(100, 10, TimeUnit.SECONDS)) != null && !batch.isEmpty()) {
                    received[0] += batch.stream().filter(d -> d instanceof Frame).count();
                    reader.queue().progressed();
                    if (received[0] == frames) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < frames; i++) {
            p.push(VIDEO, i * 33L, new byte[1000], i % 30 == 0, false);
            // Pace like a live source would relative to a reader that keeps up: never more than 1 s ahead.
            while (reader.queue().queuedBytes() > 30_000) {
                Thread.onSpinWait();
            }
        }
        drainer.join(Duration.ofSeconds(20));
        assertEquals(frames, received[0]);
        assertEquals(0, reader.queue().droppedFrames());
        assertTrue(stalled.queue().queuedBytes() <= 10_000, "bounded: " + stalled.queue().queuedBytes());
        assertTrue(stalled.queue().droppedFrames() > 500, "dropped " + stalled.queue().droppedFrames());
    }

    @Test
    void streamsAreForgottenWhenIdle() {
        Publication p = hub.publish("live/x", "pub").orElseThrow();
        Subscription s = hub.subscribe("live/x", "player", QueueLimits.DEFAULT, SubscriberQueue.Listener.NONE);
        p.close();
        assertTrue(hub.find("live/x").isPresent(), "still has a subscriber");
        s.close();
        assertTrue(hub.find("live/x").isEmpty());
    }

    @Test
    void aDemandHoldCountsAsOnePlayerUntilReleasedOnce() {
        List<String> heard = new ArrayList<>();
        hub.addListener(new HubListener() {
            @Override
            public void demandChanged(String stream, int demand) {
                heard.add(stream + "=" + demand);
            }
        });
        Subscription push = hub.subscribePassive("live/x", "push", QueueLimits.DEFAULT, SubscriberQueue.Listener.NONE);
        StreamHub.DemandHold hold = hub.holdDemand("live/x");
        Subscription player = hub.subscribe("live/x", "player", QueueLimits.DEFAULT, SubscriberQueue.Listener.NONE);
        assertEquals(2, hub.find("live/x").orElseThrow().demand(), "the hold and the player; not the push");
        player.close();
        push.close();
        assertTrue(hub.find("live/x").isPresent(), "a held stream is not forgotten");
        hold.close();
        hold.close();
        assertEquals(List.of("live/x=1", "live/x=2", "live/x=1", "live/x=0"), heard, "a second release is a no-op");
        assertTrue(hub.find("live/x").isEmpty(), "forgotten once the hold is released");
    }
}
