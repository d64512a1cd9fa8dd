package io.loomcast.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.media.FlvReader;
import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.protocol.amf.Amf0Writer;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.ChunkStreams;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.VideoMessage;
import io.loomcast.gateway.testing.TwoSecondClip;
import io.loomcast.gateway.testing.NginxRtmp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our RTMP client against our own server and against nginx-rtmp, with media read from a real FLV file. */
class RtmpClientTest {
    static Path flv;
    static List<FlvReader.Tag> tags;

    @BeforeAll
    static void media() throws Exception {
        flv = TwoSecondClip.flv();
        tags = TwoSecondClip.tags();
    }

    static void publishAll(RtmpClient client, int streamId) throws IOException {
        for (FlvReader.Tag t : tags) {
            byte[] body = t.body();
            int csid = ChunkStreams.VIDEO;
            if (t.type() == 8) {
                csid = ChunkStreams.AUDIO;
            } else if (t.type() == 18) {
                // FLV script data holds onMetaData; a publisher sends it as @setDataFrame.
                byte[] frame = new Amf0Writer().write(new AmfValue.Str("@setDataFrame")).toByteArray();
                byte[] joined = new byte[frame.length + body.length];
                System.arraycopy(frame, 0, joined, 0, frame.length);
                System.arraycopy(body, 0, joined, frame.length, body.length);
                body = joined;
                csid = ChunkStreams.DATA;
            }
            client.send(new RawMessage(csid, t.type(), streamId, t.timestampMs(), body), false);
        }
        client.flush();
    }

    static long videoTags() {
        return tags.stream().filter(t -> t.type() == 9).count();
    }

    @Test
    void publishesToAndPlaysFromOurServer() throws Exception {
        try (Gateway gw = Gateway.start(ConfigLoader.parse("server: {listen: 127.0.0.1:0}", "t.yaml", Map.of()))) {
            String base = "rtmp://127.0.0.1:" + gw.rtmpAddress().getPort() + "/live/";
            try (RtmpClient player = RtmpClient.connect(RtmpUrl.parse(base + "x"), ClientOptions.DEFAULT);
                 RtmpClient publisher = RtmpClient.connect(RtmpUrl.parse(base + "x"), ClientOptions.DEFAULT)) {
                int playId = player.createStream();
                player.play(playId, "x", -2);
                int pubId = publisher.publish("x");
                publishAll(publisher, pubId);
                List<VideoMessage> video = new ArrayList<>();
                while (video.size() < videoTags()) {
                    Message m = player.read();
                    if (m instanceof VideoMessage v) {
                        assertEquals(playId, v.messageStreamId(), "media on the id createStream returned");
                        video.add(v);
                    }
                }
                assertTrue(FlvTags.parseVideo(video.get(0).data()).isSequenceHeader());
                assertTrue(FlvTags.parseVideo(video.get(1).data()).isKeyframe());
                // A second publisher of the same stream is refused with BadName.
                try (RtmpClient second = RtmpClient.connect(RtmpUrl.parse(base + "x"), ClientOptions.DEFAULT)) {
                    CommandRejectedException e = assertThrows(CommandRejectedException.class, () -> second.publish("x"));
                    assertEquals("NetStream.Publish.BadName", e.code());
                }
            }
        }
    }

    @Test
    void play2AnswersTransitionThenTransitionCompleteAndThrowsTheServersRefusals() throws Exception {
        try (Gateway gw = Gateway.start(ConfigLoader.parse("server: {listen: 127.0.0.1:0}", "t.yaml", Map.of()))) {
            String base = "rtmp://127.0.0.1:" + gw.rtmpAddress().getPort() + "/live/";
            try (RtmpClient x = RtmpClient.connect(RtmpUrl.parse(base + "x"), ClientOptions.DEFAULT);
                 RtmpClient y = RtmpClient.connect(RtmpUrl.parse(base + "y"), ClientOptions.DEFAULT);
                 RtmpClient player = RtmpClient.connect(RtmpUrl.parse(base + "x"), ClientOptions.DEFAULT)) {
                int xId = x.publish("x");
                publishAll(x, xId);
                int yId = y.publish("y");
                publishAll(y, yId);
                int id = player.createStream();
                player.play(id, "x", -1);

                CommandRejectedException notFound = assertThrows(CommandRejectedException.class,
                        () -> player.play2(id, "nosuch", "x", "switch"));
                assertEquals("NetStream.Play.StreamNotFound", notFound.code());
                CommandRejectedException append = assertThrows(CommandRejectedException.class,
                        () -> player.play2(id, "y", "", "append"));
                assertEquals("NetStream.Play.Failed", append.code());

                player.play2(id, "y", "x", "switch"); // returns at NetStream.Play.Transition
                publishAll(y, yId); // y's next keyframe: the switch point
                while (true) {
                    Message m = player.read();
                    if (m instanceof io.loomcast.gateway.protocol.message.DataMessage d
                            && d.handler().equals("onPlayStatus")) {
                        assertEquals("NetStream.Play.TransitionComplete",
                                ((AmfValue.Obj) d.values().getFirst()).string("code").orElseThrow());
                        assertEquals(id, d.messageStreamId());
                        break;
                    }
                }
                Message next = player.read();
                while (!(next instanceof VideoMessage)) {
                    next = player.read();
                }
                assertTrue(FlvTags.parseVideo(((VideoMessage) next).data()).isSequenceHeader(),
                        "y's sequence header first after the switch");
            }
        }
    }

    @Test
    void publishesToNginxWhichFfprobeThenReads(@TempDir Path nginxDir) throws Exception {
        try (NginxRtmp nginx = NginxRtmp.start(nginxDir);
             RtmpClient publisher = RtmpClient.connect(RtmpUrl.parse(nginx.url("live/fromloomcast")), ClientOptions.DEFAULT);
             RtmpClient player = RtmpClient.connect(RtmpUrl.parse(nginx.url("live/fromloomcast")), ClientOptions.DEFAULT)) {
            int pubId = publisher.publish("fromloomcast");
            int playId = player.createStream();
            player.play(playId, "fromloomcast", -1);
            publishAll(publisher, pubId);
            int videos = 0;
            Message first = null;
            while (videos < 3) {
                Message m = player.read();
                if (m instanceof VideoMessage v) {
                    first = first == null ? v : first;
                    videos++;
                }
            }
            assertInstanceOf(VideoMessage.class, first);
            assertTrue(FlvTags.parseVideo(((VideoMessage) first).data()).isSequenceHeader(),
                    "nginx relays our sequence header first");
        }
    }
}
