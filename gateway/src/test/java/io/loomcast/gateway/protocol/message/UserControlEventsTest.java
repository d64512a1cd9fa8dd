package io.loomcast.gateway.protocol.message;

import static io.loomcast.gateway.protocol.message.MessageAssertions.assertEveryCutRejected;
import static io.loomcast.gateway.protocol.message.MessageAssertions.assertRejected;
import static io.loomcast.gateway.protocol.message.MessageAssertions.assertVector;
import static io.loomcast.gateway.protocol.message.MessageAssertions.decode;
import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** User control events (RTMP 6.2, 7.1.7): a 16-bit event type, then fixed event data. */
class UserControlEventsTest {

    @Test
    void streamEventVectors() throws Exception {
        // nginx-rtmp's Stream Begin and Stream EOF for stream 1 (ffmpeg-play.s2c).
        assertVector(new StreamBegin(1), 4, "0000 00000001");
        assertVector(new StreamEof(1), 4, "0001 00000001");
        assertVector(new StreamDry(1), 4, "0002 00000001");
        assertVector(new StreamIsRecorded(1), 4, "0004 00000001");
        // Stream ids are unsigned 32-bit on the wire; the record keeps the int bits.
        assertVector(new StreamBegin(-1), 4, "0000 FFFFFFFF");
    }

    @Test
    void setBufferLengthVectors() throws Exception {
        assertVector(new SetBufferLength(1, 3000), 4, "0003 00000001 00000BB8"); // FFmpeg (ffmpeg-play.c2s)
        assertVector(new SetBufferLength(0, 300), 4, "0003 00000000 0000012C"); // rtmpdump and GStreamer, before play
        assertVector(new SetBufferLength(1, 36_000_000), 4, "0003 00000001 02255100"); // rtmpdump: 10 hours
    }

    @Test
    void pingVectors() throws Exception {
        assertVector(new PingRequest(0x1234_5678L), 4, "0006 12345678");
        assertVector(new PingResponse(0xFFFF_FFFFL), 4, "0007 FFFFFFFF");
        assertEquals(new PingResponse(42), new PingRequest(42).response());
    }

    @Test
    void undefinedEventsAreKeptRaw() throws Exception {
        // SWF verification and FMS buffer hints are not in RTMP 7.1.7: kept as type and bytes.
        assertVector(new UnparsedEvent(UnparsedEvent.SWF_VERIFY_REQUEST, new byte[0]), 4, "001A");
        assertVector(new UnparsedEvent(UnparsedEvent.SWF_VERIFY_RESPONSE, hex("0101 00001000 00001000" + "AB".repeat(32))),
                4, "001B 0101 00001000 00001000" + "AB".repeat(32));
        assertVector(new UnparsedEvent(UnparsedEvent.BUFFER_EMPTY, hex("00000001")), 4, "001F 00000001");
        assertVector(new UnparsedEvent(5, hex("00")), 4, "0005 00");
        assertVector(new UnparsedEvent(0xFFFF, new byte[0]), 4, "FFFF");
        assertThrows(IllegalArgumentException.class, () -> new UnparsedEvent(0, new byte[4]));
        assertThrows(IllegalArgumentException.class, () -> new UnparsedEvent(0x10000, new byte[0]));
    }

    @Test
    void wrongSizesAreRejected() {
        assertRejected(4, "", "User Control payload is 0 bytes, needs at least 2 for the event type");
        assertRejected(4, "00", "User Control payload is 1 bytes, needs at least 2 for the event type");
        assertRejected(4, "0000 000001", "User Control Stream Begin event data is 3 bytes, needs 4");
        assertRejected(4, "0000 0000000100", "User Control Stream Begin event data is 5 bytes, needs 4");
        assertRejected(4, "0003 00000001", "User Control Set Buffer Length event data is 4 bytes, needs 8");
        assertRejected(4, "0006", "User Control Ping Request event data is 0 bytes, needs 4");
        assertRejected(4, "0007 123456", "User Control Ping Response event data is 3 bytes, needs 4");
    }

    @Test
    void everyCutOfEveryDefinedEventIsRejected() {
        for (UserControlEvent e : List.of(new StreamBegin(1), new StreamEof(1), new StreamDry(1),
                new SetBufferLength(1, 3000), new StreamIsRecorded(1), new PingRequest(7), new PingResponse(7))) {
            assertEveryCutRejected(e);
        }
    }

    @Test
    void unparsedEventsCompareByContent() throws Exception {
        assertEquals(decode(4, "001A 0102"), new UnparsedEvent(0x1A, hex("0102")));
        assertEquals(new UnparsedEvent(0x1A, hex("0102")).hashCode(), new UnparsedEvent(0x1A, hex("0102")).hashCode());
    }
}
