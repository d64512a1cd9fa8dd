package io.loomcast.gateway.protocol.message;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.Amf0Reader;
import io.loomcast.gateway.protocol.amf.Amf0Writer;
import io.loomcast.gateway.protocol.amf.AmfValue;
import java.util.List;

/**
 * The AMF framing shared by data, command and shared object messages: RTMP 7.1.1-7.1.3 give each an AMF0 and
 * an AMF3 type, and the AMF3 type's payload is a 0x00 format byte followed by AMF0 values, any of which may
 * switch to AMF3 with the 0x11 marker (which {@link Amf0Reader} follows).
 */
final class AmfPayloads {
    private AmfPayloads() {}

    /** Offset of the first AMF0 value: after the format byte for AMF3 types, which must be 0x00. */
    static int valuesStart(AmfEncoding encoding, byte[] p, int typeId) throws ProtocolException {
        if (encoding == AmfEncoding.AMF0) {
            return 0;
        }
        if (p.length == 0) {
            throw new ProtocolException("%s payload is empty, needs the format byte 0x00"
                    .formatted(MessageTypes.name(typeId)));
        }
        if (p[0] != 0) {
            throw new ProtocolException("%s payload starts with 0x%02X, needs the format byte 0x00"
                    .formatted(MessageTypes.name(typeId), p[0] & 0xFF));
        }
        return 1;
    }

    /** Every AMF0 value of the payload after the format byte. */
    static List<AmfValue> readAll(AmfEncoding encoding, byte[] p, int typeId) throws ProtocolException {
        int start = valuesStart(encoding, p, typeId);
        return new Amf0Reader(p, start, p.length - start).readAll();
    }

    /** The format byte for AMF3 types, then the values as AMF0. */
    static byte[] write(AmfEncoding encoding, List<AmfValue> values) {
        Amf0Writer w = new Amf0Writer();
        for (AmfValue v : values) {
            w.write(v);
        }
        byte[] amf = w.toByteArray();
        if (encoding == AmfEncoding.AMF0) {
            return amf;
        }
        byte[] out = new byte[amf.length + 1];
        System.arraycopy(amf, 0, out, 1, amf.length);
        return out;
    }

    /** The AMF kind of a value for error texts: "Num", "Obj". */
    static String kind(AmfValue v) {
        return v.getClass().getSimpleName();
    }
}
