package io.loomcast.gateway.protocol.message;

import static io.loomcast.gateway.protocol.message.MessageAssertions.assertEveryCutSafe;
import static io.loomcast.gateway.protocol.message.MessageAssertions.assertRejected;
import static io.loomcast.gateway.protocol.message.MessageAssertions.assertRoundTrip;
import static io.loomcast.gateway.protocol.message.MessageAssertions.assertVector;
import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.amf.AmfValue.Num;
import io.loomcast.gateway.protocol.amf.AmfValue.Str;
import io.loomcast.gateway.protocol.message.SharedObjectEvent.Change;
import io.loomcast.gateway.protocol.message.SharedObjectEvent.Clear;
import io.loomcast.gateway.protocol.message.SharedObjectEvent.Release;
import io.loomcast.gateway.protocol.message.SharedObjectEvent.Remove;
import io.loomcast.gateway.protocol.message.SharedObjectEvent.RequestChange;
import io.loomcast.gateway.protocol.message.SharedObjectEvent.RequestRemove;
import io.loomcast.gateway.protocol.message.SharedObjectEvent.SendMessage;
import io.loomcast.gateway.protocol.message.SharedObjectEvent.Status;
import io.loomcast.gateway.protocol.message.SharedObjectEvent.Success;
import io.loomcast.gateway.protocol.message.SharedObjectEvent.Unparsed;
import io.loomcast.gateway.protocol.message.SharedObjectEvent.Use;
import io.loomcast.gateway.protocol.message.SharedObjectEvent.UseSuccess;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shared object messages (RTMP 7.1.3). The spec gives the header and event list but not the event data; these
 * vectors follow the layouts Flash Player and Red5 use (property names as 16-bit-length UTF-8, values as AMF0).
 */
class SharedObjectMessageTest {

    /** Header of "chat", version 1, flags 2 (persistent), 4 reserved zero bytes. */
    private static final String CHAT_HEADER = "0004 63686174  00000001  00000002  00000000";

    private static SharedObjectMessage chat(SharedObjectEvent... events) {
        return new SharedObjectMessage(AmfEncoding.AMF0, 0, 0, "chat", 1, SharedObjectMessage.FLAG_PERSISTENT, List.of(events));
    }

    @Test
    void eventsWithoutAmfValues() throws Exception {
        SharedObjectMessage m = chat(new Use(), new Release(), new Success("foo"),
                new Status("SharedObject.NoReadAccess", "error"), new Clear(), new Remove("foo"), new RequestRemove("foo"),
                new UseSuccess());
        assertVector(m, 19, CHAT_HEADER
                + "01 00000000"
                + "02 00000000"
                + "05 00000005 0003 666f6f"
                + "07 00000022 0019 5368617265644f626a6563742e4e6f52656164416363657373 0005 6572726f72"
                + "08 00000000"
                + "09 00000005 0003 666f6f"
                + "0A 00000005 0003 666f6f"
                + "0B 00000000");
        assertTrue(m.persistent());
    }

    @Test
    void eventsWithAmfValues() throws Exception {
        assertVector(chat(new RequestChange("foo", new Str("bar")), new Change("foo", new Num(1)),
                        new SendMessage("hello", List.of(new Str("x")))), 19, CHAT_HEADER
                + "03 0000000B 0003 666f6f 02 0003 626172"
                + "04 0000000E 0003 666f6f 00 3ff0000000000000"
                + "06 0000000C 02 0005 68656c6c6f 02 0001 78");
    }

    @Test
    void undefinedEventsAreKeptRaw() throws Exception {
        // Event 12 as Flash Media Server sends it after a Change; its meaning is undocumented.
        assertVector(chat(new Unparsed(12, hex("0003 666f6f 00000001"))), 19, CHAT_HEADER + "0C 00000009 0003 666f6f 00000001");
        assertThrows(IllegalArgumentException.class, () -> new Unparsed(4, new byte[0]));
    }

    @Test
    void headerOnlyAndAmf3() throws Exception {
        assertVector(new SharedObjectMessage(AmfEncoding.AMF0, 0, 0, "", 0, 0, List.of()), 19, "0000 00000000 00000000 00000000");
        SharedObjectMessage amf3 = new SharedObjectMessage(AmfEncoding.AMF3, 0, 0, "chat", 0xFFFF_FFFFL, 48, List.of(new Use()));
        assertVector(amf3, 16, "00  0004 63686174  FFFFFFFF  00000030  00000000  01 00000000");
        assertFalse(amf3.persistent());
        assertEquals(ChunkStreams.COMMAND, MessageCodec.encode(amf3).chunkStreamId());
    }

    @Test
    void reservedBytesAreIgnored() throws Exception {
        assertEquals(chat(new Use()), MessageAssertions.decode(19, "0004 63686174 00000001 00000002 DEADBEEF 01 00000000"));
    }

    @Test
    void malformedMessagesAreRejected() {
        assertRejected(19, "0004 6368", "AMF0 Shared Object message: shared object name needs 4 bytes, 2 remain");
        assertRejected(19, "0001 FF 00000000 00000000 00000000", "AMF0 Shared Object message: shared object name is not valid UTF-8");
        assertRejected(19, CHAT_HEADER + "01 0000", "AMF0 Shared Object message: event 1 data length needs 4 bytes, 2 remain");
        assertRejected(19, CHAT_HEADER + "05 00000006 0003 666f6f",
                "AMF0 Shared Object message: event 1 (type 5) data length 6, only 5 bytes remain");
        assertRejected(19, CHAT_HEADER + "01 00000000  01 00000001 00",
                "AMF0 Shared Object message event 2 (Use): 1 unexpected bytes after the last field");
        assertRejected(19, CHAT_HEADER + "05 00000006 0003 666f6f 00",
                "AMF0 Shared Object message event 1 (Success): 1 unexpected bytes after the last field");
        assertRejected(19, CHAT_HEADER + "04 00000005 0003 666f6f",
                "AMF0 Shared Object message event 1 (Change): property value missing");
        assertRejected(16, "01" + CHAT_HEADER, "AMF3 Shared Object payload starts with 0x01, needs the format byte 0x00");
    }

    @Test
    void roundTripsAndCuts() throws Exception {
        SharedObjectMessage m = chat(new Use(), new Success("foo"), new Status("SharedObject.NoWriteAccess", "error"),
                new Unparsed(13, hex("0003 666f6f")));
        assertRoundTrip(m);
        assertEveryCutSafe(m);
    }

    @Test
    void amfEventsRoundTripAndCut() throws Exception {
        SharedObjectMessage m = chat(new RequestChange("foo", new Str("bar")), new Change("n", new Num(2)),
                new SendMessage("hello", List.of(new Str("x"), new Num(3))));
        assertRoundTrip(m);
        assertEveryCutSafe(m);
    }
}
