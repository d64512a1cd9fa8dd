package io.loomcast.gateway.routing;

import io.loomcast.gateway.protocol.amf.Amf0Writer;
import io.loomcast.gateway.protocol.amf.AmfValue;

/** Turns stored onMetaData back into what a publisher sends: {@code @setDataFrame, onMetaData, {...}}. */
final class DataFrames {
    private static final byte[] SET_DATA_FRAME = Amf0Writer.encode(new AmfValue.Str("@setDataFrame"));

    private DataFrames() {}

    static byte[] setDataFrame(byte[] onMetaData) {
        byte[] out = new byte[SET_DATA_FRAME.length + onMetaData.length];
        System.arraycopy(SET_DATA_FRAME, 0, out, 0, SET_DATA_FRAME.length);
        System.arraycopy(onMetaData, 0, out, SET_DATA_FRAME.length, onMetaData.length);
        return out;
    }
}
