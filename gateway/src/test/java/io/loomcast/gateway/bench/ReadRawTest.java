package io.loomcast.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.cli.Gateway;
import io.loomcast.gateway.config.ConfigLoader;
import io.loomcast.gateway.config.RtmpUrl;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.MessageTypes;
import io.loomcast.gateway.session.ClientOptions;
import io.loomcast.gateway.session.RtmpClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RtmpClient.readRaw, the benchmark's read path: media undecoded, protocol control applied and never returned. */
class ReadRawTest {
    @Test
    void returnsMediaAndKeepsControlToItself() throws Exception {
        MediaFile media = MediaFile.load(TestMedia.shortFlv());
        try (Gateway gw = Gateway.start(ConfigLoader.parse("server: {listen: 127.0.0.1:0, chunkSize: 1000}", "t.yaml",
                Map.of()))) {
            RtmpUrl url = RtmpUrl.parse("rtmp://127.0.0.1:" + gw.rtmpAddress().getPort() + "/live/raw");
            ClientOptions options = ClientOptions.DEFAULT.withReadTimeout(Duration.ofSeconds(10));
            try (RtmpClient player = RtmpClient.connect(url, options);
                 RtmpClient publisher = RtmpClient.connect(url, options)) {
                int playId = player.createStream();
                player.play(playId, "raw", -2);
                int pubId = publisher.publish("raw");
                for (MediaFile.Tag t : media.tags()) {
                    publisher.send(new RawMessage(t.chunkStreamId(), t.typeId(), pubId, t.relativeMs(), t.body()), false);
                }
                publisher.flush();
                long frames = media.tags().stream().filter(MediaFile.Tag::videoFrame).count();
                Set<Integer> types = new HashSet<>();
                long video = 0;
                long largest = 0;
                while (video < frames + 1) {
                    RawMessage m = player.readRaw();
                    types.add(m.typeId());
                    if (m.typeId() == MessageTypes.VIDEO) {
                        video++;
                        assertEquals(playId, m.messageStreamId());
                        largest = Math.max(largest, m.length());
                    }
                }
                for (int control : new int[] {MessageTypes.SET_CHUNK_SIZE, MessageTypes.ABORT,
                        MessageTypes.ACKNOWLEDGEMENT, MessageTypes.WINDOW_ACKNOWLEDGEMENT_SIZE,
                        MessageTypes.SET_PEER_BANDWIDTH}) {
                    assertFalse(types.contains(control), "control type " + control + " applied, not returned");
                }
                assertTrue(types.contains(MessageTypes.AUDIO), types.toString());
                assertTrue(largest > 1000, "frames larger than the server's chunk size reassembled: " + largest);
            }
        }
    }
}
