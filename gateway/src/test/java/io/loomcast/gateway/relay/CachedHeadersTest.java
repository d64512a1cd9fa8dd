package io.loomcast.gateway.relay;

import static io.loomcast.gateway.relay.Relays.describe;
import static io.loomcast.gateway.relay.Relays.local;
import static io.loomcast.gateway.relay.Relays.push;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.GatewayConfig;
import io.loomcast.gateway.testing.TapProxy;
import io.loomcast.gateway.hub.Frame;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.protocol.PeerClosedException;
import io.loomcast.gateway.protocol.message.MessageTypes;
import io.loomcast.gateway.routing.RelayState;
import io.loomcast.gateway.testing.ExternalPeer;
import io.loomcast.gateway.testing.HubRecorder;
import io.loomcast.gateway.testing.NginxRtmp;
import io.loomcast.gateway.testing.NodeMediaServer;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.SourceClip;
import java.io.BufferedInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cached metadata and sequence headers go out stamped with the time of the keyframe they precede, not the time
 * they were first seen, whoever gets them late: a player joining a stream 7 s in, and pushes that reconnect 7 s
 * in (node-media-server killed and restarted; the connection to nginx-rtmp cut). Anything that measures from
 * the first timestamp otherwise sees a jump of the stream's age: {@code ffprobe -read_intervals %+6} decodes
 * nothing, recorders and segmenters see a gap. ffprobe and rtmpdump read late from the gateway, ffprobe reads
 * late from node-media-server, and rtmpdump records at nginx across the push's reconnect.
 */
class CachedHeadersTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How far into the stream the late ones join: past ffprobe's 6 s interval. */
    private static final int LATE_SECONDS = 7;

    @TempDir
    Path dir;

    private static GatewayConfig config(NodeMediaServer nms, TapProxy toNginx) throws Exception {
        return Relays.config(Relays.FAST_RELAY, """
                - stream: live/late
                  push: [%s, %s]
                """.formatted(nms.url("live/late"), toNginx.url("dest/late")));
    }

    @Test
    void lateJoinersGetTheHeadersAtTheirKeyframesTime() throws Exception {
        try (Resources r = new Resources();
             NodeMediaServer nms = NodeMediaServer.start(Files.createDirectories(dir.resolve("nms")));
             NginxRtmp nginx = NginxRtmp.start(Files.createDirectories(dir.resolve("nginx")),
                     NginxRtmp.Options.withApps("dest"));
             TapProxy toNginx = new TapProxy(nginx.port());
             Gateway gw = Gateway.start(config(nms, toNginx))) {
            String source = local(gw, "live/late");
            Path atNginx = dir.resolve("nginx.flv");
            ExternalPeer nginxRecorder = r.add(rtmpdump(nginx.url("dest/late"), atNginx, "nginx-rtmpdump.log"));
            HubRecorder hub = r.add(HubRecorder.subscribePassive(gw.hub(), "live/late"));
            r.add(SourceClip.get().publish(dir.resolve("publisher.log"), source, -1));
            hub.recorded().await(rec -> videoSpanMs(rec.frames()) >= LATE_SECONDS * 1000L, WAIT,
                    LATE_SECONDS + " s of the stream");

            // The destinations' side: node-media-server goes away and comes back, and the connection to nginx
            // drops; both pushes reconnect and start again from the GOP cache.
            long cut = System.nanoTime();
            nms.kill();
            nms.restart();
            toNginx.cutAll();
            // And the late players of the gateway itself.
            Path fromUs = dir.resolve("late.flv");
            ExternalPeer lateRecorder = r.add(rtmpdump(source, fromUs, "late-rtmpdump.log"));
            ExternalPeer probeUs = r.add(readInterval(source, "ffprobe-us.log"));
            Poll.until(() -> push(gw, "live/").connects() >= 2 && push(gw, "live/").state() == RelayState.LIVE,
                    WAIT, "the push to node-media-server reconnected", () -> describe(gw));
            Poll.until(() -> push(gw, "dest/").connects() >= 2 && push(gw, "dest/").state() == RelayState.LIVE, WAIT,
                    "the push to nginx reconnected", () -> describe(gw));
            long outageMs = (System.nanoTime() - cut) / 1_000_000;
            ExternalPeer probeNms = r.add(readInterval(nms.url("live/late"), "ffprobe-nms.log"));
            Path fromNms = dir.resolve("nms.flv");
            ExternalPeer nmsRecorder = r.add(rtmpdump(nms.url("live/late"), fromNms, "nms-rtmpdump.log"));
            long nmsJoinedMs = (System.nanoTime() - cut) / 1_000_000;

            long nginxBefore = videoTags(atNginx);
            Poll.until(() -> videoTags(fromUs) >= SourceClip.FPS && videoTags(fromNms) >= SourceClip.FPS
                    && videoTags(atNginx) >= nginxBefore + SourceClip.FPS, WAIT, "a second of video at each rtmpdump",
                    () -> describe(gw));
            for (ExternalPeer recorder : List.of(lateRecorder, nmsRecorder, nginxRecorder)) {
                recorder.stop();
            }
            assertAll(
                    () -> assertDecodes("the gateway", probeUs),
                    () -> assertDecodes("node-media-server", probeNms),
                    () -> assertHeadersAtTheKeyframe("rtmpdump joining the gateway late", read(fromUs), 0),
                    // node-media-server gives a late player the headers as the reconnected push sent them, and the
                    // GOP it holds now: the headers are as old as the push's new connection, not as the stream.
                    () -> assertHeadersAtTheKeyframe("rtmpdump joining node-media-server after the push reconnected",
                            read(fromNms), nmsJoinedMs + 1_500),
                    // nginx passes on what the push sends: across its reconnect the timeline goes on where it was,
                    // not moved on by the age of the cached headers.
                    () -> assertNoJump("rtmpdump at nginx across the push's reconnect", read(atNginx),
                            outageMs + 2_000));
        }
    }

    private static void assertDecodes(String where, ExternalPeer probe) {
        assertEquals(0, probe.awaitExit(WAIT), "ffprobe of " + where + ":\n" + probe.output());
        long frames = Long.parseLong(probe.output().lines().filter(l -> l.matches("\\d+")).findFirst()
                .orElseThrow(() -> new AssertionError("no frame count from ffprobe:\n" + probe.output())));
        assertTrue(frames >= 3 * SourceClip.FPS, "ffprobe -read_intervals %%+6 decoded %d frames from %s"
                .formatted(frames, where));
    }

    /** rtmpdump recording a live stream as it arrives, timestamps untouched. */
    private ExternalPeer rtmpdump(String url, Path flv, String log) throws Exception {
        return ExternalPeer.start(dir.resolve(log), List.of(ExternalPeer.require("rtmpdump").toString(), "--live",
                "--quiet", "--rtmp", url, "--flv", flv.toString()));
    }

    /** ffprobe decoding the first 6 s of a stream, measured from its first timestamp; prints the video frame count. */
    private ExternalPeer readInterval(String url, String log) throws Exception {
        return ExternalPeer.start(dir.resolve(log), List.of(ExternalPeer.require("ffprobe").toString(), "-v", "error",
                "-read_intervals", "%+6", "-count_frames", "-select_streams", "v", "-show_entries",
                "stream=nb_read_frames", "-of", "csv=p=0", url));
    }

    /**
     * The recording starts with the AVC and AAC sequence headers and onMetaData (node-media-server passes no
     * metadata on; the order is the server's), then a keyframe; they carry the keyframe's timestamp, or one at
     * most {@code maxAgeMs} older.
     */
    private static void assertHeadersAtTheKeyframe(String who, List<Tag> tags, long maxAgeMs) {
        int key = -1;
        for (int i = 0; i < tags.size(); i++) {
            if (tags.get(i).keyframe()) {
                key = i;
                break;
            }
        }
        if (key < 2) {
            fail(who + ": no keyframe after the headers in " + tags.subList(0, Math.min(8, tags.size())));
        }
        List<Tag> start = tags.subList(0, key + 1);
        List<Integer> types = start.subList(0, key).stream().map(Tag::type).distinct().sorted().toList();
        assertTrue(types.equals(List.of(MessageTypes.AUDIO, MessageTypes.VIDEO))
                || types.equals(List.of(MessageTypes.AUDIO, MessageTypes.VIDEO, MessageTypes.DATA_AMF0)),
                who + ": the sequence headers (and metadata, if the server passes it on), then the keyframe: " + start);
        long keyTs = start.getLast().timestampMs();
        assertTrue(keyTs >= (LATE_SECONDS - 2) * 1000L, who + ": joined late, at " + keyTs);
        for (Tag t : start) {
            assertTrue(t.timestampMs() <= keyTs && keyTs - t.timestampMs() <= maxAgeMs, "%s: stamped with the "
                    .formatted(who) + "keyframe's time (at most " + maxAgeMs + " ms before): " + start);
        }
    }

    /** Per track, timestamps never go back nor step forward by more than {@code maxStepMs}. */
    private static void assertNoJump(String who, List<Tag> tags, long maxStepMs) {
        for (int type : new int[] {MessageTypes.AUDIO, MessageTypes.VIDEO}) {
            long last = -1;
            int n = 0;
            for (Tag t : tags) {
                if (t.type() != type) {
                    continue;
                }
                n++;
                if (last >= 0 && (t.timestampMs() < last || t.timestampMs() - last > maxStepMs)) {
                    fail("%s: type %d went from %d to %d at tag %d (at most %d ms forward)".formatted(who, type, last,
                            t.timestampMs(), n, maxStepMs));
                }
                last = t.timestampMs();
            }
            assertTrue(n > LATE_SECONDS * SourceClip.FPS / 2, who + ": only " + n + " tags of type " + type);
        }
    }

    /** A tag as rtmpdump wrote it. */
    private record Tag(int type, long timestampMs, boolean keyframe) {}

    private static List<Tag> read(Path file) throws Exception {
        List<Tag> out = new ArrayList<>();
        try (FlvReader r = new FlvReader(new BufferedInputStream(Files.newInputStream(file)), 1 << 24)) {
            for (FlvReader.Tag t; (t = r.next()) != null; ) {
                boolean key = t.type() == MessageTypes.VIDEO && FlvTags.parseVideo(t.body()).isKeyframe()
                        && !FlvTags.parseVideo(t.body()).isSequenceHeader();
                out.add(new Tag(t.type(), t.timestampMs(), key));
            }
        } catch (PeerClosedException truncated) {
            // rtmpdump was stopped mid-tag.
        }
        return out;
    }

    private static long videoTags(Path file) {
        try {
            return Files.exists(file) ? read(file).stream().filter(t -> t.type() == MessageTypes.VIDEO).count() : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    private static long videoSpanMs(List<io.loomcast.gateway.testing.MediaFrame> frames) {
        List<io.loomcast.gateway.testing.MediaFrame> video = frames.stream()
                .filter(f -> f.kind() == Frame.Kind.VIDEO && f.media()).toList();
        return video.isEmpty() ? 0 : video.getLast().timestampMs() - video.getFirst().timestampMs();
    }
}
