package io.loomcast.gateway.protocol.amf;

/** AMF3 type markers (AMF3 spec 3.1) and U29 bounds (AMF3 1.3.1). */
final class Amf3Marker {
    static final int UNDEFINED = 0x00;
    static final int NULL = 0x01;
    static final int FALSE = 0x02;
    static final int TRUE = 0x03;
    static final int INTEGER = 0x04;
    static final int DOUBLE = 0x05;
    static final int STRING = 0x06;
    static final int XML_DOCUMENT = 0x07;
    static final int DATE = 0x08;
    static final int ARRAY = 0x09;
    static final int OBJECT = 0x0A;
    static final int XML = 0x0B;
    static final int BYTE_ARRAY = 0x0C;
    static final int VECTOR_INT = 0x0D;
    static final int VECTOR_UINT = 0x0E;
    static final int VECTOR_DOUBLE = 0x0F;
    static final int VECTOR_OBJECT = 0x10;
    static final int DICTIONARY = 0x11;

    /** Largest U29 value: 29 bits. */
    static final int U29_MAX = (1 << 29) - 1;
    /** Largest length or count a U29 with a low flag bit can carry (AMF3 1.3.1: 2^28 - 1). */
    static final int U28_MAX = (1 << 28) - 1;

    private Amf3Marker() {}

    /** The marker {@link Amf3Writer} writes a value under. */
    static int of(AmfValue value) {
        return switch (value) {
            case AmfValue.Undefined u -> UNDEFINED;
            case AmfValue.Unsupported u -> UNDEFINED;
            case AmfValue.Null n -> NULL;
            case AmfValue.Bool b -> b.value() ? TRUE : FALSE;
            case AmfValue.Int i -> INTEGER;
            case AmfValue.Num n -> DOUBLE;
            case AmfValue.Str s -> STRING;
            case AmfValue.XmlDocument x -> XML_DOCUMENT;
            case AmfValue.Date d -> DATE;
            case AmfValue.StrictArray a -> ARRAY;
            case AmfValue.EcmaArray a -> ARRAY;
            case AmfValue.MixedArray a -> ARRAY;
            case AmfValue.Obj o -> OBJECT;
            case AmfValue.TypedObject o -> OBJECT;
            case AmfValue.Amf3Object o -> OBJECT;
            case AmfValue.Xml x -> XML;
            case AmfValue.ByteArray b -> BYTE_ARRAY;
            case AmfValue.IntVector v -> VECTOR_INT;
            case AmfValue.UintVector v -> VECTOR_UINT;
            case AmfValue.DoubleVector v -> VECTOR_DOUBLE;
            case AmfValue.ObjectVector v -> VECTOR_OBJECT;
            case AmfValue.Dictionary d -> DICTIONARY;
        };
    }
}
