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

    private static <V> Map<String, V> unmodifiableCopy(Map<String, V> map) {
        Objects.requireNonNull(map, "map");
        // LinkedHashMap, not Map.copyOf: order matters on the wire and Map.copyOf does not keep it.
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
