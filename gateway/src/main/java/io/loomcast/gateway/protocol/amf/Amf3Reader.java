package io.loomcast.gateway.protocol.amf;

import static io.loomcast.gateway.protocol.amf.Amf3Marker.*;

import io.loomcast.gateway.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AMF3 values (AMF3 spec, section 3) from one message payload, or one value after an AMF0 AVM+ marker.
 *
 * <ul>
 *   <li>Any input either decodes or throws {@link ProtocolException}, as for {@link Amf0Reader}; an
 *       externalizable object fails naming its class, because its body format is private to that class.
 *   <li>The string, object and trait reference tables live as long as the reader (one payload). An object
 *       reference resolves to the same instance; a reference to a value still being read (a cycle) fails.
 *   <li>Shapes: an anonymous dynamic object with no sealed members is an {@link AmfValue.Obj}; other objects
 *       are {@link AmfValue.Amf3Object}. An array with no associative part is a {@link AmfValue.StrictArray},
 *       one with no dense part but associative entries an {@link AmfValue.EcmaArray}, else a
 *       {@link AmfValue.MixedArray}. A date has time zone 0.
 *   <li>Vector fixed flags and dictionary weak-key flags must be 0 or 1.
 * </ul>
 */
public final class Amf3Reader {
    private final AmfInput in;
    private final RefTable<String> strings = new RefTable<>("AMF3 string reference");
    private final RefTable<AmfValue> objects = new RefTable<>("AMF3 object reference");
    private final RefTable<Amf3Traits> traits = new RefTable<>("AMF3 trait reference");
    private ProtocolException failure;

    public Amf3Reader(byte[] data) {
        this(data, 0, data.length);
    }

    public Amf3Reader(byte[] data, int offset, int length) {
        this(data, offset, length, AmfLimits.DEFAULT);
    }

    public Amf3Reader(byte[] data, int offset, int length, AmfLimits limits) {
        this.in = new AmfInput(data, offset, length, limits);
    }

    /** For one value after the AVM+ marker: the AMF0 reader's input, with fresh reference tables. */
    Amf3Reader(AmfInput in) {
        this.in = in;
    }

    public boolean hasRemaining() {
        return in.remaining() > 0;
    }

    /** Offset of the next unread byte, relative to the start of the array. */
    public int position() {
        return in.position();
    }

    public AmfValue read() throws ProtocolException {
        if (failure != null) {
            throw new ProtocolException("AMF3 reader already failed: " + failure.getMessage(), failure);
        }
        try {
            if (!hasRemaining()) {
                throw new ProtocolException("no AMF3 value at offset %d: end of payload".formatted(in.position()));
            }
            return value();
        } catch (ProtocolException e) {
            failure = e;
            throw e;
        }
    }

    /** Every value up to the end of the payload. */
    public List<AmfValue> readAll() throws ProtocolException {
        List<AmfValue> values = new ArrayList<>();
        while (hasRemaining()) {
            values.add(read());
        }
        return values;
    }

    /** The one value after an AMF0 AVM+ marker; the caller's reader records any failure. */
    AmfValue switched() throws ProtocolException {
        return value();
    }

    private AmfValue value() throws ProtocolException {
        int at = in.position();
        int marker = in.u8("AMF3 value marker");
        return switch (marker) {
            case UNDEFINED -> AmfValue.UNDEFINED;
            case NULL -> AmfValue.NULL;
            case FALSE -> AmfValue.Bool.FALSE;
            case TRUE -> AmfValue.Bool.TRUE;
            // AMF3 3.6: 29 bits, two's complement; shift up and back to sign-extend.
            case INTEGER -> new AmfValue.Int(u29("AMF3 integer") << 3 >> 3);
            case DOUBLE -> new AmfValue.Num(in.f64("AMF3 double"));
            case STRING -> new AmfValue.Str(string("AMF3 string"));
            case XML_DOCUMENT, DATE, ARRAY, OBJECT, XML, BYTE_ARRAY, VECTOR_INT, VECTOR_UINT, VECTOR_DOUBLE,
                    VECTOR_OBJECT, DICTIONARY -> complex(marker, at);
            default -> throw new ProtocolException("unknown AMF3 marker 0x%02X at offset %d".formatted(marker, at));
        };
    }

    /** AMF3 1.3.1: one to four bytes, seven bits each with a continuation bit, the fourth byte all eight. */
    private int u29(String what) throws ProtocolException {
        return u29(what, "");
    }

    private int u29(String what, String field) throws ProtocolException {
        int b = in.u8(what, field);
        if (b < 0x80) {
            return b;
        }
        int v = (b & 0x7F) << 7;
        b = in.u8(what, field);
        if (b < 0x80) {
            return v | b;
        }
        v = (v | b & 0x7F) << 7;
        b = in.u8(what, field);
        if (b < 0x80) {
            return v | b;
        }
        v = (v | b & 0x7F) << 8;
        return v | in.u8(what, field);
    }

    /** UTF-8-vr (AMF3 1.3.2): a string reference, or an inline string added to the table unless empty. */
    private String string(String what) throws ProtocolException {
        int at = in.position();
        int header = u29(what, AmfInput.HEADER);
        if ((header & 1) == 0) {
            return strings.resolve(header >>> 1, at, in);
        }
        int length = header >>> 1;
        if (length == 0) {
            return ""; // AMF3 1.3.2: the empty string is never sent by reference
        }
        String s = in.utf8(length, what, at);
        strings.add(s, length);
        return s;
    }

    /**
     * A value that may be sent by reference (AMF3 3.9 onwards). The U29 after the marker is a reference
     * when its low bit is 0; otherwise the value is inline, takes the next index in the object table before
     * its body is read (so nested values number after it), and the other 28 bits are its length, count or
     * traits.
     */
    private AmfValue complex(int marker, int at) throws ProtocolException {
        String what = name(marker);
        int header = u29(what, AmfInput.HEADER);
        if ((header & 1) == 0) {
            return reference(header >>> 1, marker, at);
        }
        int bits = header >>> 1;
        int slot = objects.reserve();
        long referencedBefore = in.referencedBytes();
        AmfValue v = switch (marker) {
            case XML_DOCUMENT -> new AmfValue.XmlDocument(in.utf8(bits, what, at));
            case XML -> new AmfValue.Xml(in.utf8(bits, what, at));
            // AMF3 3.10: the bits after the inline flag are unused.
            case DATE -> new AmfValue.Date(in.f64(what));
            case BYTE_ARRAY -> new AmfValue.ByteArray(in.bytes(bits, what, at));
            case ARRAY -> array(bits, at);
            case OBJECT -> object(bits, at);
            case VECTOR_OBJECT -> objectVector(bits, at);
            case DICTIONARY -> dictionary(bits, at);
            default -> numberVector(marker, bits, at);
        };
        objects.fill(slot, v, (in.position() - at) + (in.referencedBytes() - referencedBefore));
        return v;
    }

    private static String name(int marker) {
        return switch (marker) {
            case XML_DOCUMENT -> "AMF3 XMLDocument";
            case XML -> "AMF3 XML";
            case DATE -> "AMF3 date";
            case BYTE_ARRAY -> "AMF3 ByteArray";
            case ARRAY -> "AMF3 array";
            case OBJECT -> "AMF3 object";
            case VECTOR_INT -> "AMF3 int vector";
            case VECTOR_UINT -> "AMF3 uint vector";
            case VECTOR_DOUBLE -> "AMF3 double vector";
            case VECTOR_OBJECT -> "AMF3 object vector";
            default -> "AMF3 dictionary";
        };
    }

    /**
     * An object reference must name a value of the type its marker announces: no writer sends a date marker
     * for an array, so such input is malformed, and it would not re-encode to the same bytes.
     */
    private AmfValue reference(int index, int marker, int at) throws ProtocolException {
        AmfValue v = objects.resolve(index, at, in);
        if (Amf3Marker.of(v) != marker) {
            throw new ProtocolException("AMF3 reference %d at offset %d under marker 0x%02X names a %s"
                    .formatted(index, at, marker, v.getClass().getSimpleName()));
        }
        return v;
    }

    /** AMF3 3.11: name/value pairs up to the empty name, then the dense values. */
    private AmfValue array(int denseCount, int at) throws ProtocolException {
        in.enter("AMF3 array", at);
        Map<String, AmfValue> associative = dynamicMembers("AMF3 array key");
        in.checkCount(denseCount, 1, "AMF3 array dense part", at);
        List<AmfValue> dense = new ArrayList<>(Math.min(denseCount, 64));
        for (int i = 0; i < denseCount; i++) {
            dense.add(value());
        }
        in.leave();
        if (associative.isEmpty()) {
            return new AmfValue.StrictArray(dense);
        }
        return dense.isEmpty() ? new AmfValue.EcmaArray(associative) : new AmfValue.MixedArray(associative, dense);
    }

    /** Name/value pairs ending with the empty name: an array's associative part, an object's dynamic members. */
    private Map<String, AmfValue> dynamicMembers(String what) throws ProtocolException {
        Map<String, AmfValue> members = new LinkedHashMap<>();
        for (String name = string(what); !name.isEmpty(); name = string(what)) {
            members.put(name, value());
        }
        return members;
    }

    /** AMF3 3.12: traits inline or by reference, sealed member values, then dynamic members if dynamic. */
    private AmfValue object(int header, int at) throws ProtocolException {
        in.enter("AMF3 object", at);
        Amf3Traits t = traits(header, at);
        in.checkCount(t.sealedNames().size(), 1, "AMF3 object sealed member", at);
        Map<String, AmfValue> sealed = new LinkedHashMap<>();
        for (String name : t.sealedNames()) {
            sealed.put(name, value());
        }
        Map<String, AmfValue> dynamic = t.dynamic() ? dynamicMembers("AMF3 object member name") : Map.of();
        in.leave();
        return t.className().isEmpty() && t.dynamic() && t.sealedNames().isEmpty()
                ? new AmfValue.Obj(dynamic)
                : new AmfValue.Amf3Object(t.className(), t.dynamic(), sealed, dynamic);
    }

    /**
     * AMF3 3.12 U29O-traits-ref, -traits-ext and -traits, with the object-reference bit already removed:
     * bit 0 set means inline traits, then bit 1 externalizable, bit 2 dynamic, and the rest the sealed count.
     */
    private Amf3Traits traits(int header, int at) throws ProtocolException {
        if ((header & 1) == 0) {
            return traits.resolve(header >>> 1, at, in);
        }
        int traitsAt = in.position();
        long referencedBefore = in.referencedBytes();
        if ((header & 2) != 0) {
            String className = string("AMF3 externalizable class name");
            throw new ProtocolException(("AMF3 object at offset %d is externalizable (class '%s'); its body format"
                    + " is private to that class and cannot be decoded")
                    .formatted(at, className.length() > 200 ? className.substring(0, 200) + "..." : className));
        }
        boolean dynamic = (header & 4) != 0;
        int sealedCount = header >>> 3;
        String className = string("AMF3 object class name");
        // Each sealed member takes a name and a value, at least a byte each.
        in.checkCount(sealedCount, 2, "AMF3 object sealed member", at);
        List<String> names = new ArrayList<>(Math.min(sealedCount, 64));
        for (int i = 0; i < sealedCount; i++) {
            names.add(string("AMF3 sealed member name"));
        }
        Amf3Traits t = new Amf3Traits(className, dynamic, names);
        traits.add(t, (in.position() - traitsAt) + (in.referencedBytes() - referencedBefore));
        return t;
    }

    /** AMF3 3.15: fixed flag, then 4-byte ints or uints or 8-byte doubles. */
    private AmfValue numberVector(int marker, int count, int at) throws ProtocolException {
        boolean fixed = flag("AMF3 vector fixed flag");
        return switch (marker) {
            case VECTOR_INT -> {
                int[] values = new int[in.checkCount(count, 4, "AMF3 int vector", at)];
                for (int i = 0; i < values.length; i++) {
                    values[i] = in.s32("AMF3 int vector item");
                }
                yield new AmfValue.IntVector(values, fixed);
            }
            case VECTOR_UINT -> {
                long[] values = new long[in.checkCount(count, 4, "AMF3 uint vector", at)];
                for (int i = 0; i < values.length; i++) {
                    values[i] = in.u32("AMF3 uint vector item");
                }
                yield new AmfValue.UintVector(values, fixed);
            }
            default -> {
                double[] values = new double[in.checkCount(count, 8, "AMF3 double vector", at)];
                for (int i = 0; i < values.length; i++) {
                    values[i] = in.f64("AMF3 double vector item");
                }
                yield new AmfValue.DoubleVector(values, fixed);
            }
        };
    }

    /** AMF3 3.15: fixed flag, the item type name ("*" for any), then the items. */
    private AmfValue objectVector(int count, int at) throws ProtocolException {
        in.enter("AMF3 object vector", at);
        boolean fixed = flag("AMF3 vector fixed flag");
        String typeName = string("AMF3 object vector type name");
        in.checkCount(count, 1, "AMF3 object vector", at);
        List<AmfValue> items = new ArrayList<>(Math.min(count, 64));
        for (int i = 0; i < count; i++) {
            items.add(value());
        }
        in.leave();
        return new AmfValue.ObjectVector(typeName, items, fixed);
    }

    /** AMF3 3.16: weak-keys flag, then key/value pairs. */
    private AmfValue dictionary(int count, int at) throws ProtocolException {
        in.enter("AMF3 dictionary", at);
        boolean weakKeys = flag("AMF3 dictionary weak-keys flag");
        in.checkCount(count, 2, "AMF3 dictionary entry", at);
        List<AmfValue.Dictionary.Entry> entries = new ArrayList<>(Math.min(count, 64));
        for (int i = 0; i < count; i++) {
            AmfValue key = value();
            entries.add(new AmfValue.Dictionary.Entry(key, value()));
        }
        in.leave();
        return new AmfValue.Dictionary(entries, weakKeys);
    }

    /** A U8 boolean that must be 0 or 1, so that what decodes re-encodes to the same bytes. */
    private boolean flag(String what) throws ProtocolException {
        int at = in.position();
        int b = in.u8(what);
        if (b > 1) {
            throw new ProtocolException("%s %d at offset %d is not 0 or 1".formatted(what, b, at));
        }
        return b == 1;
    }
}
