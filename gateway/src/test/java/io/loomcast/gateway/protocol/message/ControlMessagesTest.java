package io.loomcast.gateway.protocol.message;

import static io.loomcast.gateway.protocol.message.MessageAssertions.assertEveryCutRejected;
import static io.loomcast.gateway.protocol.message.MessageAssertions.assertRejected;
import static io.loomcast.gateway.protocol.message.MessageAssertions.assertVector;
import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.loomcast.gateway.protocol.chunk.PeerBandwidth.LimitType;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Protocol control messages (RTMP 5.4), vectors from the spec and from the captures under vectors/capture. */
class ControlMessagesTest {

    @Test
    void setChunkSizeVectors() throws Exception {
        // RTMP 5.4.1; 4096 is what nginx-rtmp and FFmpeg announce (ffmpeg-publish captures), 128 GStreamer's.
        assertVector(new SetChunkSize(4096), 1, "00 00 10 00");
        assertVector(new SetChunkSize(128), 1, "00 00 00 80");
        assertVector(new SetChunkSize(1), 1, "00 00 00 01");
        assertVector(new SetChunkSize(Integer.MAX_VALUE), 1, "7F FF FF FF");
    }

    @Test
    void setChunkSizeRejects() {
        assertRejected(1, "00 10 00", "Set Chunk Size payload is 3 bytes, needs 4");
        assertRejected(1, "00 00 10 00 00", "Set Chunk Size payload is 5 bytes, needs 4");
        assertRejected(1, "", "Set Chunk Size payload is 0 bytes, needs 4");
        assertRejected(1, "80 00 10 00", "Set Chunk Size 0x80001000 has the high bit set, which must be 0");
        assertRejected(1, "00 00 00 00", "Set Chunk Size 0 is invalid, the minimum is 1");
        assertThrows(IllegalArgumentException.class, () -> new SetChunkSize(0));
    }

    @Test
    void abortVectors() throws Exception {
        assertVector(new Abort(4), 2, "00 00 00 04");
        assertVector(new Abort(65599), 2, "00 01 00 3F");
        assertRejected(2, "00 00 00 01", "Abort Message names chunk stream 1, valid ids are 2..65599");
        assertRejected(2, "00 01 00 40", "Abort Message names chunk stream 65600, valid ids are 2..65599");
        assertRejected(2, "00 04", "Abort Message payload is 2 bytes, needs 4");
    }

    @Test
    void acknowledgementVectors() throws Exception {
        assertVector(new Acknowledgement(5_000_000), 3, "00 4C 4B 40");
        // Unsigned: the byte count wraps at 2^32, so the top bit set is a large count, not a negative one.
        assertVector(new Acknowledgement(0xFFFF_FFFFL), 3, "FF FF FF FF");
        assertVector(new Acknowledgement(0), 3, "00 00 00 00");
        assertRejected(3, "00 4C 4B", "Acknowledgement payload is 3 bytes, needs 4");
    }

    @Test
    void windowAcknowledgementSizeVectors() throws Exception {
        // nginx-rtmp sends 5000000, GStreamer 2500000 (captures).
        assertVector(new WindowAcknowledgementSize(5_000_000), 5, "00 4C 4B 40");
        assertVector(new WindowAcknowledgementSize(2_500_000), 5, "00 26 25 A0");
        assertVector(new WindowAcknowledgementSize(0x8000_0000L), 5, "80 00 00 00");
        assertRejected(5, "00 26 25 A0 02", "Window Acknowledgement Size payload is 5 bytes, needs 4");
    }

    @Test
    void setPeerBandwidthVectors() throws Exception {
        assertVector(new SetPeerBandwidth(2_500_000, LimitType.DYNAMIC), 6, "00 26 25 A0 02");
        assertVector(new SetPeerBandwidth(5_000_000, LimitType.DYNAMIC), 6, "00 4C 4B 40 02"); // nginx-rtmp capture
        assertVector(new SetPeerBandwidth(4096, LimitType.HARD), 6, "00 00 10 00 00");
        assertVector(new SetPeerBandwidth(4096, LimitType.SOFT), 6, "00 00 10 00 01");
        assertRejected(6, "00 26 25 A0 03",
                "Set Peer Bandwidth limit type 3 is not 0 (hard), 1 (soft) or 2 (dynamic)");
        assertRejected(6, "00 26 25 A0", "Set Peer Bandwidth payload is 4 bytes, needs 5");
    }

    @Test
    void everyCutOfEveryControlMessageIsRejected() {
        for (ControlMessage m : List.of(new SetChunkSize(4096), new Abort(3), new Acknowledgement(1),
                new WindowAcknowledgementSize(2_500_000), new SetPeerBandwidth(2_500_000, LimitType.DYNAMIC))) {
            assertEveryCutRejected(m);
        }
    }

    @Test
    void controlMessagesDecodeWhateverTheirEnvelope() throws Exception {
        // RTMP 5.4 says csid 2, msid 0; a peer that uses others still means the same thing.
        assertEquals(new SetChunkSize(4096), MessageCodec.decode(new RawMessage(7, 1, 9, 1234, hex("00001000"))));
    }

    @Test
    void controlMessagesAreSentOnChunkStream2MessageStream0() {
        RawMessage raw = MessageCodec.encode(new WindowAcknowledgementSize(2_500_000));
        assertEquals(2, raw.chunkStreamId());
        assertEquals(0, raw.messageStreamId());
        assertEquals(0, raw.timestamp());
    }

    @Test
    void recordsRefuseValuesTheWireCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> new Acknowledgement(-1));
        assertThrows(IllegalArgumentException.class, () -> new Acknowledgement(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> new WindowAcknowledgementSize(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> new Abort(1));
        assertThrows(NullPointerException.class, () -> new SetPeerBandwidth(1, null));
    }
}
