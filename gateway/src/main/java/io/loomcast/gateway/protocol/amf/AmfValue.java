package io.loomcast.gateway.protocol.amf;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One AMF value, as read from AMF0 or AMF3 or to be written to either. The records keep what is needed to
 * re-encode a value to the same bytes (for example an ECMA array stays an ECMA array, not an object).
 *
 * <p>Maps keep insertion order, because RTMP peers read command objects in order and some care.
 */
public sealed interface AmfValue {

    /** AMF0 number (0x00), AMF3 double (0x05). */
    record Num(double value) implements AmfValue {}

    /** AMF3 integer (0x04): a 29-bit signed value. AMF0 writes it as a number. */
    record Int(int value) implements AmfValue {
        public static final int MIN = -(1 << 28);
        public static final int MAX = (1 << 28) - 1;

        public Int {
            if (value < MIN || value > MAX) {
                throw new IllegalArgumentException("AMF3 integer %d outside 29-bit range".formatted(value));
            }
        }
    }

    /** AMF0 boolean (0x01), AMF3 false/true (0x02/0x03). */
    record Bool(boolean value) implements AmfValue {
        public static final Bool TRUE = new Bool(true);
        public static final Bool FALSE = new Bool(false);
    }

    /** AMF0 string (0x02) or long string (0x0C, chosen when the UTF-8 form exceeds 65535 bytes); AMF3 string. */
    record Str(String value) implements AmfValue {
        public Str {
            Objects.requireNonNull(value, "value");
        }
    }

    /** AMF0 null (0x05), AMF3 null (0x01). */
    record Null() implements AmfValue {}

    /** AMF0 undefined (0x06), AMF3 undefined (0x00). */
    record Undefined() implements AmfValue {}

    /**
     * An anonymous object: AMF0 object (0x03), AMF3 object with an anonymous dynamic trait. This is what
     * RTMP command objects (connect's command object, onStatus info) are.
     */
    record Obj(Map<String, AmfValue> properties) implements AmfValue {
        public Obj {
            properties = unmodifiableCopy(properties);
        }

        public Optional<AmfValue> get(String name) {
            return Optional.ofNullable(properties.get(name));
        }

        /** The named property as a string, if it is one. */
        public Optional<String> string(String name) {
            return get(name).filter(Str.class::isInstance).map(v -> ((Str) v).value());
        }

        /** The named property as a number (AMF0 number or AMF3 integer), if it is one. */
        public Optional<Double> number(String name) {
            return get(name).flatMap(AmfValue::asDouble);
        }
    }

    /** AMF0 ECMA array (0x08): string keys, with an associative-count hint that readers must not trust. */
    record EcmaArray(Map<String, AmfValue> entries) implements AmfValue {
        public EcmaArray {
            entries = unmodifiableCopy(entries);
        }
    }

    /** AMF0 strict array (0x0A); AMF3 array (0x09) with only a dense part. */
    record StrictArray(List<AmfValue> items) implements AmfValue {
        public StrictArray {
            items = List.copyOf(items);
        }
    }

    /** AMF0 date (0x0B) with its time-zone field (minutes, should be 0); AMF3 date (0x08) has no zone. */
    record Date(double epochMillis, short timeZoneMinutes) implements AmfValue {
        public Date(double epochMillis) {
            this(epochMillis, (short) 0);
        }
    }

    /** AMF0 XML document (0x0F); AMF3 XMLDocument (0x07). */
    record XmlDocument(String xml) implements AmfValue {}

    /** AMF0 typed object (0x10): a class name and its properties. */
    record TypedObject(String className, Map<String, AmfValue> properties) implements AmfValue {
        public TypedObject {
            Objects.requireNonNull(className, "className");
            properties = unmodifiableCopy(properties);
        }
    }

    /** AMF3 ByteArray (0x0C). */
    record ByteArray(byte[] bytes) implements AmfValue {
        public ByteArray {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ByteArray b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "ByteArray[" + bytes.length + " bytes]";
        }
    }

    /** AMF0 unsupported (0x0D): the sender had a value it could not serialize. AMF3 has no such type. */
    record Unsupported() implements AmfValue {}

    /**
     * AMF3 array (0x09) with both a dense and an associative part. A decoded AMF3 array with no associative
     * part is a {@link StrictArray}, and one with only an associative part is an {@link EcmaArray}; so both
     * parts here are non-empty, and associative keys are non-empty (AMF3 3.11: the empty key ends the part).
     */
    record MixedArray(Map<String, AmfValue> associative, List<AmfValue> dense) implements AmfValue {
        public MixedArray {
            associative = unmodifiableCopy(associative);
            dense = List.copyOf(dense);
            if (associative.isEmpty() || dense.isEmpty()) {
                throw new IllegalArgumentException("MixedArray needs both parts; use StrictArray or EcmaArray");
            }
            requireNonEmptyKeys(associative, "associative");
        }
    }

    /**
     * AMF3 object (0x0A) that is not a plain anonymous dynamic object: it has a class name, sealed members, or
     * is not dynamic (AMF3 3.12). An anonymous dynamic object without sealed members is an {@link Obj}, so RTMP
     * code sees command objects the same from AMF0 and AMF3; this constructor rejects that shape.
     *
     * @param sealedMembers the traits' sealed member names, in order, with their values
     * @param dynamicMembers empty unless {@code dynamic}; names are non-empty (the empty name ends the list)
     */
    record Amf3Object(String className, boolean dynamic, Map<String, AmfValue> sealedMembers,
            Map<String, AmfValue> dynamicMembers) implements AmfValue {
        public Amf3Object {
            Objects.requireNonNull(className, "className");
            sealedMembers = unmodifiableCopy(sealedMembers);
            dynamicMembers = unmodifiableCopy(dynamicMembers);
            if (!dynamic && !dynamicMembers.isEmpty()) {
                throw new IllegalArgumentException("a sealed (non-dynamic) object has no dynamic members");
            }
            if (dynamic && className.isEmpty() && sealedMembers.isEmpty()) {
                throw new IllegalArgumentException("an anonymous dynamic object without sealed members is an Obj");
            }
            requireNonEmptyKeys(dynamicMembers, "dynamic member");
        }
    }

    /** AMF3 XML (0x0B): an E4X XML value, as opposed to the legacy {@link XmlDocument}. */
    record Xml(String xml) implements AmfValue {
        public Xml {
            Objects.requireNonNull(xml, "xml");
        }
    }

    /** AMF3 Vector.&lt;int&gt; (0x0D); {@code fixed} is the vector's fixed-length flag. */
    record IntVector(int[] values, boolean fixed) implements AmfValue {
        public IntVector {
            values = values.clone();
        }

        @Override
        public int[] values() {
            return values.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof IntVector v && fixed == v.fixed && Arrays.equals(values, v.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values) * 31 + Boolean.hashCode(fixed);
        }

        @Override
        public String toString() {
            return "IntVector[" + values.length + " items, fixed=" + fixed + "]";
        }
    }

    /** AMF3 Vector.&lt;uint&gt; (0x0E): each value in 0..2^32-1. */
    record UintVector(long[] values, boolean fixed) implements AmfValue {
        public UintVector {
            values = values.clone();
            for (long v : values) {
                if (v < 0 || v > 0xFFFF_FFFFL) {
                    throw new IllegalArgumentException("uint %d outside 0..2^32-1".formatted(v));
                }
            }
        }

        @Override
        public long[] values() {
            return values.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UintVector v && fixed == v.fixed && Arrays.equals(values, v.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values) * 31 + Boolean.hashCode(fixed);
        }

        @Override
        public String toString() {
            return "UintVector[" + values.length + " items, fixed=" + fixed + "]";
        }
    }

    /** AMF3 Vector.&lt;Number&gt; (0x0F). Equality is bitwise per item, as for {@link Num}. */
    record DoubleVector(double[] values, boolean fixed) implements AmfValue {
        public DoubleVector {
            values = values.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DoubleVector v && fixed == v.fixed && Arrays.equals(values, v.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values) * 31 + Boolean.hashCode(fixed);
        }

        @Override
        public String toString() {
            return "DoubleVector[" + values.length + " items, fixed=" + fixed + "]";
        }
    }

    /** AMF3 Vector.&lt;T&gt; of objects (0x10); {@code typeName} is T's class name, "*" for any type. */
    record ObjectVector(String typeName, List<AmfValue> items, boolean fixed) implements AmfValue {
        public ObjectVector {
            Objects.requireNonNull(typeName, "typeName");
            items = List.copyOf(items);
        }
    }

    /**
     * AMF3 Dictionary (0x11): keys of any type, so entries are a list (in wire order, duplicates kept), not
     * a map. {@code weakKeys} is the flash.utils.Dictionary weak-keys flag.
     */
    record Dictionary(List<Entry> entries, boolean weakKeys) implements AmfValue {
        public Dictionary {
            entries = List.copyOf(entries);
        }

        /** One key and its value. */
        public record Entry(AmfValue key, AmfValue value) {
            public Entry {
                Objects.requireNonNull(key, "key");
                Objects.requireNonNull(value, "value");
            }
        }
    }

    /** The value as a double when it is a number of either encoding. */
    static Optional<Double> asDouble(AmfValue v) {
        return switch (v) {
            case Num n -> Optional.of(n.value());
            case Int i -> Optional.of((double) i.value());
            default -> Optional.empty();
        };
    }

    Null NULL = new Null();
    Undefined UNDEFINED = new Undefined();
    Unsupported UNSUPPORTED = new Unsupported();

    private static void requireNonEmptyKeys(Map<String, AmfValue> map, String what) {
        if (map.containsKey("")) {
            throw new IllegalArgumentException("AMF3 cannot encode an empty " + what + " name");
        }
    }

    private static <V> Map<String, V> unmodifiableCopy(Map<String, V> map) {
        Objects.requireNonNull(map, "map");
        // LinkedHashMap, not Map.copyOf: order matters on the wire and Map.copyOf does not keep it.
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
