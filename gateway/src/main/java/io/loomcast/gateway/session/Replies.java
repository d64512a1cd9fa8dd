package io.loomcast.gateway.session;

import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.amf.AmfValue.Num;
import io.loomcast.gateway.protocol.amf.AmfValue.Str;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import io.loomcast.gateway.protocol.message.AmfEncoding;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.DataMessage;
import io.loomcast.gateway.protocol.message.Message;
import io.loomcast.gateway.protocol.message.MessageCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The messages a server sends in answer to commands, as RTMP 7.2 and the clients in the field expect them. */
final class Replies {
    private Replies() {}

    static RawMessage raw(Message m) {
        return MessageCodec.encode(m);
    }

    /** connect's {@code _result}: server properties, then NetConnection.Connect.Success with objectEncoding echoed. */
    static RawMessage connectResult(CommandMessage connect, double objectEncoding) {
        Map<String, AmfValue> props = new LinkedHashMap<>();
        props.put("fmsVer", new Str("FMS/3,0,1,123"));
        props.put("capabilities", new Num(31));
        props.put("mode", new Num(1));
        Map<String, AmfValue> info = new LinkedHashMap<>(
                CommandMessage.statusInfo("status", "NetConnection.Connect.Success", "Connection succeeded.").properties());
        info.put("objectEncoding", new Num(objectEncoding));
        return raw(result(connect, new AmfValue.Obj(props), new AmfValue.Obj(info)));
    }

    /** {@code _result} for a request, on the request's stream and in its encoding. */
    static CommandMessage result(CommandMessage request, AmfValue commandObject, AmfValue... args) {
        return new CommandMessage(request.encoding(), request.messageStreamId(), 0, CommandMessage.RESULT,
                request.transactionId(), commandObject, List.of(args));
    }

    /** {@code _error} with NetConnection.Call.Failed: what a client gets for a call we do not serve. */
    static RawMessage callFailed(CommandMessage request, String description) {
        return raw(new CommandMessage(request.encoding(), request.messageStreamId(), 0, CommandMessage.ERROR,
                request.transactionId(), AmfValue.NULL,
                List.of(CommandMessage.statusInfo("error", "NetConnection.Call.Failed", description))));
    }

    static RawMessage onBwDone(AmfEncoding encoding) {
        return raw(new CommandMessage(encoding, 0, 0, "onBWDone", 0, AmfValue.NULL, List.of()));
    }

    /** onStatus on a NetStream, with the stream name in details as FMS sends it. */
    static RawMessage onStatus(AmfEncoding encoding, int messageStreamId, String level, String code, String description,
            String details) {
        Map<String, AmfValue> info = new LinkedHashMap<>(CommandMessage.statusInfo(level, code, description).properties());
        if (details != null) {
            info.put("details", new Str(details));
        }
        info.put("clientid", new Str("loomcast"));
        return raw(CommandMessage.onStatus(encoding, messageStreamId, new AmfValue.Obj(info)));
    }

    /** onFCPublish / onFCUnpublish: the answer encoders such as OBS and ffmpeg log. */
    static RawMessage onFc(AmfEncoding encoding, String name, String code, String streamName) {
        Map<String, AmfValue> info = new LinkedHashMap<>();
        info.put("code", new Str(code));
        info.put("description", new Str(streamName));
        return raw(new CommandMessage(encoding, 0, 0, name, 0, AmfValue.NULL, List.of(new AmfValue.Obj(info))));
    }

    /** {@code |RtmpSampleAccess(true, true)}: lets a Flash player read the audio and video it receives. */
    static RawMessage sampleAccess(int messageStreamId) {
        return raw(new DataMessage(AmfEncoding.AMF0, messageStreamId, 0, "|RtmpSampleAccess",
                List.of(AmfValue.Bool.TRUE, AmfValue.Bool.TRUE)));
    }
}
