package io.loomcast.gateway.protocol.message;

import static io.loomcast.gateway.protocol.message.MessageAssertions.assertEveryCutSafe;
import static io.loomcast.gateway.protocol.message.MessageAssertions.assertRejected;
import static io.loomcast.gateway.protocol.message.MessageAssertions.assertRoundTrip;
import static io.loomcast.gateway.protocol.message.MessageAssertions.assertVector;
import static io.loomcast.gateway.testing.Hex.hex;
import static io.loomcast.gateway.testing.Hex.toHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.amf.AmfValue.EcmaArray;
import io.loomcast.gateway.protocol.amf.AmfValue.Num;
import io.loomcast.gateway.protocol.amf.AmfValue.Str;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Data messages (RTMP 7.1.2): a handler name and AMF values. Vectors from the captures. */
class DataMessageTest {

    /** FFmpeg's @setDataFrame when publishing, on stream 1 (ffmpeg-publish.c2s). */
    private static final String FFMPEG_SET_DATA_FRAME = """
            02 000d 40736574446174614672616d65  02 000a 6f6e4d65746144617461
            08 0000000d
               0008 6475726174696f6e 00 0000000000000000
               0005 7769647468 00 4064000000000000
               0006 686569676874 00 4056800000000000
               000d 766964656f6461746172617465 00 40586a0000000000
               0009 6672616d6572617465 00 402e000000000000
               000c 766964656f636f6465636964 00 401c000000000000
               000d 617564696f6461746172617465 00 403f400000000000
               000f 617564696f73616d706c6572617465 00 40e5888000000000
               000f 617564696f73616d706c6573697a65 00 4030000000000000
               0006 73746572656f 01 00
               000c 617564696f636f6465636964 00 4024000000000000
               0007 656e636f646572 02 000d 4c61766635392e32372e313030
               0008 66696c6573697a65 00 0000000000000000
               0000 09""";

    @Test
    void sampleAccessFromNginx() throws Exception {
        assertVector(DataMessage.of(1, 0, "|RtmpSampleAccess", AmfValue.Bool.TRUE, AmfValue.Bool.TRUE), 18,
                "02 0011 7c52746d7053616d706c65416363657373  01 01  01 01");
    }

    @Test
    void setDataFrameFromFfmpegBothWays() throws Exception {
        RawMessage raw = new RawMessage(4, 18, 1, 0, hex(FFMPEG_SET_DATA_FRAME));
        DataMessage m = (DataMessage) MessageCodec.decode(raw);
        assertEquals(DataMessage.SET_DATA_FRAME, m.handler());
        assertEquals(new Str(DataMessage.ON_META_DATA), m.values().getFirst());
        EcmaArray meta = assertInstanceOf(EcmaArray.class, m.values().get(1));
        assertEquals(13, meta.entries().size());
        assertEquals(new Num(160), meta.entries().get("width"));
        assertEquals(new Num(97.65625), meta.entries().get("videodatarate"));
        assertEquals(new Str("Lavf59.27.100"), meta.entries().get("encoder"));
        assertEquals(toHex(hex(FFMPEG_SET_DATA_FRAME)), toHex(MessageCodec.encode(m).payload()));

        DataMessage frame = m.dataFrame().orElseThrow();
        assertEquals(new DataMessage(AmfEncoding.AMF0, 1, 0, DataMessage.ON_META_DATA, List.of(meta)), frame);
        assertEquals(Optional.empty(), frame.dataFrame());
    }

    @Test
    void amf3DataHasAFormatByte() throws Exception {
        assertVector(new DataMessage(AmfEncoding.AMF3, 1, 40, "onCuePoint", List.of(new Num(1))), 15,
                "00  02 000a 6f6e437565506f696e74  00 3ff0000000000000");
    }

    @Test
    void malformedDataIsRejected() {
        assertRejected(18, "", "AMF0 Data message has no values, needs at least a handler name");
        assertRejected(18, "00 3ff0000000000000", "AMF0 Data message starts with Num, needs a handler name string");
        assertRejected(15, "02 0001 78", "AMF3 Data payload starts with 0x02, needs the format byte 0x00");
        assertRejected(15, "00", "AMF3 Data message has no values, needs at least a handler name");
    }

    @Test
    void roundTripsAndCuts() throws Exception {
        DataMessage m = (DataMessage) MessageCodec.decode(new RawMessage(4, 18, 1, 0, hex(FFMPEG_SET_DATA_FRAME)));
        for (DataMessage d : List.of(m, m.dataFrame().orElseThrow(), DataMessage.of(1, 0, "onTextData"))) {
            assertRoundTrip(d);
            assertEveryCutSafe(d);
        }
        assertEquals(ChunkStreams.DATA, MessageCodec.encode(m).chunkStreamId());
    }
}
