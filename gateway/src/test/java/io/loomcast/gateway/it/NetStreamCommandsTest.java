package io.loomcast.gateway.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.it.Playout.Join;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.message.AmfEncoding;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.testing.CommandPlayer;
import io.loomcast.gateway.testing.CommandPlayer.Kind;
import io.loomcast.gateway.testing.CommandPlayer.Seen;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.HubRecorder;
import io.loomcast.gateway.testing.MediaFrame;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.SourceClip;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NetStream commands beyond play, with our client as the player: play2 (switch, swap, reset, stop, append,
 * unknown names, AMF0 and AMF3 options), seek and pause on a live stream, and several plays on one connection.
 * Two streams play throughout, each published by ffmpeg looping a file: {@code live/a} at 320x180 and
 * {@code live/b} at 160x120, so a player's onMetaData says which one it is on.
 */
class NetStreamCommandsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String TRANSITION = "NetStream.Play.Transition";
    private static final String COMPLETE = "NetStream.Play.TransitionComplete";

    @TempDir
    static Path dir;
    static Gateway gateway;
    static Resources running;
    static TestMedia small;

    @BeforeAll
    static void twoLiveStreams() throws Exception {
        small = TestMedia.generate(dir, "b", 160, 120, 25, 3, 25, "100k");
        running = new Resources();
        gateway = TestGateway.start("");
        running.add(Peers.ffmpegLoop(SourceClip.get().file(), url("live/a"), dir.resolve("a.log")));
        running.add(Peers.ffmpegLoop(small.file(), url("live/b"), dir.resolve("b.log")));
        for (String s : List.of("live/a", "live/b")) {
            Poll.until(() -> gateway.hub().find(s).map(x -> x.live()).orElse(false), WAIT, s + " live", () -> "");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        running.close();
        gateway.close();
    }

    static String url(String path) {
        return TestGateway.url(gateway, path);
    }

    private static Predicate<Seen> status(String code) {
        return s -> (s.kind() == Kind.STATUS || s.kind() == Kind.PLAY_STATUS) && s.code().equals(code);
    }

    /** Connects, plays {@code name} on a new stream id, starts reading; returns the stream id. */
    private static int play(CommandPlayer p, String name) throws Exception {
        int id = p.client().createStream();
        p.client().play(id, name, -1);
        p.startReading();
        return id;
    }

    @Test
    void play2SwitchesAtTheNewStreamsNextKeyframeAndTimestampsGoOn() throws Exception {
        try (CommandPlayer p = CommandPlayer.connect(url("live/a"))) {
            int id = play(p, "a");
            p.awaitVideoFrames(id, 30, WAIT);
            assertEquals("320", firstMetadata(p.seen(), 0).code(), "a's metadata first: " + p);

            int before = p.seen().size();
            p.client().sendPlay2(id, "b", "a", "switch");
            int transition = p.await(before, status(TRANSITION), WAIT, "NetStream.Play.Transition");
            int complete = p.await(transition, status(COMPLETE), WAIT, "TransitionComplete");
            assertSwitchedTo(p, id, transition, complete, "160");
            p.awaitVideoFrames(id, 30, WAIT);
            Poll.until(() -> TestGateway.subscribers(gateway, "live/a") == 0, WAIT, "the old play of a closed",
                    () -> "a has " + TestGateway.subscribers(gateway, "live/a"));

            // And back, naming the stream it now plays as the old one; AMF3 options as a Flash client sends them.
            before = p.seen().size();
            Map<String, AmfValue> options = new LinkedHashMap<>();
            options.put("streamName", new AmfValue.Str("a"));
            options.put("oldStreamName", new AmfValue.Str("b"));
            options.put("transition", new AmfValue.Str("swap"));
            options.put("start", new AmfValue.Num(-2));
            options.put("len", new AmfValue.Num(-1));
            p.client().send(new CommandMessage(AmfEncoding.AMF3, id, 0, "play2", 0, AmfValue.NULL, List.of(
                    new AmfValue.Amf3Object("flash.net.NetStreamPlayOptions", false, options, Map.of()))));
            transition = p.await(before, status(TRANSITION), WAIT, "Transition for the AMF3 play2");
            int back = p.await(transition, status(COMPLETE), WAIT, "TransitionComplete back to a");
            assertSwitchedTo(p, id, transition, back, "320");
            p.awaitVideoFrames(id, 25, WAIT);
            assertMonotonic(p.seen(id));
            assertTrue(p.seen().stream().noneMatch(s -> s.code().startsWith("_error")), p.toString());
        }
    }

    @Test
    void play2RefusalsLeaveTheOldStreamPlayingAndResetAndStopWork() throws Exception {
        try (CommandPlayer p = CommandPlayer.connect(url("live/a"))) {
            int id = play(p, "a");
            p.awaitVideoFrames(id, 5, WAIT);
            String[][] refused = {
                {"nosuch", "", "switch", "NetStream.Play.StreamNotFound"},
                {"b", "", "append", "NetStream.Play.Failed"},
                {"b", "", "appendAndWait", "NetStream.Play.Failed"},
                {"b", "notplaying", "switch", "NetStream.Play.Failed"},
                {"b", "", "fade", "NetStream.Play.Failed"},
            };
            for (String[] r : refused) {
                int before = p.seen().size();
                p.client().sendPlay2(id, r[0], r[1], r[2]);
                p.await(before, status(r[3]), WAIT, r[3] + " for play2 " + String.join(" ", r));
                p.awaitVideoFrames(id, 3, WAIT); // the old stream plays on
            }
            assertTrue(p.seen().stream().noneMatch(s -> s.code().equals(TRANSITION) || s.code().equals(COMPLETE)
                    || s.kind() == Kind.METADATA && s.code().equals("160")), "nothing switched: " + p);

            int before = p.seen().size();
            p.client().sendPlay2(id, "b", "", "reset");
            int reset = p.await(before, status("NetStream.Play.Reset"), WAIT, "Play.Reset");
            int start = p.await(reset, status("NetStream.Play.Start"), WAIT, "Play.Start after the reset");
            int meta = p.await(start, s -> s.kind() == Kind.METADATA, WAIT, "b's metadata");
            assertEquals("160", p.seen().get(meta).code(), p.toString());
            int begin = p.indexOf(before, s -> s.kind() == Kind.STREAM_BEGIN && s.streamId() == id);
            assertTrue(begin >= 0 && begin < reset, "Stream Begin before Play.Reset: " + p);
            Poll.until(() -> TestGateway.subscribers(gateway, "live/a") == 0, WAIT, "a no longer played", p::toString);
            p.awaitVideoFrames(id, 5, WAIT);

            int beforeStop = p.seen().size();
            p.client().sendPlay2(id, "", "", "stop");
            p.await(beforeStop, status("NetStream.Play.Stop"), WAIT, "Play.Stop");
            assertTrue(p.indexOf(beforeStop, s -> s.kind() == Kind.STREAM_EOF && s.streamId() == id) >= 0, p.toString());
            Poll.until(() -> TestGateway.subscribers(gateway, "live/b") == 0, WAIT, "b no longer played", p::toString);
            assertTrue(p.seen().stream().noneMatch(s -> s.code().startsWith("_error")), p.toString());
        }
    }

    @Test
    void seekAndUnpauseRestartAtTheNewestKeyframeWithHeadersFirstAndTimestampsForward() throws Exception {
        try (HubRecorder hub = HubRecorder.subscribePassive(gateway.hub(), "live/a");
             CommandPlayer p = CommandPlayer.connect(url("live/a"))) {
            int id = play(p, "a");
            p.awaitVideoFrames(id, 40, WAIT);

            int before = p.seen().size();
            p.client().seek(id, 5_000);
            int notify = p.await(before, status("NetStream.Seek.Notify"), WAIT, "Seek.Notify");
            int begin = p.await(notify, s -> s.kind() == Kind.STREAM_BEGIN, WAIT, "Stream Begin after Seek.Notify");
            int start = p.await(begin, status("NetStream.Play.Start"), WAIT, "Play.Start after the seek");
            int key = p.await(start, Seen::keyframe, WAIT, "a keyframe after the seek");
            List<Seen> all = p.seen();
            assertEquals(List.of(Kind.METADATA, Kind.VIDEO, Kind.AUDIO, Kind.VIDEO),
                    all.subList(start + 1, key + 1).stream().map(Seen::kind).toList(),
                    "metadata and sequence headers, then the keyframe: " + all.subList(start, key + 1));
            long lastBefore = lastMediaTs(all.subList(0, notify));
            Seen k = all.get(key);
            assertEquals(lastBefore + 1, k.timestampMs(), "the GOP restarts just after what was sent: " + p);
            for (int i = start + 1; i < key; i++) {
                assertEquals(k.timestampMs(), all.get(i).timestampMs(), "headers stamped with the keyframe's time");
            }
            // The newest keyframe held is the one this GOP started with, which the player had already.
            assertArrayEquals(lastKeyframe(all.subList(0, notify)).payload(), k.payload(),
                    "the seek restarts at the newest keyframe held");
            p.awaitVideoFrames(id, 10, WAIT);

            before = p.seen().size();
            p.client().pause(id, true, 0);
            int paused = p.await(before, status("NetStream.Pause.Notify"), WAIT, "Pause.Notify");
            long keyframesAtPause = keyframes(hub);
            hub.recorded().await(r -> keyframes(hub) >= keyframesAtPause + 2, WAIT, "two keyframes while paused");
            long newest = newestKeyframeTs(hub);
            int resumeFrom = p.seen().size();
            assertTrue(p.seen().subList(paused, resumeFrom).stream().noneMatch(Seen::media),
                    "no media while paused: " + p);
            p.client().pause(id, false, 0);
            int unpaused = p.await(resumeFrom, status("NetStream.Unpause.Notify"), WAIT, "Unpause.Notify");
            int first = p.await(unpaused, Seen::keyframe, WAIT, "a keyframe after unpausing");
            all = p.seen();
            assertEquals(List.of(Kind.METADATA, Kind.VIDEO, Kind.AUDIO, Kind.VIDEO),
                    all.subList(unpaused + 1, first + 1).stream().map(Seen::kind).toList(), p.toString());
            assertTrue(all.get(first).timestampMs() >= newest, "resumed at the newest keyframe (%d), not the backlog: %s"
                    .formatted(newest, all.get(first)));
            p.awaitVideoFrames(id, 10, WAIT);
            assertTrue(p.seen().subList(unpaused, p.seen().size()).stream()
                    .noneMatch(s -> s.video() && s.frame() && s.timestampMs() < newest), "nothing from the pause: " + p);
            assertMonotonic(p.seen(id));
            assertTrue(p.seen().stream().noneMatch(s -> s.code().startsWith("_error")), "never _error: " + p);
        }
    }

    @Test
    void severalPlaysOnOneConnectionEachOnItsOwnStreamIdThenResetReplacesOne() throws Exception {
        try (Resources r = new Resources()) {
            HubRecorder c = r.add(HubRecorder.subscribe(gateway.hub(), "live/c"));
            HubRecorder d = r.add(HubRecorder.subscribe(gateway.hub(), "live/d"));
            CommandPlayer p = r.add(CommandPlayer.connect(url("live/c")));
            int first = p.client().createStream();
            int second = p.client().createStream();
            assertTrue(first != second, "two stream ids");
            p.client().play(first, "c", -1);
            p.client().play(second, "d", -1);
            p.startReading();
            ExternalPeer pubC = r.add(Peers.ffmpegPublish(small.file(), url("live/c"), dir.resolve("c.log"), List.of()));
            ExternalPeer pubD = r.add(Peers.ffmpegPublish(small.file(), url("live/d"), dir.resolve("d.log"), List.of()));
            assertEquals(0, pubC.awaitExit(WAIT), pubC.output());
            assertEquals(0, pubD.awaitExit(WAIT), pubD.output());
            for (int id : new int[] {first, second}) {
                p.await(0, s -> s.streamId() == id && s.code().equals("NetStream.Play.UnpublishNotify"), WAIT,
                        "the end of the stream on id " + id);
            }
            Playout.assertPlayed("live/c on stream " + first, c.frames(), frames(p.seen(first)), Join.BEFORE_PUBLISH, 0);
            Playout.assertPlayed("live/d on stream " + second, d.frames(), frames(p.seen(second)), Join.BEFORE_PUBLISH, 0);

            int before = p.seen().size();
            p.client().send(new CommandMessage(AmfEncoding.AMF0, first, 0, CommandMessage.PLAY, 0, AmfValue.NULL,
                    List.of(new AmfValue.Str("d"), new AmfValue.Num(-1), new AmfValue.Num(-1), AmfValue.Bool.TRUE)));
            p.await(before, s -> s.streamId() == first && s.code().equals("NetStream.Play.Reset"), WAIT, "Play.Reset");
            Poll.until(() -> TestGateway.subscribers(gateway, "live/c") == 1, WAIT, "c left to its reference",
                    () -> "c has " + TestGateway.subscribers(gateway, "live/c"));
            HubRecorder again = r.add(HubRecorder.subscribe(gateway.hub(), "live/d"));
            int mark = p.seen().size();
            ExternalPeer pubD2 = r.add(Peers.ffmpegPublish(small.file(), url("live/d"), dir.resolve("d2.log"), List.of()));
            assertEquals(0, pubD2.awaitExit(WAIT), pubD2.output());
            for (int id : new int[] {first, second}) {
                p.await(mark, s -> s.streamId() == id && s.code().equals("NetStream.Play.UnpublishNotify"), WAIT,
                        "the end of d's second run on id " + id);
            }
            List<Seen> after = p.seen().subList(mark, p.seen().size());
            for (int id : new int[] {first, second}) {
                Playout.assertPlayed("live/d's second run on stream " + id, again.frames(),
                        frames(after.stream().filter(s -> s.streamId() == id).toList()), Join.BEFORE_PUBLISH, 0);
            }
        }
    }

    /**
     * After TransitionComplete: the new stream's metadata (its width), AVC and AAC sequence headers, then its
     * keyframe, all on {@code id}, stamped with that keyframe's time; before it, since the request, nothing of
     * the new stream; across it, no step back and no gap.
     */
    private static void assertSwitchedTo(CommandPlayer p, int id, int transition, int complete, String width) {
        int key = p.await(complete, Seen::keyframe, WAIT, "the new stream's keyframe");
        List<Seen> all = p.seen();
        List<Seen> start = all.subList(complete + 1, key + 1);
        assertEquals(List.of(Kind.METADATA, Kind.VIDEO, Kind.AUDIO, Kind.VIDEO), start.stream().map(Seen::kind).toList(),
                "metadata, sequence headers, keyframe after TransitionComplete: " + start);
        assertTrue(start.get(1).config() && start.get(2).config(), "sequence headers: " + start);
        assertEquals(width, start.getFirst().code(), "the new stream's metadata: " + start);
        long keyTs = start.getLast().timestampMs();
        for (Seen s : all.subList(complete, key + 1)) {
            assertEquals(id, s.streamId(), "on the play's stream id: " + s);
            assertEquals(keyTs, s.timestampMs(), "stamped with the keyframe's time: " + s);
        }
        assertTrue(all.subList(transition, complete).stream().noneMatch(s -> s.kind() == Kind.METADATA || s.config()),
                "the old stream until the switch, nothing of the new: " + all.subList(transition, complete));
        long last = lastMediaTs(all.subList(0, complete));
        assertEquals(last + 1, keyTs, "the new stream follows the last frame sent by 1 ms: " + p);
    }

    private static Seen firstMetadata(List<Seen> seen, int from) {
        return seen.subList(from, seen.size()).stream().filter(s -> s.kind() == Kind.METADATA).findFirst()
                .orElseThrow(() -> new AssertionError("no metadata in " + seen));
    }

    private static long lastMediaTs(List<Seen> seen) {
        return seen.stream().filter(Seen::media).mapToLong(Seen::timestampMs).max()
                .orElseThrow(() -> new AssertionError("no media in " + seen));
    }

    private static Seen lastKeyframe(List<Seen> seen) {
        for (int i = seen.size() - 1; i >= 0; i--) {
            if (seen.get(i).keyframe()) {
                return seen.get(i);
            }
        }
        return fail("no keyframe in " + seen);
    }

    private static long keyframes(HubRecorder hub) {
        return hub.frames().stream().filter(MediaFrame::keyframe).count();
    }

    private static long newestKeyframeTs(HubRecorder hub) {
        return hub.frames().stream().filter(MediaFrame::keyframe).mapToLong(MediaFrame::timestampMs).max().orElseThrow();
    }

    /** Per track, timestamps never go back. */
    private static void assertMonotonic(List<Seen> seen) {
        for (Kind kind : List.of(Kind.AUDIO, Kind.VIDEO)) {
            long last = -1;
            for (Seen s : seen) {
                if (s.kind() == kind) {
                    assertFalse(s.timestampMs() < last, kind + " went back from " + last + " to " + s);
                    last = s.timestampMs();
                }
            }
        }
    }

    private static List<MediaFrame> frames(List<Seen> seen) {
        List<MediaFrame> out = new ArrayList<>();
        for (Seen s : seen) {
            if (s.media()) {
                out.add(MediaFrame.of(s.kind() == Kind.AUDIO ? Frame.Kind.AUDIO : Frame.Kind.VIDEO, s.timestampMs(),
                        s.payload(), s.arrivalNanos()));
            }
        }
        return out;
    }
}
