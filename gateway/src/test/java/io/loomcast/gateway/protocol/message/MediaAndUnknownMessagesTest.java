package io.loomcast.gateway.protocol.message;

import static io.loomcast.gateway.protocol.message.MessageAssertions.assertVector;
import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.loomcast.gateway.protocol.chunk.RawMessage;
import org.junit.jupiter.api.Test;

/** Audio and video (RTMP 7.1.4, 7.1.5) keep the FLV tag body as-is; unknown types are kept raw. */
class MediaAndUnknownMessagesTest {

    @Test
    void audioAndVideoKeepTheTagBody() throws Exception {
        // FFmpeg's AAC sequence header and the start of its AVC keyframe (ffmpeg-publish.c2s).
        assertVector(new AudioMessage(1, 0, hex("AF00 1208 56E5 00")), 8, "AF00 1208 56E5 00");
        assertVector(new VideoMessage(1, 23, hex("1701 000000 00000002")), 9, "1701 000000 00000002");
        assertVector(new AudioMessage(1, 0xFFFF_FFFFL, new byte[0]), 8, "");
    }

    @Test
    void mediaBytesAreNotCopied() throws Exception {
        // The fan-out shares one array among subscribers; copying per message would defeat it.
        byte[] body = hex("AF01 0102");
        RawMessage raw = new RawMessage(4, 8, 1, 40, body);
        AudioMessage audio = (AudioMessage) MessageCodec.decode(raw);
        assertSame(body, audio.data());
        assertSame(body, MessageCodec.encode(audio).payload());
    }

    @Test
    void mediaKeepsStreamAndTimestamp() throws Exception {
        RawMessage raw = new RawMessage(6, 9, 7, 123_456, hex("2701"));
        assertEquals(new VideoMessage(7, 123_456, hex("2701")), MessageCodec.decode(raw));
        RawMessage encoded = MessageCodec.encode(new VideoMessage(7, 123_456, hex("2701")));
        assertEquals(ChunkStreams.VIDEO, encoded.chunkStreamId());
        assertEquals(7, encoded.messageStreamId());
        assertEquals(123_456, encoded.timestamp());
        assertEquals(ChunkStreams.AUDIO, MessageCodec.encode(new AudioMessage(7, 0, new byte[1])).chunkStreamId());
        assertEquals(new VideoMessage(7, 9, hex("2701")), new VideoMessage(7, 123_456, hex("2701")).withTimestamp(9));
    }

    @Test
    void mediaRecordsCompareByContent() {
        assertEquals(new AudioMessage(1, 2, hex("0102")), new AudioMessage(1, 2, hex("0102")));
        assertEquals(new AudioMessage(1, 2, hex("0102")).hashCode(), new AudioMessage(1, 2, hex("0102")).hashCode());
        assertNotEquals(new AudioMessage(1, 2, hex("0102")), new AudioMessage(1, 2, hex("0103")));
        assertNotEquals(new AudioMessage(1, 2, hex("0102")), new AudioMessage(1, 3, hex("0102")));
        assertEquals("VideoMessage[msid=1, ts=2, 2 bytes]", new VideoMessage(1, 2, hex("0102")).toString());
        assertThrows(IllegalArgumentException.class, () -> new AudioMessage(1, -1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new VideoMessage(1, 1L << 32, new byte[0]));
    }

    @Test
    void unknownTypesAreKeptNotRefused() throws Exception {
        for (int type : new int[] {0, 7, 10, 14, 21, 23, 255}) {
            RawMessage raw = new RawMessage(9, type, 3, 77, hex("DEADBEEF"));
            assertEquals(new UnknownMessage(type, 3, 77, hex("DEADBEEF")), MessageCodec.decode(raw));
            assertVector(new UnknownMessage(type, 3, 77, hex("DEADBEEF")), type, "DEADBEEF");
        }
        assertEquals(ChunkStreams.DATA, MessageCodec.encode(new UnknownMessage(7, 0, 0, new byte[0])).chunkStreamId());
    }

    @Test
    void unknownMessageRefusesTypesWithTheirOwnRecord() {
        assertThrows(IllegalArgumentException.class, () -> new UnknownMessage(8, 0, 0, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new UnknownMessage(256, 0, 0, new byte[0]));
    }
}
