package io.loomcast.gateway.transcode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.testing.CommandPlayer;
import io.loomcast.gateway.testing.CommandPlayer.Kind;
import io.loomcast.gateway.testing.CommandPlayer.Seen;
import io.loomcast.gateway.testing.Poll;
import io.loomcast.gateway.testing.Resources;
import io.loomcast.gateway.testing.SourceClip;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * play2 between a source and its renditions, the bitrates the server keeps of one content: a switch to
 * {@code app/name@PROFILE} starts that rendition as a player of it would, within {@code transcode.maxEncoders}.
 * With the one encoder busy the switch is accepted and waits, the source playing on; once the encoder is free
 * the rendition starts and the player moves to it at its first keyframe.
 */
class Play2RenditionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aSwitchToARenditionStartsItWithinTheEncoderCap(@TempDir Path dir) throws Exception {
        try (Resources r = new Resources();
             Gateway gateway = Gateway.start(ConfigLoader.parse("""
                     server: {listen: 127.0.0.1:0}
                     transcode:
                       onDemandIdle: 0
                       maxEncoders: 1
                       profiles:
                         low: {video: {height: 90, bitrate: 100k}}
                         busy: {video: {height: 72, bitrate: 80k}}
                     """, "t.yaml", Map.of()))) {
            TranscodeMetrics m = gateway.transcoder().metrics();
            String base = "rtmp://127.0.0.1:" + gateway.rtmpAddress().getPort() + "/live/";
            r.add(SourceClip.get().publish(dir.resolve("publisher.log"), base + "src", -1));
            Poll.until(() -> gateway.hub().find("live/src").map(s -> s.live()).orElse(false), WAIT, "the source live",
                    () -> "");
            CommandPlayer busy = r.add(CommandPlayer.connect(base + "src@busy"));
            int busyId = busy.client().createStream();
            busy.client().play(busyId, "src@busy", -1);
            busy.startReading();
            busy.awaitVideoFrames(busyId, 5, WAIT);
            assertEquals(1, m.videoEncodersOpen(), "the one encoder is busy: " + m);

            try (CommandPlayer p = CommandPlayer.connect(base + "src")) {
                int id = p.client().createStream();
                p.client().play(id, "src", -1);
                p.startReading();
                p.awaitVideoFrames(id, 10, WAIT);
                int before = p.seen().size();
                p.client().sendPlay2(id, "src@low", "src", "switch");
                int transition = p.await(before, status("NetStream.Play.Transition"), WAIT, "Transition");
                // Refused for the cap, the rendition waits for an encoder, and the source plays on meanwhile.
                p.awaitVideoFrames(id, 2 * SourceClip.FPS, WAIT);
                assertTrue(p.indexOf(transition, status("NetStream.Play.TransitionComplete")) < 0,
                        "no switch while the encoder is busy: " + p);
                assertEquals(1, m.videoEncodersOpen(), m.toString());

                busy.close(); // its rendition stops at once (onDemandIdle 0), freeing the encoder for low
                int complete = p.await(transition, status("NetStream.Play.TransitionComplete"), WAIT,
                        "TransitionComplete once the encoder was free");
                int key = p.await(complete, Seen::keyframe, WAIT, "the rendition's keyframe");
                List<Seen> all = p.seen();
                List<Seen> start = all.subList(complete + 1, key + 1);
                assertEquals(Kind.METADATA, start.getFirst().kind(), "the rendition's metadata first: " + start);
                assertEquals("160", start.getFirst().code(), "the rendition's width: " + start);
                assertTrue(start.stream().anyMatch(s -> s.video() && s.config()), "its AVC sequence header: " + start);
                long keyTs = start.getLast().timestampMs();
                assertTrue(start.stream().allMatch(s -> s.timestampMs() == keyTs && s.streamId() == id),
                        "on the play's id, stamped with the keyframe's time: " + start);
                long lastBefore = all.subList(0, complete).stream().filter(Seen::media).mapToLong(Seen::timestampMs)
                        .max().orElseThrow();
                assertEquals(lastBefore + 1, keyTs, "the rendition's timestamps follow the source's: " + p);
                p.awaitVideoFrames(id, SourceClip.FPS, WAIT);
                Poll.until(() -> m.videoEncodersOpen() == 1, WAIT, "low running alone", m::toString);
                assertEquals(Map.of("live/src", List.of("live/src@low")), gateway.transcoder().running());
            }
        }
    }

    private static Predicate<Seen> status(String code) {
        return s -> (s.kind() == Kind.STATUS || s.kind() == Kind.PLAY_STATUS) && s.code().equals(code);
    }
}
