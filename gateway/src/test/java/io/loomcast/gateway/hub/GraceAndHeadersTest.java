package io.loomcast.gateway.hub;

import static io.loomcast.gateway.hub.Frame.Kind.AUDIO;
import static io.loomcast.gateway.hub.Frame.Kind.DATA;
import static io.loomcast.gateway.hub.Frame.Kind.VIDEO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hub's side of issue 10: the unpublish grace (a source back within it continues silently; past it the
 * subscribers hear it), and cached headers stamped with the time of the keyframe they precede, for late
 * joiners with and without a GOP cache, a new source, a play2 switch and a rejoin.
 */
class GraceAndHeadersTest {
    private static final byte[] META = {2};
    private static final byte[] AVC_HEADER = {0x17, 0, 0};
    private static final byte[] AAC_HEADER = {(byte) 0xAF, 0};

    private static void headers(Publication p, long ts) {
        p.push(DATA, ts, META, false, true);
        p.push(VIDEO, ts, AVC_HEADER, true, true);
        p.push(AUDIO, ts, AAC_HEADER, false, true);
    }

    /** A keyframe, audio, a P frame. */
    private static void gop(Publication p, long ts) {
        p.push(VIDEO, ts, new byte[] {0x17, 1}, true, false);
        p.push(AUDIO, ts + 10, new byte[] {(byte) 0xAF, 1}, false, false);
        p.push(VIDEO, ts + 40, new byte[] {0x27, 1}, false, false);
    }

    private static String show(List<Delivery> got) {
        StringBuilder sb = new StringBuilder();
        for (Delivery d : got) {
            sb.append(switch (d) {
                case StreamNotice n -> n.name();
                case Frame f -> f.kind().name().charAt(0) + (f.config() ? "h" : f.keyframe() ? "k" : "") + "@"
                        + f.timestampMs();
            }).append(' ');
        }
        return sb.toString().trim();
    }

    private static Subscription player(StreamHub hub, Stream.JoinAt at) {
        return hub.subscribe("live/x", "player", QueueLimits.DEFAULT, SubscriberQueue.Listener.NONE, at);
    }

    @Test
    void aLateJoinerGetsTheHeadersAtTheGopsKeyframeTime() throws Exception {
        StreamHub hub = new StreamHub(GopCacheLimits.DEFAULT);
        Publication p = hub.publish("live/x", "pub").orElseThrow();
        headers(p, 0);
        gop(p, 0);
        gop(p, 48_000);
        Subscription a = player(hub, Stream.JoinAt.CACHED_KEYFRAME);
        Subscription b = player(hub, Stream.JoinAt.CACHED_KEYFRAME);
        List<Delivery> got = StreamHubTest.drain(a);
        assertEquals("Dh@48000 Vh@48000 Ah@48000 Vk@48000 A@48010 V@48040", show(got));
        assertSame(got.getFirst(), StreamHubTest.drain(b).getFirst(), "two late joiners share one restamped copy, and its bytes");
    }

    @Test
    void withoutAGopTheHeadersWaitForTheNextKeyframeAndTakeItsTime() throws Exception {
        StreamHub hub = new StreamHub(GopCacheLimits.OFF);
        Publication p = hub.publish("live/x", "pub").orElseThrow();
        headers(p, 0);
        gop(p, 0);
        Subscription s = player(hub, Stream.JoinAt.CACHED_KEYFRAME);
        p.push(AUDIO, 7_010, new byte[] {(byte) 0xAF, 1}, false, false);
        p.push(VIDEO, 7_040, new byte[] {0x27, 1}, false, false);
        gop(p, 8_000);
        assertEquals("Dh@8000 Vh@8000 Ah@8000 Vk@8000 A@8010 V@8040", show(StreamHubTest.drain(s)));
    }

    @Test
    void aSwitchStartsAtTheNextKeyframeEvenWhenTheStreamSendsAudioFirst() throws Exception {
        StreamHub hub = new StreamHub(GopCacheLimits.DEFAULT);
        Subscription s = player(hub, Stream.JoinAt.NEXT_KEYFRAME); // not live yet, like a rendition starting
        Publication p = hub.publish("live/x", "rendition").orElseThrow();
        p.push(AUDIO, 100, AAC_HEADER, false, true);
        p.push(AUDIO, 100, new byte[] {(byte) 0xAF, 1}, false, false);
        p.push(AUDIO, 123, new byte[] {(byte) 0xAF, 1}, false, false);
        p.push(DATA, 500, META, false, true);
        p.push(VIDEO, 500, AVC_HEADER, true, true);
        gop(p, 500);
        assertEquals("SOURCE_STARTED Dh@500 Vh@500 Ah@500 Vk@500 A@510 V@540", show(StreamHubTest.drain(s)));
        // A live stream with a GOP: still the next keyframe, not the cached one.
        Subscription late = player(hub, Stream.JoinAt.NEXT_KEYFRAME);
        p.push(VIDEO, 580, new byte[] {0x27, 1}, false, false);
        gop(p, 1_500);
        assertEquals("Dh@1500 Vh@1500 Ah@1500 Vk@1500 A@1510 V@1540", show(StreamHubTest.drain(late)));
    }

    @Test
    void anAudioOnlyJoinerGetsItsHeaderAtTheFirstAudioFrame() throws Exception {
        StreamHub hub = new StreamHub(GopCacheLimits.DEFAULT);
        Publication p = hub.publish("live/x", "radio").orElseThrow();
        p.push(AUDIO, 0, AAC_HEADER, false, true);
        p.push(AUDIO, 0, new byte[] {(byte) 0xAF, 1}, false, false);
        Subscription s = player(hub, Stream.JoinAt.CACHED_KEYFRAME);
        p.push(AUDIO, 9_000, new byte[] {(byte) 0xAF, 1}, false, false);
        p.push(AUDIO, 9_023, new byte[] {(byte) 0xAF, 1}, false, false);
        assertEquals("Ah@9000 A@9000 A@9023", show(StreamHubTest.drain(s)));
    }

    @Test
    void aRejoinDropsTheBacklogAndRestartsAtTheNewestKeyframe() throws Exception {
        StreamHub hub = new StreamHub(GopCacheLimits.DEFAULT);
        Publication p = hub.publish("live/x", "pub").orElseThrow();
        headers(p, 0);
        Subscription s = player(hub, Stream.JoinAt.CACHED_KEYFRAME);
        gop(p, 0);
        gop(p, 1_000);
        gop(p, 2_000);
        s.rejoin();
        assertEquals("Dh@2000 Vh@2000 Ah@2000 Vk@2000 A@2010 V@2040", show(StreamHubTest.drain(s)));
    }

    @Test
    void aPublisherBackWithinTheGraceContinuesSilentlyAtItsFirstKeyframe() throws Exception {
        StreamHub hub = new StreamHub(GopCacheLimits.DEFAULT, Duration.ofSeconds(30));
        Subscription s = player(hub, Stream.JoinAt.CACHED_KEYFRAME);
        Publication first = hub.publish("live/x", "a").orElseThrow();
        headers(first, 0);
        gop(first, 0);
        first.close();
        Stream stream = hub.find("live/x").orElseThrow();
        assertTrue(stream.inGrace() && !stream.live());
        assertTrue(hub.known("live/x"), "a stream in its grace can be switched to");
        Publication second = hub.publish("live/x", "b").orElseThrow();
        assertFalse(stream.inGrace());
        headers(second, 0);
        second.push(VIDEO, 0, new byte[] {0x27, 1}, false, false); // joined its upstream mid-GOP
        second.push(AUDIO, 5, new byte[] {(byte) 0xAF, 1}, false, false);
        gop(second, 40);
        // The second source continues the timeline just after the first one's last frame (40): from 41 on.
        assertEquals("SOURCE_STARTED Dh@0 Vh@0 Ah@0 Vk@0 A@10 V@40 Dh@46 Vh@46 Ah@46 A@46 Vk@81 A@91 V@121",
                show(StreamHubTest.drain(s)));
    }

    @Test
    void pastTheGraceSubscribersHearThatTheSourceEnded() throws Exception {
        StreamHub hub = new StreamHub(GopCacheLimits.DEFAULT, Duration.ofMillis(200));
        Subscription s = player(hub, Stream.JoinAt.CACHED_KEYFRAME);
        Publication p = hub.publish("live/x", "a").orElseThrow();
        gop(p, 0);
        long closed = System.nanoTime();
        p.close();
        List<Delivery> got = new ArrayList<>(StreamHubTest.drain(s));
        assertFalse(got.contains(StreamNotice.SOURCE_ENDED), "not yet: " + show(got));
        Poll.until(() -> s.queue().ready(), Duration.ofSeconds(10), "SOURCE_ENDED", () -> "");
        assertTrue((System.nanoTime() - closed) / 1_000_000 >= 200, "after the grace");
        assertEquals(List.of(StreamNotice.SOURCE_ENDED), StreamHubTest.drain(s));
        assertFalse(hub.find("live/x").orElseThrow().inGrace());
        assertFalse(hub.known("live/x"));
    }
}
