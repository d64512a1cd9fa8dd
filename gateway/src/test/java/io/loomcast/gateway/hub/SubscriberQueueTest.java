package io.loomcast.gateway.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SubscriberQueueTest {
    private final AtomicLong clockNanos = new AtomicLong();
    private final List<String> bursts = new ArrayList<>();
    private final List<String> closes = new ArrayList<>();
    private final SubscriberQueue.Listener listener = new SubscriberQueue.Listener() {
        @Override
        public void available() {}

        @Override
        public void burstStarted(String reason) {
            bursts.add(reason);
        }

        @Override
        public void closed(String reason) {
            closes.add(reason);
        }
    };

    private SubscriberQueue queue(long maxBytes, long maxMs) {
        return new SubscriberQueue(new QueueLimits(maxBytes, maxMs, Duration.ofSeconds(10)), clockNanos::get, listener);
    }

    private static Frame video(long ts, boolean key) {
        return Frame.video(ts, new byte[100], key, false);
    }

    private static List<Delivery> drain(SubscriberQueue q) throws InterruptedException {
        List<Delivery> out = new ArrayList<>();
        List<Delivery> batch;
        while ((batch = q.take(1000, 0, TimeUnit.MILLISECONDS)) != null && !batch.isEmpty()) {
            out.addAll(batch);
        }
        return out;
    }

    @Test
    void overflowWithVideoKeepsConfigAndSkipsToTheNextKeyframe() throws Exception {
        SubscriberQueue q = queue(1000, 60_000);
        Frame config = Frame.video(0, new byte[40], true, true);
        Frame meta = Frame.data(0, new byte[30], true);
        q.offer(meta);
        q.offer(config);
        for (int i = 0; i < 12; i++) {
            q.offer(video(i * 40L, i == 0));
        }
        // The 10th frame pushed past 1000 bytes: everything but config/metadata went, the rest waits for a key.
        q.offer(video(600, false));
        Frame key = video(640, true);
        q.offer(key);
        Frame after = video(680, false);
        q.offer(after);
        assertEquals(List.of(meta, config, key, after), drain(q));
        assertEquals(1, q.dropBursts());
        assertEquals(1, bursts.size());
        assertTrue(bursts.getFirst().contains("limits 1000 bytes"), bursts.getFirst());
        assertEquals(13, q.droppedFrames(), "10 shed from the queue, then 3 skipped while waiting for a keyframe");
        assertEquals(0, q.queuedBytes());
    }

    @Test
    void durationBoundShedsToo() throws Exception {
        SubscriberQueue q = queue(1 << 20, 1000);
        q.offer(video(0, true));
        q.offer(video(900, false));
        assertEquals(0, q.droppedFrames());
        q.offer(video(1100, false));
        assertEquals(3, q.droppedFrames());
        assertEquals(List.of(), drain(q));
    }

    @Test
    void audioOnlyDropsTheOldest() throws Exception {
        SubscriberQueue q = queue(350, 60_000);
        Frame aacConfig = Frame.audio(0, new byte[2], true);
        q.offer(aacConfig);
        for (int i = 0; i < 5; i++) {
            q.offer(Frame.audio(i * 23L, new byte[100], false));
        }
        List<Delivery> got = drain(q);
        assertEquals(aacConfig, got.getFirst());
        assertEquals(4, got.size(), "config + the 3 newest frames fit in 350 bytes");
        assertEquals(92, ((Frame) got.getLast()).timestampMs());
        assertEquals(2, q.droppedFrames());
    }

    @Test
    void noticesAreKeptInOrder() throws Exception {
        SubscriberQueue q = queue(1 << 20, 60_000);
        Frame a = video(0, true);
        q.offer(a);
        q.offer(StreamNotice.SOURCE_ENDED);
        q.offer(StreamNotice.SOURCE_STARTED);
        assertEquals(List.of(a, StreamNotice.SOURCE_ENDED, StreamNotice.SOURCE_STARTED), drain(q));
    }

    @Test
    void aSubscriberThatMakesNoProgressIsClosedWithAReason() throws Exception {
        SubscriberQueue q = queue(1 << 20, 60_000);
        q.offer(video(0, true));
        clockNanos.addAndGet(Duration.ofSeconds(11).toNanos());
        q.offer(video(40, false));
        assertNotNull(q.closedReason());
        assertTrue(closes.getFirst().startsWith("no progress for 10000 ms"), closes.getFirst());
        q.offer(video(80, false));
        assertEquals(2, q.take(10, 0, TimeUnit.MILLISECONDS).size(), "what was queued before the close still drains");
        assertNull(q.take(10, 0, TimeUnit.MILLISECONDS), "then the consumer learns it is closed");
    }

    @Test
    void timeWithNothingQueuedIsNotAStall() throws Exception {
        SubscriberQueue q = queue(1 << 20, 60_000);
        clockNanos.addAndGet(Duration.ofSeconds(11).toNanos());
        q.offer(video(0, true));
        assertNull(q.closedReason(), "a subscriber that waited for the source to start is not behind");
        q.take(10, 0, TimeUnit.MILLISECONDS);
        q.progressed();
        clockNanos.addAndGet(Duration.ofSeconds(11).toNanos());
        q.offer(video(40, false));
        assertNull(q.closedReason(), "a source that paused longer than the stall timeout does not close its subscribers");
        clockNanos.addAndGet(Duration.ofSeconds(11).toNanos());
        q.offer(video(80, false));
        assertNotNull(q.closedReason(), "but data left waiting that long is a stall");
    }

    @Test
    void progressKeepsASlowButMovingSubscriberOpen() throws Exception {
        SubscriberQueue q = queue(1 << 20, 60_000);
        for (int i = 0; i < 5; i++) {
            q.offer(video(i * 40L, i == 0));
            clockNanos.addAndGet(Duration.ofSeconds(6).toNanos());
            q.take(1, 0, TimeUnit.MILLISECONDS);
            q.progressed();
        }
        assertNull(q.closedReason());
    }

    @Test
    void takeWaitsForAnOfferFromAnotherThread() throws Exception {
        SubscriberQueue q = queue(1 << 20, 60_000);
        Frame f = video(0, true);
        Thread.ofVirtual().start(() -> q.offer(f));
        List<Delivery> got = q.take(10, 10, TimeUnit.SECONDS);
        assertEquals(List.of(f), got);
    }

    @Test
    void awaitKeyframeSkipsLeadingInterFrames() throws Exception {
        SubscriberQueue q = queue(1 << 20, 60_000);
        q.awaitKeyframe();
        q.offer(video(0, false));
        Frame key = video(40, true);
        q.offer(key);
        assertEquals(List.of(key), drain(q));
        assertFalse(q.droppedFrames() == 0);
    }
}
