package io.loomcast.gateway.protocol.amf;

import static io.loomcast.gateway.protocol.amf.Amf3Marker.*;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes AMF3 values (AMF3 spec, section 3) into one payload. The reference tables live as long as the
 * writer, and are used the way Flash Player uses them:
 *
 * <ul>
 *   <li>Strings by value: a non-empty string seen before is sent as a string reference.
 *   <li>Complex values (objects, arrays, dates, XML, ByteArrays, vectors, dictionaries) by identity: the same
 *       instance written twice is sent once and then referenced. Equal but distinct instances are sent whole.
 *   <li>Traits by value: an object whose class name, dynamic flag and sealed names match an earlier object's
 *       is sent with a trait reference.
 * </ul>
 *
 * <p>So whatever {@link Amf3Reader} decoded re-encodes to the same bytes if the input used references the
 * same way. It does not when the input repeated a string or traits inline where a reference was possible,
 * wrote a U29 in more bytes than needed, or set the unused bits of a date's U29.
 *
 * <p>AMF0-only values map to their nearest AMF3 form: a date loses its time zone, {@code Unsupported} becomes
 * undefined, a {@code TypedObject} becomes a sealed object of its class, an empty {@code EcmaArray} reads back
 * as an empty {@code StrictArray}. Values AMF3 cannot carry are rejected with IllegalArgumentException: an
 * empty dynamic member or associative key name (the empty name ends the list, AMF3 3.11/3.12), and a string or
 * count over 2^28 - 1.
 */
public final class Amf3Writer {
    private final AmfOutput out;
    private final Map<String, Integer> strings = new HashMap<>();
    private final Map<AmfValue, Integer> objects = new IdentityHashMap<>();
    private final Map<Amf3Traits, Integer> traits = new HashMap<>();

    public Amf3Writer() {
        this(new AmfOutput());
    }

    /** For one value after an AMF0 AVM+ marker: the AMF0 writer's buffer, fresh reference tables. */
    Amf3Writer(AmfOutput out) {
        this.out = out;
    }

    public Amf3Writer write(AmfValue value) {
        switch (value) {
            case AmfValue.Undefined u -> out.u8(UNDEFINED);
            case AmfValue.Unsupported u -> out.u8(UNDEFINED);
            case AmfValue.Null n -> out.u8(NULL);
            case AmfValue.Bool b -> out.u8(b.value() ? TRUE : FALSE);
            case AmfValue.Int i -> {
                out.u8(INTEGER);
                u29(i.value() & U29_MAX);
            }
            case AmfValue.Num n -> {
                out.u8(DOUBLE);
                out.f64(n.value());
            }
            case AmfValue.Str s -> {
                out.u8(STRING);
                string(s.value());
            }
            case AmfValue.XmlDocument x -> text(XML_DOCUMENT, x, x.xml());
            case AmfValue.Xml x -> text(XML, x, x.xml());
            case AmfValue.Date d -> {
                if (inline(DATE, d)) {
                    u29(1); // AMF3 3.10: only the inline bit; the zone is not sent
                    out.f64(d.epochMillis());
                }
            }
            case AmfValue.StrictArray a -> array(a, Map.of(), a.items());
            case AmfValue.EcmaArray a -> array(a, a.entries(), List.of());
            case AmfValue.MixedArray a -> array(a, a.associative(), a.dense());
            case AmfValue.Obj o -> object(o, Amf3Traits.ANONYMOUS_DYNAMIC, Map.of(), o.properties());
            case AmfValue.TypedObject o -> object(o,
                    new Amf3Traits(o.className(), false, List.copyOf(o.properties().keySet())),
                    o.properties(), Map.of());
            case AmfValue.Amf3Object o -> object(o,
                    new Amf3Traits(o.className(), o.dynamic(), List.copyOf(o.sealedMembers().keySet())),
                    o.sealedMembers(), o.dynamicMembers());
            case AmfValue.ByteArray b -> {
                if (inline(BYTE_ARRAY, b)) {
                    byte[] bytes = b.bytes();
                    u28WithFlag(bytes.length, "ByteArray length");
                    out.bytes(bytes);
                }
            }
            case AmfValue.IntVector v -> {
                int[] values = v.values();
                if (vectorHeader(VECTOR_INT, v, values.length, v.fixed())) {
                    for (int x : values) {
                        out.u32(x);
                    }
                }
            }
            case AmfValue.UintVector v -> {
                long[] values = v.values();
                if (vectorHeader(VECTOR_UINT, v, values.length, v.fixed())) {
                    for (long x : values) {
                        out.u32(x);
                    }
                }
            }
            case AmfValue.DoubleVector v -> {
                double[] values = v.values();
                if (vectorHeader(VECTOR_DOUBLE, v, values.length, v.fixed())) {
                    for (double x : values) {
                        out.f64(x);
                    }
                }
            }
            case AmfValue.ObjectVector v -> {
                if (vectorHeader(VECTOR_OBJECT, v, v.items().size(), v.fixed())) {
                    string(v.typeName());
                    v.items().forEach(this::write);
                }
            }
            case AmfValue.Dictionary d -> {
                if (inline(DICTIONARY, d)) {
                    u28WithFlag(d.entries().size(), "dictionary entry count");
                    out.u8(d.weakKeys() ? 1 : 0);
                    for (AmfValue.Dictionary.Entry e : d.entries()) {
                        write(e.key());
                        write(e.value());
                    }
                }
            }
        }
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    public static byte[] encode(AmfValue... values) {
        Amf3Writer w = new Amf3Writer();
        for (AmfValue v : values) {
            w.write(v);
        }
        return w.toByteArray();
    }

    /** AMF3 1.3.1: the shortest U29 encoding of 0..2^29-1. */
    private void u29(int v) {
        if (v < 0 || v > U29_MAX) {
            throw new IllegalArgumentException("U29 value %d outside 0..2^29-1".formatted(v));
        }
        if (v < 0x80) {
            out.u8(v);
        } else if (v < 0x4000) {
            out.u8(v >> 7 | 0x80);
            out.u8(v & 0x7F);
        } else if (v < 0x20_0000) {
            out.u8(v >> 14 | 0x80);
            out.u8(v >> 7 & 0x7F | 0x80);
            out.u8(v & 0x7F);
        } else {
            out.u8(v >> 22 | 0x80);
            out.u8(v >> 15 & 0x7F | 0x80);
            out.u8(v >> 8 & 0x7F | 0x80);
            out.u8(v & 0xFF);
        }
    }

    /** A length or count with the low "inline" bit set. */
    private void u28WithFlag(int n, String what) {
        if (n > U28_MAX) {
            throw new IllegalArgumentException("AMF3 %s %d exceeds 2^28 - 1".formatted(what, n));
        }
        u29(n << 1 | 1);
    }

    /** UTF-8-vr (AMF3 1.3.2): by reference if sent before; the empty string is never added or referenced. */
    private void string(String s) {
        if (s.isEmpty()) {
            out.u8(0x01);
            return;
        }
        Integer index = strings.get(s);
        if (index != null) {
            u29(index << 1);
            return;
        }
        strings.put(s, strings.size());
        u28WithFlag(AmfOutput.utf8Length(s), "string length");
        out.utf8(s);
    }

    /**
     * Writes the marker, then either a reference to the same instance written before (returning false) or
     * nothing yet (returning true: the caller writes the value inline). The index is taken before the body,
     * as the reader does, so nested values number the same way on both sides.
     */
    private boolean inline(int marker, AmfValue v) {
        out.u8(marker);
        Integer index = objects.putIfAbsent(v, objects.size());
        if (index != null) {
            u29(index << 1);
            return false;
        }
        return true;
    }

    private void text(int marker, AmfValue v, String text) {
        if (inline(marker, v)) {
            u28WithFlag(AmfOutput.utf8Length(text), "XML length");
            out.utf8(text);
        }
    }

    private boolean vectorHeader(int marker, AmfValue v, int count, boolean fixed) {
        if (!inline(marker, v)) {
            return false;
        }
        u28WithFlag(count, "vector length");
        out.u8(fixed ? 1 : 0);
        return true;
    }

    /** AMF3 3.11: dense count, associative pairs, the empty name, dense values. */
    private void array(AmfValue v, Map<String, AmfValue> associative, List<AmfValue> dense) {
        if (!inline(ARRAY, v)) {
            return;
        }
        u28WithFlag(dense.size(), "array dense count");
        dynamicMembers(associative, "array key");
        dense.forEach(this::write);
    }

    /** AMF3 3.12: traits inline or by reference, sealed values in trait order, dynamic members. */
    private void object(AmfValue v, Amf3Traits t, Map<String, AmfValue> sealed, Map<String, AmfValue> dynamic) {
        if (!inline(OBJECT, v)) {
            return;
        }
        Integer index = traits.get(t);
        if (index != null) {
            u29(index << 2 | 0b01); // inline object, traits by reference
        } else {
            traits.put(t, traits.size());
            int count = t.sealedNames().size();
            if (count > (U29_MAX >> 4)) {
                throw new IllegalArgumentException("AMF3 sealed member count %d too large".formatted(count));
            }
            u29(count << 4 | (t.dynamic() ? 0b1000 : 0) | 0b011); // inline object, inline traits
            string(t.className());
            t.sealedNames().forEach(this::string);
        }
        sealed.values().forEach(this::write);
        if (t.dynamic()) {
            dynamicMembers(dynamic, "dynamic member");
        }
    }

    private void dynamicMembers(Map<String, AmfValue> members, String what) {
        for (Map.Entry<String, AmfValue> e : members.entrySet()) {
            if (e.getKey().isEmpty()) {
                throw new IllegalArgumentException("AMF3 cannot encode an empty " + what + " name");
            }
            string(e.getKey());
            write(e.getValue());
        }
        out.u8(0x01); // the empty string ends the list
    }
}
