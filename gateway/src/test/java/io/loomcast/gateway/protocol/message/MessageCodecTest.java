package io.loomcast.gateway.protocol.message;

import static io.loomcast.gateway.protocol.message.MessageAssertions.assertEveryCutSafe;
import static io.loomcast.gateway.protocol.message.MessageAssertions.assertRoundTrip;
import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.amf.AmfValue.Num;
import io.loomcast.gateway.protocol.amf.AmfValue.Str;
import io.loomcast.gateway.protocol.chunk.ChunkWriter;
import io.loomcast.gateway.protocol.chunk.PeerBandwidth.LimitType;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The codec as a whole: every record round-trips, survives every cut, and goes out on the right chunk stream. */
class MessageCodecTest {

    /** One of every record whose payload has no AMF in it. */
    static final List<Message> BINARY_SAMPLES = List.of(
            new SetChunkSize(4096),
            new Abort(6),
            new Acknowledgement(0xFFFF_FFFFL),
            new WindowAcknowledgementSize(2_500_000),
            new SetPeerBandwidth(2_500_000, LimitType.DYNAMIC),
            new StreamBegin(1),
            new StreamEof(1),
            new StreamDry(1),
            new SetBufferLength(1, 3000),
            new StreamIsRecorded(1),
            new PingRequest(123),
            new PingResponse(123),
            new UnparsedEvent(UnparsedEvent.SWF_VERIFY_REQUEST, new byte[0]),
            new AudioMessage(1, 40, hex("AF01 2110")),
            new VideoMessage(1, 40, hex("2701 000000 00")),
            new UnknownMessage(7, 1, 40, hex("01020304")),
            AggregateMessage.of(List.of(new VideoMessage(1, 40, hex("1701")), new AudioMessage(1, 41, hex("AF01")))),
            new SharedObjectMessage(AmfEncoding.AMF0, 0, 0, "so", 3, 0,
                    List.of(new SharedObjectEvent.Use(), new SharedObjectEvent.Status("SharedObject.NoReadAccess", "error"))));

    /** One of every record whose payload holds AMF values. */
    static final List<Message> AMF_SAMPLES = List.of(
            CommandMessage.of(CommandMessage.CONNECT, 1, CommandMessage.statusInfo("a", "b", "c"), new Str("extra")),
            CommandMessage.onStatus(AmfEncoding.AMF3, 1, CommandMessage.statusInfo("status", "NetStream.Play.Start", "go")),
            DataMessage.of(1, 0, DataMessage.SET_DATA_FRAME, new Str(DataMessage.ON_META_DATA), new Num(1)),
            new DataMessage(AmfEncoding.AMF3, 1, 0, "onTextData", List.of(AmfValue.NULL)),
            new SharedObjectMessage(AmfEncoding.AMF3, 0, 0, "so", 3, 2,
                    List.of(new SharedObjectEvent.Change("k", new Str("v")), new SharedObjectEvent.SendMessage("m", List.of()))),
            AggregateMessage.of(List.of(DataMessage.of(1, 5, "onCuePoint"), new VideoMessage(1, 5, hex("17")))));

    @Test
    void samplesCoverEveryRecord() {
        Set<Class<?>> covered = new HashSet<>();
        Stream.concat(BINARY_SAMPLES.stream(), AMF_SAMPLES.stream()).forEach(m -> covered.add(m.getClass()));
        assertEquals(leaves(Message.class), covered);
    }

    /** Every concrete record under a sealed interface: what an exhaustive switch must handle. */
    private static Set<Class<?>> leaves(Class<?> root) {
        Set<Class<?>> out = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (c.isSealed()) {
                todo.addAll(List.of(c.getPermittedSubclasses()));
            } else {
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void everyBinaryRecordRoundTripsAndSurvivesEveryCut() throws Exception {
        for (Message m : BINARY_SAMPLES) {
            assertRoundTrip(m);
            assertEveryCutSafe(m);
        }
    }

    @Test
    void everyAmfRecordRoundTripsAndSurvivesEveryCut() throws Exception {
        for (Message m : AMF_SAMPLES) {
            assertRoundTrip(m);
            assertEveryCutSafe(m);
        }
    }

    @Test
    void chunkStreamPerKind() {
        assertEquals(2, ChunkStreams.CONTROL);
        assertEquals(ChunkStreams.CONTROL, MessageCodec.encode(new SetChunkSize(4096)).chunkStreamId());
        assertEquals(ChunkStreams.CONTROL, MessageCodec.encode(new StreamBegin(1)).chunkStreamId());
        assertEquals(ChunkStreams.AUDIO, ChunkStreams.of(new AudioMessage(1, 0, new byte[0])));
        assertEquals(ChunkStreams.VIDEO, ChunkStreams.of(new VideoMessage(1, 0, new byte[0])));
        assertEquals(ChunkStreams.DATA, ChunkStreams.of(DataMessage.of(1, 0, "onMetaData")));
        assertEquals(ChunkStreams.COMMAND, ChunkStreams.of(CommandMessage.of("connect", 1, AmfValue.NULL)));
        // All distinct and all one-byte basic headers (RTMP 5.3.1.1: ids 2..63).
        Set<Integer> ids = Set.of(ChunkStreams.CONTROL, ChunkStreams.COMMAND, ChunkStreams.AUDIO, ChunkStreams.DATA,
                ChunkStreams.VIDEO);
        assertEquals(5, ids.size());
        ids.forEach(id -> assertEquals(true, id >= 2 && id <= 63, "csid " + id));
    }

    @Test
    void typeIdsMatchTheSpec() {
        assertEquals(1, MessageCodec.typeId(new SetChunkSize(1)));
        assertEquals(4, MessageCodec.typeId(new PingRequest(1)));
        assertEquals(18, MessageCodec.typeId(DataMessage.of(0, 0, "x")));
        assertEquals(15, MessageCodec.typeId(new DataMessage(AmfEncoding.AMF3, 0, 0, "x", List.of())));
        assertEquals(20, MessageCodec.typeId(CommandMessage.of("x", 0, AmfValue.NULL)));
        assertEquals(17, MessageCodec.typeId(CommandMessage.of("x", 0, AmfValue.NULL).withEncoding(AmfEncoding.AMF3)));
        assertEquals(19, MessageCodec.typeId(new SharedObjectMessage(AmfEncoding.AMF0, 0, 0, "x", 0, 0, List.of())));
        assertEquals(16, MessageCodec.typeId(new SharedObjectMessage(AmfEncoding.AMF3, 0, 0, "x", 0, 0, List.of())));
        assertEquals(22, MessageCodec.typeId(new AggregateMessage(0, 0, List.of())));
        assertEquals("Window Acknowledgement Size", MessageTypes.name(5));
        assertEquals("type 7", MessageTypes.name(7));
    }

    @Test
    void payloadsOverTheLengthFieldAreRefused() {
        AudioMessage huge = new AudioMessage(1, 0, new byte[ChunkWriter.MAX_MESSAGE_BYTES + 1]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MessageCodec.encode(huge));
        assertEquals("Audio payload of 16777216 bytes exceeds the 16777215 an RTMP message can carry", e.getMessage());
    }

    @Test
    void streamMessagesKeepTheirEnvelope() throws Exception {
        RawMessage raw = MessageCodec.encode(new UnknownMessage(99, 5, 0xFFFF_FFFFL, hex("00")));
        assertEquals(5, raw.messageStreamId());
        assertEquals(0xFFFF_FFFFL, raw.timestamp());
        assertEquals(new UnknownMessage(99, 5, 0xFFFF_FFFFL, hex("00")), MessageCodec.decode(raw));
    }
}
