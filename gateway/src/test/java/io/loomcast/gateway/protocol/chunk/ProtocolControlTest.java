package io.loomcast.gateway.protocol.chunk;

import static io.loomcast.gateway.testing.Hex.concat;
import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.loomcast.gateway.protocol.ProtocolException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Incoming control messages: every rejection text, and each one's effect on reader, windows and replies. */
class ProtocolControlTest {
    private static final ChunkLimits LIMITS = new ChunkLimits(1 << 20, 16, 65536);

    private final ChunkReader reader = new ChunkReader(new ByteArrayInputStream(new byte[0]), LIMITS);
    private final AckWindow ackWindow = new AckWindow();
    private final PeerBandwidth peerBandwidth = new PeerBandwidth(2_500_000);
    private final ProtocolControl control = new ProtocolControl(reader, LIMITS, ackWindow, peerBandwidth);

    interface Call {
        void apply(ProtocolControl control) throws ProtocolException;
    }

    static Stream<Arguments> rejections() {
        return Stream.of(
                Arguments.of((Call) c -> c.onSetChunkSize(0), "Set Chunk Size 0 is not 1..2147483647 (RTMP 5.4.1: top bit zero)"),
                Arguments.of((Call) c -> c.onSetChunkSize(-1), "Set Chunk Size 4294967295 is not 1..2147483647 (RTMP 5.4.1: top bit zero)"),
                Arguments.of((Call) c -> c.onSetChunkSize(0x8000_0080), "Set Chunk Size 2147483776 is not 1..2147483647 (RTMP 5.4.1: top bit zero)"),
                Arguments.of((Call) c -> c.onSetChunkSize(65537), "Set Chunk Size 65537 exceeds limit 65536"),
                Arguments.of((Call) c -> c.onAbort(1), "Abort Message for chunk stream id 1 outside 2..65599"),
                Arguments.of((Call) c -> c.onAbort(65600), "Abort Message for chunk stream id 65600 outside 2..65599"),
                Arguments.of((Call) c -> c.onAcknowledgement(-1), "Acknowledgement sequence number -1 outside 0..4294967295"),
                Arguments.of((Call) c -> c.onWindowAckSize(0), "Window Acknowledgement Size 0 is not 1..2147483647"),
                Arguments.of((Call) c -> c.onWindowAckSize(-2), "Window Acknowledgement Size 4294967294 is not 1..2147483647"),
                Arguments.of((Call) c -> c.onSetPeerBandwidth(0, 0), "Set Peer Bandwidth window 0 is not 1..2147483647"),
                Arguments.of((Call) c -> c.onSetPeerBandwidth(1000, 3),
                        "Set Peer Bandwidth limit type 3 is not 0 (hard), 1 (soft) or 2 (dynamic)"));
    }

    @ParameterizedTest
    @MethodSource("rejections")
    void rejectsWithAMessageNamingTheValue(Call call, String error) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> call.apply(control));
        assertEquals(error, e.getMessage());
        assertEquals(ChunkReader.DEFAULT_CHUNK_SIZE_BYTES, reader.chunkSizeBytes());
    }

    @Test
    void setChunkSizeReachesTheReader() throws ProtocolException {
        control.onSetChunkSize(1);
        assertEquals(1, reader.chunkSizeBytes());
        control.onSetChunkSize(65536);
        assertEquals(65536, reader.chunkSizeBytes());
    }

    @Test
    void largestChunkSizeWhenTheLimitAllowsIt() throws ProtocolException {
        ChunkLimits open = new ChunkLimits(1 << 20, 16, Integer.MAX_VALUE);
        ProtocolControl wide = new ProtocolControl(reader, open, ackWindow, peerBandwidth);
        wide.onSetChunkSize(0x7FFF_FFFF);
        assertEquals(0x7FFF_FFFF, reader.chunkSizeBytes());
    }

    @Test
    void abortReachesTheReader() throws IOException {
        // A 256-byte message on csid 4 is cut off after one chunk by an Abort Message on csid 2.
        ChunkReader reading = new ChunkReader(new ByteArrayInputStream(concat(
                hex("04 000000 000100 09 01000000"), new byte[128],
                hex("02 000000 000004 02 00000000 00000004"),
                hex("04 000000 000001 09 01000000 aa"))), LIMITS);
        ProtocolControl forReading = new ProtocolControl(reading, LIMITS, ackWindow, peerBandwidth);
        assertEquals(2, reading.read().typeId());
        forReading.onAbort(4);
        forReading.onAbort(65599); // an unused chunk stream: nothing to drop
        assertEquals(1, reading.read().length());
        assertEquals(true, reading.atMessageBoundary());
    }

    @Test
    void windowAckSizeMakesAcknowledgementsDue() throws ProtocolException {
        assertEquals(Optional.empty(), control.acknowledgementDue(5_000_000));
        control.onWindowAckSize(1_000_000);
        assertEquals(Optional.of(new ControlReply.Acknowledgement(5_000_000)), control.acknowledgementDue(5_000_000));
        assertEquals(Optional.empty(), control.acknowledgementDue(5_999_999));
        assertEquals(Optional.of(new ControlReply.Acknowledgement(0x0000_0010L)),
                control.acknowledgementDue(0x1_0000_0010L));
    }

    @Test
    void setPeerBandwidthRepliesWithWindowAckSizeWhenItChanges() throws ProtocolException {
        assertEquals(Optional.empty(), control.onSetPeerBandwidth(2_500_000, 0));
        assertEquals(Optional.of(new ControlReply.WindowAckSize(1_000_000)), control.onSetPeerBandwidth(1_000_000, 1));
        assertEquals(Optional.empty(), control.onSetPeerBandwidth(3_000_000, 2)); // previous was soft: ignored
        assertEquals(OptionalInt.of(1_000_000), peerBandwidth.limitBytes());
    }

    @Test
    void acknowledgementFromThePeerIsRecorded() throws ProtocolException {
        control.onAcknowledgement(4_000);
        assertEquals(1_000, peerBandwidth.unacknowledgedBytes(5_000));
    }
}
