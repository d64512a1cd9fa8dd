package io.loomcast.gateway.protocol.message;

import static io.loomcast.gateway.protocol.message.MessageAssertions.assertEveryCutSafe;
import static io.loomcast.gateway.protocol.message.MessageAssertions.assertRoundTrip;
import static io.loomcast.gateway.testing.Hex.hex;
import static io.loomcast.gateway.testing.Hex.toHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Aggregate messages (RTMP 7.1.6): FLV-tag framed sub-messages, re-based onto the aggregate's timestamp. */
class AggregateMessageTest {

    // Three sub-messages at sub-timestamps 1000, 1010, 1040, each: type, size, ts(3)+ext(1), stream id, body,
    // back pointer (11 + size). The stream id field says 7; the aggregate's own id overrides it.
    private static final String THREE = ""
            + "09 000003 0003E8 00 000007  170102  0000000E"
            + "08 000002 0003F2 00 000007  AF01    0000000D"
            + "09 000002 000410 00 000007  2701    0000000D";

    private static RawMessage aggregate(long timestamp, String payloadHex) {
        return new RawMessage(6, 22, 1, timestamp, hex(payloadHex));
    }

    private static ProtocolException rejected(String payloadHex) {
        return assertThrows(ProtocolException.class, () -> MessageCodec.decode(aggregate(5000, payloadHex)));
    }

    @Test
    void splitsAndRebasesOntoTheAggregateTimestamp() throws Exception {
        AggregateMessage m = (AggregateMessage) MessageCodec.decode(aggregate(5000, THREE));
        assertEquals(new AggregateMessage(1, 5000, List.of(
                new VideoMessage(1, 5000, hex("170102")),
                new AudioMessage(1, 5010, hex("AF01")),
                new VideoMessage(1, 5040, hex("2701")))), m);
    }

    @Test
    void rebasingWrapsAt32Bits() throws Exception {
        // The sub-messages' clock wraps between the first (2^32 - 16) and the second (5): 21 ms apart.
        String wrapped = "09 000001 FFFFF0 FF 000000 17 0000000C"
                + "08 000001 000005 00 000000 AF 0000000C";
        AggregateMessage m = (AggregateMessage) MessageCodec.decode(aggregate(10, wrapped));
        assertEquals(List.of(10L, 31L), m.messages().stream().map(StreamMessage::timestamp).toList());
    }

    @Test
    void extendedTimestampByteIsTheHighByte() throws Exception {
        AggregateMessage m = (AggregateMessage) MessageCodec.decode(aggregate(0x0100_0000L, "09 000001 000000 01 000000 17 0000000C"));
        assertEquals(0x0100_0000L, m.messages().getFirst().timestamp());
        assertEquals(0x0100_0000L, m.timestamp());
    }

    @Test
    void encodesAsFlvTags() {
        AggregateMessage m = AggregateMessage.of(List.of(
                new VideoMessage(1, 1000, hex("170102")),
                new AudioMessage(1, 1010, hex("AF01")),
                new VideoMessage(1, 0x0100_0000L, hex("2701"))));
        RawMessage raw = MessageCodec.encode(m);
        assertEquals(22, raw.typeId());
        assertEquals(1000, raw.timestamp());
        assertEquals(1, raw.messageStreamId());
        assertEquals(ChunkStreams.VIDEO, raw.chunkStreamId());
        assertEquals(toHex(hex(""
                + "09 000003 0003E8 00 000000  170102  0000000E"
                + "08 000002 0003F2 00 000000  AF01    0000000D"
                + "09 000002 000000 01 000000  2701    0000000D")), toHex(raw.payload()));
    }

    @Test
    void roundTripsAndCutsNeverThrowAnythingElse() throws Exception {
        AggregateMessage m = (AggregateMessage) MessageCodec.decode(aggregate(5000, THREE));
        assertRoundTrip(m);
        assertEveryCutSafe(m);
    }

    @Test
    void everyCutInsideASubMessageIsRejected() throws Exception {
        byte[] whole = hex(THREE);
        List<Integer> boundaries = List.of(0, 11 + 3 + 4, 11 + 3 + 4 + 11 + 2 + 4);
        for (int cut = 1; cut < whole.length; cut++) {
            byte[] prefix = Arrays.copyOf(whole, cut);
            RawMessage raw = new RawMessage(6, 22, 1, 5000, prefix);
            if (boundaries.contains(cut)) {
                MessageCodec.decode(raw);
            } else {
                int at = cut;
                assertThrows(ProtocolException.class, () -> MessageCodec.decode(raw), "cut at " + at);
            }
        }
    }

    @Test
    void emptyAggregateHasNoMessages() throws Exception {
        assertEquals(new AggregateMessage(1, 5000, List.of()), MessageCodec.decode(aggregate(5000, "")));
    }

    @Test
    void malformedSizesAreRejectedWithTheirNumbers() {
        assertEquals("Aggregate sub-message 1: header needs 11 bytes, 6 remain", rejected("09 000003 0003").getMessage());
        assertEquals("Aggregate sub-message 1 (Video) claims 4 payload bytes, 3 remain",
                rejected("09 000004 0003E8 00 000000 170102").getMessage());
        assertEquals("Aggregate sub-message 2 (Audio) claims 16777215 payload bytes, 4 remain",
                rejected("09 000001 000000 00 000000 17 0000000C  08 FFFFFF 000000 00 000000 AF01 0000").getMessage());
        assertEquals("Aggregate sub-message 1: back pointer needs 4 bytes, 2 remain",
                rejected("09 000003 0003E8 00 000000 170102 0000").getMessage());
        assertEquals("Aggregate sub-message 1: back pointer is 3, the sub-message is 14 bytes",
                rejected("09 000003 0003E8 00 000000 170102 00000003").getMessage());
        assertEquals("Aggregate sub-message 2: header needs 11 bytes, 1 remain",
                rejected("09 000001 000000 00 000000 17 0000000C 00").getMessage());
    }

    @Test
    void onlyStreamMessagesMayBeAggregated() {
        assertEquals("Aggregate sub-message 1 is itself an aggregate, which cannot be nested",
                rejected("16 000000 000000 00 000000 0000000B").getMessage());
        assertEquals("Aggregate sub-message 1 is a Set Chunk Size message; only stream messages may be aggregated",
                rejected("01 000004 000000 00 000000 00001000 0000000F").getMessage());
        assertEquals("Aggregate sub-message 1: User Control payload is 1 bytes, needs at least 2 for the event type",
                rejected("04 000001 000000 00 000000 00 0000000C").getMessage());
    }

    @Test
    void recordKeepsItsInvariants() {
        VideoMessage v = new VideoMessage(1, 10, hex("17"));
        assertThrows(IllegalArgumentException.class, () -> new AggregateMessage(2, 10, List.of(v)));
        assertThrows(IllegalArgumentException.class, () -> new AggregateMessage(1, 11, List.of(v)));
        assertThrows(IllegalArgumentException.class,
                () -> new AggregateMessage(1, 10, List.of(v, new AggregateMessage(1, 10, List.of()))));
        assertThrows(IllegalArgumentException.class, () -> AggregateMessage.of(List.of()));
    }
}
