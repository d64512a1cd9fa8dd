package io.loomcast.gateway.protocol.message;

import static io.loomcast.gateway.protocol.message.MessageAssertions.assertEveryCutSafe;
import static io.loomcast.gateway.protocol.message.MessageAssertions.assertRejected;
import static io.loomcast.gateway.protocol.message.MessageAssertions.assertRoundTrip;
import static io.loomcast.gateway.protocol.message.MessageAssertions.assertVector;
import static io.loomcast.gateway.protocol.message.MessageAssertions.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.amf.AmfValue.Num;
import io.loomcast.gateway.protocol.amf.AmfValue.Obj;
import io.loomcast.gateway.protocol.amf.AmfValue.Str;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Command messages (RTMP 7.1.1, 7.2). The AMF0 vectors are whole payloads captured from FFmpeg, GStreamer and
 * nginx-rtmp (gateway/src/test/resources/vectors/capture); the AMF3 ones are built from them.
 */
class CommandMessageTest {

    /** FFmpeg's connect when publishing (ffmpeg-publish.c2s, first message). */
    private static final String FFMPEG_CONNECT = """
            02 0007 636f6e6e656374  00 3ff0000000000000
            03 0003 617070 02 0004 6c697665
               0004 74797065 02 000a 6e6f6e70726976617465
               0008 666c617368566572 02 0024 464d4c452f332e302028636f6d70617469626c653b204c61766635392e32372e31303029
               0005 746355726c 02 001b 72746d703a2f2f3132372e302e302e313a34353438352f6c697665
               0000 09""";

    /** nginx-rtmp's _result to connect (every *.s2c capture). */
    private static final String NGINX_CONNECT_RESULT = """
            02 0007 5f726573756c74  00 3ff0000000000000
            03 0006 666d73566572 02 000d 464d532f332c302c312c313233
               000c 6361706162696c6974696573 00 403f000000000000
               0000 09
            03 0005 6c6576656c 02 0006 737461747573
               0004 636f6465 02 001d 4e6574436f6e6e656374696f6e2e436f6e6e6563742e53756363657373
               000b 6465736372697074696f6e 02 0015 436f6e6e656374696f6e207375636365656465642e
               000e 6f626a656374456e636f64696e67 00 0000000000000000
               0000 09""";

    /** nginx-rtmp's onStatus NetStream.Play.Start on stream 1 (ffmpeg-play.s2c). */
    private static final String NGINX_PLAY_START = """
            02 0008 6f6e537461747573  00 0000000000000000  05
            03 0005 6c6576656c 02 0006 737461747573
               0004 636f6465 02 0014 4e657453747265616d2e506c61792e5374617274
               000b 6465736372697074696f6e 02 000a 5374617274206c697665
               0000 09""";

    private static final String CREATE_STREAM = "02 000c 63726561746553747265616d  00 4000000000000000  05";

    private static Obj obj(Object... keysAndValues) {
        Map<String, AmfValue> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object v = keysAndValues[i + 1];
            m.put((String) keysAndValues[i], v instanceof String s ? new Str(s) : new Num(((Number) v).doubleValue()));
        }
        return new Obj(m);
    }

    @Test
    void connectFromFfmpeg() throws Exception {
        CommandMessage connect = CommandMessage.of(CommandMessage.CONNECT, 1,
                obj("app", "live", "type", "nonprivate", "flashVer", "FMLE/3.0 (compatible; Lavf59.27.100)",
                        "tcUrl", "rtmp://127.0.0.1:45485/live"));
        assertVector(connect, 20, FFMPEG_CONNECT);
    }

    @Test
    void connectResultFromNginx() throws Exception {
        CommandMessage connect = CommandMessage.of(CommandMessage.CONNECT, 1, AmfValue.NULL);
        Obj info = obj("level", "status", "code", "NetConnection.Connect.Success", "description", "Connection succeeded.",
                "objectEncoding", 0);
        assertVector(connect.result(obj("fmsVer", "FMS/3,0,1,123", "capabilities", 31), info), 20, NGINX_CONNECT_RESULT);
    }

    @Test
    void createStreamAndItsResult() throws Exception {
        CommandMessage createStream = CommandMessage.of(CommandMessage.CREATE_STREAM, 2, AmfValue.NULL);
        assertVector(createStream, 20, CREATE_STREAM); // FFmpeg (ffmpeg-play.c2s)
        assertVector(createStream.result(AmfValue.NULL, new Num(1)), 20,
                "02 0007 5f726573756c74  00 4000000000000000  05  00 3ff0000000000000"); // nginx-rtmp
    }

    @Test
    void streamCommandsCarryTheirStream() throws Exception {
        // FFmpeg's publish and GStreamer's play, both on message stream 1.
        assertVector(CommandMessage.of(CommandMessage.PUBLISH, 5, AmfValue.NULL, new Str("cap"), new Str("live")).onStream(1),
                20, "02 0007 7075626c697368  00 4014000000000000  05  02 0003 636170  02 0004 6c697665");
        CommandMessage play = CommandMessage.of(CommandMessage.PLAY, 0, AmfValue.NULL, new Str("cap"), new Num(-2)).onStream(1);
        assertVector(play, 20, "02 0004 706c6179  00 0000000000000000  05  02 0003 636170  00 c000000000000000");
        assertEquals(Optional.of("cap"), play.stringArgument(0));
        assertEquals(Optional.empty(), play.stringArgument(1));
        assertEquals(Optional.empty(), play.argument(2));
    }

    @Test
    void onStatusFactoryMatchesNginx() throws Exception {
        CommandMessage status = CommandMessage.onStatus(AmfEncoding.AMF0, 1,
                CommandMessage.statusInfo("status", "NetStream.Play.Start", "Start live"));
        assertVector(status, 20, NGINX_PLAY_START);
        assertEquals(ChunkStreams.COMMAND, MessageCodec.encode(status).chunkStreamId());
        assertEquals(1, MessageCodec.encode(status).messageStreamId());
    }

    @Test
    void amf3CommandsHaveAFormatByteAndAnswerInKind() throws Exception {
        CommandMessage createStream = new CommandMessage(AmfEncoding.AMF3, 0, 0, "createStream", 2, AmfValue.NULL, List.of());
        assertVector(createStream, 17, "00 " + CREATE_STREAM);
        CommandMessage result = createStream.result(AmfValue.NULL, new Num(1));
        assertEquals(AmfEncoding.AMF3, result.encoding());
        assertEquals(17, MessageCodec.encode(result).typeId());
        assertTrue(createStream.sameTransaction(result));
        assertFalse(createStream.sameTransaction(CommandMessage.of("x", 3, AmfValue.NULL)));
    }

    @Test
    void amf3CommandValuesMaySwitchToAmf3() throws Exception {
        // AMF0 0x11 switches one value to AMF3: here the AMF3 integer 1 (marker 0x04, U29 0x01).
        Message m = decode(17, "00  02 000c 64656c65746553747265616d  00 4014000000000000  05  11 04 01");
        assertEquals(new CommandMessage(AmfEncoding.AMF3, 0, 0, "deleteStream", 5, AmfValue.NULL, List.of(new AmfValue.Int(1))), m);
    }

    @Test
    void malformedCommandsAreRejected() {
        assertRejected(20, "", "AMF0 Command message starts with nothing, needs a command name string");
        assertRejected(20, "00 3ff0000000000000", "AMF0 Command message starts with Num, needs a command name string");
        assertRejected(20, "02 0004 706c6179", "AMF0 Command message 'play' has no transaction id");
        assertRejected(20, "02 0004 706c6179  02 0001 78", "AMF0 Command message 'play' transaction id is Str, needs a number");
        assertRejected(20, "02 000c 63726561746553747265616d  00 4000000000000000",
                "AMF0 Command message 'createStream' has no command object (RTMP 7.1.1: null when there is none)");
        assertRejected(17, "", "AMF3 Command payload is empty, needs the format byte 0x00");
        assertRejected(17, CREATE_STREAM, "AMF3 Command payload starts with 0x02, needs the format byte 0x00");
        assertThrows(ProtocolException.class, () -> decode(20, "02 000c 637265617465"));
    }

    @Test
    void roundTripsAndCuts() throws Exception {
        for (String vector : List.of(FFMPEG_CONNECT, NGINX_CONNECT_RESULT, NGINX_PLAY_START, CREATE_STREAM)) {
            Message m = decode(20, vector);
            assertRoundTrip(m);
            assertEveryCutSafe(m);
            assertRoundTrip(((CommandMessage) m).withEncoding(AmfEncoding.AMF3));
            assertEveryCutSafe(((CommandMessage) m).withEncoding(AmfEncoding.AMF3));
        }
    }
}
