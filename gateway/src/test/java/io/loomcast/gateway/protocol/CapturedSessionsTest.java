package io.loomcast.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.media.FlvTags;
import io.loomcast.gateway.protocol.chunk.ChunkLimits;
import io.loomcast.gateway.protocol.chunk.ChunkReader;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.AudioMessage;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.DataMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.MessageCodec;
import io.loomcast.gateway.protocol.message.SetChunkSize;
import io.loomcast.gateway.protocol.message.VideoMessage;
import io.loomcast.gateway.testing.SplitInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole sessions recorded between real peers and nginx-rtmp (tools/capture-vectors.sh: ffmpeg, rtmpdump and
 * GStreamer as publisher or player), replayed through our chunk reader and message codec in both directions.
 * Every byte after the handshake must decode, in any TCP fragmentation, into the command flow each peer is
 * known to use; a capture may only end inside a message where the recording was cut.
 */
class CapturedSessionsTest {
    /** C0+C1+C2 (client) or S0+S1+S2 (server): RTMP 5.2. */
    private static final int HANDSHAKE_BYTES = 1 + 1536 + 1536;

    private static byte[] capture(String name) {
        try (InputStream in = CapturedSessionsTest.class.getResourceAsStream("/vectors/capture/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes every message of one direction, applying the sender's Set Chunk Size as a receiver must. */
    private static List<Message> decode(InputStream in) throws IOException {
        in.skipNBytes(HANDSHAKE_BYTES);
        ChunkReader reader = new ChunkReader(in, ChunkLimits.DEFAULT);
        List<Message> out = new ArrayList<>();
        while (true) {
            RawMessage raw;
            try {
                raw = reader.read();
            } catch (PeerClosedException e) {
                return out;
            }
            Message m = MessageCodec.decode(raw);
            if (m instanceof SetChunkSize s) {
                reader.chunkSize(s.sizeBytes());
            }
            out.add(m);
        }
    }

    private static List<Message> decode(String name) throws IOException {
        byte[] bytes = capture(name);
        return decode(new java.io.ByteArrayInputStream(bytes));
    }

    private static io.loomcast.gateway.media.VideoTag parse(VideoMessage v) {
        try {
            return FlvTags.parseVideo(v.data());
        } catch (ProtocolException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> commands(List<Message> messages) {
        return messages.stream().filter(m -> m instanceof CommandMessage).map(m -> ((CommandMessage) m).name()).toList();
    }

    private static String statusCodes(List<Message> messages) {
        return messages.stream().filter(m -> m instanceof CommandMessage c && c.name().equals("onStatus"))
                .map(m -> ((CommandMessage) m).argument(0).orElseThrow())
                .map(v -> ((io.loomcast.gateway.protocol.amf.AmfValue.Obj) v).string("code").orElse("?"))
                .collect(Collectors.joining(","));
    }

    @Test
    void ffmpegPublishing() throws Exception {
        List<Message> c2s = decode("ffmpeg-publish.c2s.bin");
        assertEquals(List.of("connect", "releaseStream", "FCPublish", "createStream", "publish"),
                commands(c2s).subList(0, 5));
        DataMessage meta = (DataMessage) c2s.stream().filter(m -> m instanceof DataMessage).findFirst().orElseThrow();
        assertEquals("onMetaData", meta.dataFrame().orElseThrow().handler());
        List<VideoMessage> video = c2s.stream().filter(m -> m instanceof VideoMessage).map(m -> (VideoMessage) m).toList();
        assertTrue(FlvTags.parseVideo(video.getFirst().data()).isSequenceHeader());
        assertTrue(FlvTags.parseVideo(video.get(1).data()).isKeyframe());
        long coded = video.stream().filter(v -> parse(v).isCodedFrame()).count();
        assertEquals(30, coded, "2 s at 15 fps");
        assertEquals(io.loomcast.gateway.media.VideoPacketKind.SEQUENCE_END, parse(video.getLast()).packetKind(),
                "ffmpeg ends an AVC stream with an end-of-sequence tag");
        assertTrue(c2s.stream().anyMatch(m -> m instanceof AudioMessage));

        List<Message> s2c = decode("ffmpeg-publish.s2c.bin");
        assertEquals("NetStream.Publish.Start,NetStream.Unpublish.Success", statusCodes(s2c));
        // nginx-rtmp sends no onBWDone: connect _result, createStream _result, then the two statuses.
        assertEquals(List.of("_result", "_result", "onStatus", "onStatus"), commands(s2c));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffmpeg-play", "rtmpdump-play", "gst-play"})
    void playersGetStartStatusThenDecodableMedia(String capture) throws Exception {
        List<String> c2s = commands(decode(capture + ".c2s.bin"));
        assertEquals("connect", c2s.getFirst());
        assertTrue(c2s.contains("createStream") && c2s.contains("play"), c2s.toString());
        List<Message> s2c = decode(capture + ".s2c.bin");
        assertTrue(statusCodes(s2c).contains("NetStream.Play.Start"), statusCodes(s2c));
        List<VideoMessage> video = s2c.stream().filter(m -> m instanceof VideoMessage).map(m -> (VideoMessage) m).toList();
        assertTrue(video.size() > 5, capture + ": " + video.size() + " video messages");
        assertTrue(FlvTags.parseVideo(video.getFirst().data()).isSequenceHeader(), "nginx sends the AVC config first");
        for (VideoMessage v : video) {
            FlvTags.parseVideo(v.data());
        }
    }

    @Test
    void gstreamerPublishing() throws Exception {
        List<Message> c2s = decode("gst-publish.c2s.bin");
        List<String> cmds = commands(c2s);
        assertEquals(List.of("connect", "releaseStream", "FCPublish", "createStream", "publish"), cmds.subList(0, 5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffmpeg-publish.c2s.bin", "ffmpeg-play.s2c.bin", "gst-publish.c2s.bin", "rtmpdump-play.s2c.bin"})
    void decodesTheSameWhereverTcpSplitsIt(String name) throws Exception {
        byte[] bytes = capture(name);
        List<Message> whole = decode(new java.io.ByteArrayInputStream(bytes));
        assertEquals(whole, decode(SplitInputStream.pieces(bytes, 1)), "one byte at a time");
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            int[] cuts = random.ints(200, 1, bytes.length).sorted().distinct().toArray();
            assertEquals(whole, decode(new SplitInputStream(bytes, cuts)), "cuts " + Arrays.toString(cuts).substring(0, 40));
        }
    }

    /** The same session fed to a detached reader in random pieces, as a selector thread would. */
    @ParameterizedTest
    @ValueSource(strings = {"ffmpeg-publish.c2s.bin", "ffmpeg-play.s2c.bin", "gst-publish.c2s.bin", "rtmpdump-play.s2c.bin"})
    void decodesTheSameWhenFedInPieces(String name) throws Exception {
        byte[] bytes = capture(name);
        List<Message> whole = decode(new java.io.ByteArrayInputStream(bytes));
        Random random = new Random(11);
        for (int round = 0; round < 10; round++) {
            ChunkReader reader = new ChunkReader(InputStream.nullInputStream(), ChunkLimits.DEFAULT);
            reader.detach();
            List<Message> fed = new ArrayList<>();
            int at = HANDSHAKE_BYTES;
            while (at < bytes.length) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(round % 2 == 0 ? 64 : 20_000));
                reader.feed(java.nio.ByteBuffer.wrap(bytes, at, n));
                at += n;
                for (RawMessage raw; (raw = reader.tryRead()) != null; ) {
                    Message m = MessageCodec.decode(raw);
                    if (m instanceof SetChunkSize s) {
                        reader.chunkSize(s.sizeBytes());
                    }
                    fed.add(m);
                }
            }
            assertEquals(whole, fed, "round " + round);
        }
    }
}
