package io.loomcast.gateway.protocol.amf;

import static io.loomcast.gateway.protocol.amf.Amf0Marker.*;

import java.util.Map;

/**
 * Writes AMF0 values (AMF0 spec, section 2) into one payload.
 *
 * <ul>
 *   <li>Never writes references (0x07): the same instance twice is written twice. Simple, and what RTMP
 *       peers expect of command messages; input that used references therefore re-encodes longer.
 *   <li>A string whose UTF-8 form exceeds 65535 bytes is written as a long string (0x0C), otherwise as a
 *       string (0x02); a long string read from short text re-encodes short.
 *   <li>An {@link AmfValue.Int} is written as a number.
 *   <li>Values with no AMF0 form (the AMF3-only records: MixedArray, Amf3Object, Xml, vectors, Dictionary,
 *       ByteArray) are written after the AVM+ marker 0x11 in AMF3, with fresh AMF3 reference tables for each
 *       such value, so they read back equal. So are objects, ECMA arrays and typed objects with a property
 *       name (or class name) longer than AMF0's U16 length allows.
 * </ul>
 */
public final class Amf0Writer {
    private static final int U16_MAX = 0xFFFF;

    private final AmfOutput out = new AmfOutput();

    public Amf0Writer write(AmfValue value) {
        switch (value) {
            case AmfValue.Num n -> number(n.value());
            case AmfValue.Int i -> number(i.value());
            case AmfValue.Bool b -> {
                out.u8(BOOLEAN);
                out.u8(b.value() ? 1 : 0);
            }
            case AmfValue.Str s -> string(s.value());
            case AmfValue.Null n -> out.u8(NULL);
            case AmfValue.Undefined u -> out.u8(UNDEFINED);
            case AmfValue.Unsupported u -> out.u8(UNSUPPORTED);
            case AmfValue.Obj o -> {
                if (fitsU16(o.properties())) {
                    out.u8(OBJECT);
                    properties(o.properties());
                } else {
                    amf3(o);
                }
            }
            case AmfValue.EcmaArray a -> {
                if (fitsU16(a.entries())) {
                    out.u8(ECMA_ARRAY);
                    out.u32(a.entries().size()); // AMF0 2.10: the associative count
                    properties(a.entries());
                } else {
                    amf3(a);
                }
            }
            case AmfValue.TypedObject o -> {
                if (fitsU16(o.className()) && fitsU16(o.properties())) {
                    out.u8(TYPED_OBJECT);
                    shortString(o.className());
                    properties(o.properties());
                } else {
                    amf3(o);
                }
            }
            case AmfValue.StrictArray a -> {
                out.u8(STRICT_ARRAY);
                out.u32(a.items().size());
                a.items().forEach(this::write);
            }
            case AmfValue.Date d -> {
                out.u8(DATE);
                out.f64(d.epochMillis());
                out.u16(d.timeZoneMinutes() & 0xFFFF); // AMF0 2.13: S16, should be 0
            }
            case AmfValue.XmlDocument x -> {
                out.u8(XML_DOCUMENT);
                longString(x.xml());
            }
            case AmfValue.MixedArray v -> amf3(v);
            case AmfValue.Amf3Object v -> amf3(v);
            case AmfValue.Xml v -> amf3(v);
            case AmfValue.ByteArray v -> amf3(v);
            case AmfValue.IntVector v -> amf3(v);
            case AmfValue.UintVector v -> amf3(v);
            case AmfValue.DoubleVector v -> amf3(v);
            case AmfValue.ObjectVector v -> amf3(v);
            case AmfValue.Dictionary v -> amf3(v);
        }
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    public static byte[] encode(AmfValue... values) {
        Amf0Writer w = new Amf0Writer();
        for (AmfValue v : values) {
            w.write(v);
        }
        return w.toByteArray();
    }

    private void number(double v) {
        out.u8(NUMBER);
        out.f64(v);
    }

    /** AMF0 3.1: the AVM+ marker, then one AMF3 value with its own reference tables. */
    private void amf3(AmfValue v) {
        out.u8(AVMPLUS);
        new Amf3Writer(out).write(v);
    }

    /** String (0x02) or, past 65535 UTF-8 bytes, long string (0x0C); encoded once, length patched after. */
    private void string(String s) {
        int markerAt = out.size();
        out.u8(STRING);
        out.u16(0);
        int length = out.utf8(s);
        if (length <= U16_MAX) {
            out.putU16(markerAt + 1, length);
        } else {
            out.insertGap(markerAt + 3, 2);
            out.putU8(markerAt, LONG_STRING);
            out.putU32(markerAt + 1, length);
        }
    }

    /** UTF-8 with a U16 length; the caller has checked it fits. */
    private void shortString(String s) {
        int lengthAt = out.size();
        out.u16(0);
        out.putU16(lengthAt, out.utf8(s));
    }

    /** UTF-8-long: a U32 length. */
    private void longString(String s) {
        int lengthAt = out.size();
        out.u32(0);
        out.putU32(lengthAt, out.utf8(s));
    }

    /** AMF0 2.5: name/value pairs, then UTF-8-empty and the object-end marker. */
    private void properties(Map<String, AmfValue> props) {
        for (Map.Entry<String, AmfValue> e : props.entrySet()) {
            shortString(e.getKey());
            write(e.getValue());
        }
        out.u16(0);
        out.u8(OBJECT_END);
    }

    private static boolean fitsU16(Map<String, AmfValue> props) {
        for (String name : props.keySet()) {
            if (!fitsU16(name)) {
                return false;
            }
        }
        return true;
    }

    /** Whether s's UTF-8 form fits a U16 length; at most 3 bytes per char, so only long strings are measured. */
    private static boolean fitsU16(String s) {
        return s.length() <= U16_MAX / 3 || AmfOutput.utf8Length(s) <= U16_MAX;
    }
}
