package io.loomcast.benchmarks;

import io.loomcast.gateway.protocol.amf.AmfValue;
import io.loomcast.gateway.protocol.message.AmfEncoding;
import io.loomcast.gateway.protocol.message.CommandMessage;
import io.loomcast.gateway.protocol.message.DataMessage;
import io.loomcast.gateway.protocol.message.Message;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AMF0 messages the AMF benchmark encodes and decodes, with the fields real peers put in them.
 */
public enum AmfCommands {
    /** connect as the FFmpeg 5.1 RTMP client sends it to play (fields and values as in its capture). */
    CONNECT {
        @Override
        Message message() {
            Map<String, AmfValue> properties = new LinkedHashMap<>();
            properties.put("app", new AmfValue.Str("live"));
            properties.put("flashVer", new AmfValue.Str("LNX 9,0,124,2"));
            properties.put("tcUrl", new AmfValue.Str("rtmp://127.0.0.1:1935/live"));
            properties.put("fpad", AmfValue.Bool.FALSE);
            properties.put("capabilities", new AmfValue.Num(15));
            properties.put("audioCodecs", new AmfValue.Num(4071));
            properties.put("videoCodecs", new AmfValue.Num(252));
            properties.put("videoFunction", new AmfValue.Num(1));
            return CommandMessage.of(CommandMessage.CONNECT, 1, new AmfValue.Obj(properties));
        }
    },
    /** onStatus NetStream.Play.Start, as a server answers play. */
    ON_STATUS {
        @Override
        Message message() {
            Map<String, AmfValue> info = new LinkedHashMap<>(
                    CommandMessage.statusInfo("status", "NetStream.Play.Start", "Started playing live/stream.")
                            .properties());
            info.put("details", new AmfValue.Str("live/stream"));
            return CommandMessage.onStatus(AmfEncoding.AMF0, 1, new AmfValue.Obj(info));
        }
    },
    /** @setDataFrame onMetaData as FFmpeg 5.1 publishes it for H.264 720p30 with AAC. */
    SET_DATA_FRAME {
        @Override
        Message message() {
            Map<String, AmfValue> meta = new LinkedHashMap<>();
            meta.put("duration", new AmfValue.Num(0));
            meta.put("width", new AmfValue.Num(1280));
            meta.put("height", new AmfValue.Num(720));
            meta.put("videodatarate", new AmfValue.Num(2441.40625));
            meta.put("framerate", new AmfValue.Num(30));
            meta.put("videocodecid", new AmfValue.Num(7));
            meta.put("audiodatarate", new AmfValue.Num(125));
            meta.put("audiosamplerate", new AmfValue.Num(44100));
            meta.put("audiosamplesize", new AmfValue.Num(16));
            meta.put("stereo", AmfValue.Bool.TRUE);
            meta.put("audiocodecid", new AmfValue.Num(10));
            meta.put("encoder", new AmfValue.Str("Lavf59.27.100"));
            meta.put("filesize", new AmfValue.Num(0));
            return DataMessage.of(1, 0, DataMessage.SET_DATA_FRAME, new AmfValue.Str(DataMessage.ON_META_DATA),
                    new AmfValue.EcmaArray(meta));
        }
    };

    /** A new instance of the message. */
    abstract Message message();
}
