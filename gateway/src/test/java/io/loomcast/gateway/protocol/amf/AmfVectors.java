package io.loomcast.gateway.protocol.amf;

import static io.loomcast.gateway.testing.Hex.concat;
import static io.loomcast.gateway.testing.Hex.hex;

import io.loomcast.gateway.protocol.amf.AmfValue.Bool;
import io.loomcast.gateway.protocol.amf.AmfValue.Int;
import io.loomcast.gateway.protocol.amf.AmfValue.Num;
import io.loomcast.gateway.protocol.amf.AmfValue.Str;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Golden vectors written by hand from the AMF0 and AMF3 specifications, grouped as the spec lays out each
 * type. "Canonical" vectors decode to their values and the values encode back to the same bytes; "decode
 * only" vectors are valid input our writers would encode differently (each says why).
 */
final class AmfVectors {
    private AmfVectors() {}

    /** A payload and the values it holds. */
    record Vector(String name, byte[] bytes, List<AmfValue> values) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Vector v(String name, String hexBytes, AmfValue... values) {
        return new Vector(name, hex(hexBytes), List.of(values));
    }

    static Str str(String s) {
        return new Str(s);
    }

    static Num num(double d) {
        return new Num(d);
    }

    static Int integer(int i) {
        return new Int(i);
    }

    /** Name/value pairs, in order. */
    static Map<String, AmfValue> props(Object... nameValue) {
        Map<String, AmfValue> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], (AmfValue) nameValue[i + 1]);
        }
        return m;
    }

    static AmfValue.Obj obj(Object... nameValue) {
        return new AmfValue.Obj(props(nameValue));
    }

    static AmfValue.StrictArray array(AmfValue... items) {
        return new AmfValue.StrictArray(List.of(items));
    }

    // ---- AMF0 (AMF0 spec section 2) ----

    /** "connect" as ffmpeg sends it when playing (rtmpproto.c gen_connect, is_input): AMF0 2.2, 2.4, 2.5. */
    static final Vector AMF0_CONNECT = v("AMF0 connect command from ffmpeg", """
            02 0007 636f6e6e656374
            00 3ff0000000000000
            03
              0003 617070                      02 0004 6c697665
              0008 666c617368566572            02 000d 4c4e5820392c302c3132342c32
              0005 746355726c                  02 001a 72746d703a2f2f6c6f63616c686f73743a313933352f6c697665
              0004 66706164                    01 00
              000c 6361706162696c6974696573    00 402e000000000000
              000b 617564696f436f64656373      00 40afce0000000000
              000b 766964656f436f64656373      00 406f800000000000
              000d 766964656f46756e6374696f6e  00 3ff0000000000000
            0000 09
            """,
            str("connect"), num(1), obj(
                    "app", str("live"),
                    "flashVer", str("LNX 9,0,124,2"),
                    "tcUrl", str("rtmp://localhost:1935/live"),
                    "fpad", Bool.FALSE,
                    "capabilities", num(15),
                    "audioCodecs", num(4071),
                    "videoCodecs", num(252),
                    "videoFunction", num(1)));

    /** onStatus for a started publish: name, transaction 0, null command object, info object. */
    static final Vector AMF0_ON_STATUS = v("AMF0 onStatus NetStream.Publish.Start", """
            02 0008 6f6e537461747573
            00 0000000000000000
            05
            03
              0005 6c6576656c              02 0006 737461747573
              0004 636f6465                02 0017 4e657453747265616d2e5075626c6973682e5374617274
              000b 6465736372697074696f6e  02 0010 5075626c697368696e67206c6976652e
            0000 09
            """,
            str("onStatus"), num(0), AmfValue.NULL, obj(
                    "level", str("status"),
                    "code", str("NetStream.Publish.Start"),
                    "description", str("Publishing live.")));

    /** 70000 ASCII bytes: over the U16 limit, so a long string (AMF0 2.14). */
    static final String LONG_TEXT = "a".repeat(70_000);

    static final List<Vector> AMF0_CANONICAL = List.of(
            v("number 0", "00 0000000000000000", num(0)),
            v("number -1.5", "00 bff8000000000000", num(-1.5)),
            v("boolean true", "01 01", Bool.TRUE),
            v("boolean false", "01 00", Bool.FALSE),
            v("empty string", "02 0000", str("")),
            v("UTF-8 string", "02 0006 68c3a96c6c6f", str("h\u00e9llo")),
            v("null", "05", AmfValue.NULL),
            v("undefined", "06", AmfValue.UNDEFINED),
            v("unsupported", "0d", AmfValue.UNSUPPORTED),
            v("object", "03 0001 61 00 3ff0000000000000  0001 62 02 0001 78  0000 09",
                    obj("a", num(1), "b", str("x"))),
            v("empty object", "03 0000 09", obj()),
            v("object with an empty property name", "03 0000 05 0000 09", obj("", AmfValue.NULL)),
            v("ECMA array", """
                    08 00000002
                      0008 6475726174696f6e 00 4024000000000000
                      0005 7769647468       00 4094000000000000
                    0000 09""",
                    new AmfValue.EcmaArray(props("duration", num(10), "width", num(1280)))),
            v("strict array", "0a 00000003 00 3ff0000000000000 02 0001 61 05",
                    array(num(1), str("a"), AmfValue.NULL)),
            v("empty strict array", "0a 00000000", array()),
            v("date with time zone", "0b 3ff8000000000000 ffc4", new AmfValue.Date(1.5, (short) -60)),
            v("XML document", "0f 00000004 3c612f3e", new AmfValue.XmlDocument("<a/>")),
            v("typed object", "10 0002 5074 0001 78 00 3ff0000000000000 0000 09",
                    new AmfValue.TypedObject("Pt", props("x", num(1)))),
            v("nested object, array, object", "03 0004 6c697374 0a 00000001 03 0001 6b 05 0000 09 0000 09",
                    obj("list", array(obj("k", AmfValue.NULL)))),
            v("AVM+ ByteArray", "11 0c 07 010203", new AmfValue.ByteArray(new byte[] {1, 2, 3})),
            v("AVM+ XML", "11 0b 09 3c612f3e", new AmfValue.Xml("<a/>")),
            v("AVM+ mixed array", "11 09 03 036b 06 0376 01 04 05",
                    new AmfValue.MixedArray(props("k", str("v")), List.of(integer(5)))),
            v("AVM+ value inside an AMF0 object", "03 0001 62 11 0c 03 ff 0000 09",
                    obj("b", new AmfValue.ByteArray(new byte[] {-1}))),
            AMF0_CONNECT,
            AMF0_ON_STATUS,
            new Vector("long string", concat(hex("0c 00011170"), LONG_TEXT.getBytes(StandardCharsets.US_ASCII)),
                    List.of(str(LONG_TEXT))));

    static final List<Vector> AMF0_DECODE_ONLY = List.of(
            // AMF0 2.3: any non-zero byte is true; we write 01.
            v("boolean 2 is true", "01 02", Bool.TRUE),
            // Short text in a long string re-encodes as a string.
            v("long string with short text", "0c 00000002 6869", str("hi")),
            // AMF0 2.10: the count is a hint; we write the real count.
            v("ECMA array count is a hint", "08 00000009 0001 61 05 0000 09",
                    new AmfValue.EcmaArray(props("a", AmfValue.NULL))),
            // AMF0 2.9: index 1 is the object (the array is 0); we never write references.
            v("reference", "0a 00000002 03 0001 61 00 3ff0000000000000 0000 09 07 0001",
                    array(obj("a", num(1)), obj("a", num(1)))),
            // Values with an AMF0 form come back in AMF0.
            v("AVM+ integer", "11 04 7f", integer(127)),
            v("AVM+ applies to the next value only", "11 06 03 61 02 0001 62", str("a"), str("b")),
            v("AVM+ anonymous object", "11 0a 0b 01 03 61 04 01 01", obj("a", integer(1))));

    // ---- AMF3 (AMF3 spec section 3) ----

    private static final AmfValue.Date SHARED_DATE = new AmfValue.Date(0);
    private static final AmfValue.Obj SHARED_OBJ = obj();

    static final List<Vector> AMF3_CANONICAL = List.of(
            v("undefined", "00", AmfValue.UNDEFINED),
            v("null", "01", AmfValue.NULL),
            v("false", "02", Bool.FALSE),
            v("true", "03", Bool.TRUE),
            v("integer 0", "04 00", integer(0)),
            v("integer 127, one byte", "04 7f", integer(127)),
            v("integer 128, two bytes", "04 8100", integer(128)),
            v("integer 16383", "04 ff7f", integer(16383)),
            v("integer 16384, three bytes", "04 818000", integer(16384)),
            v("integer 2097151", "04 ffff7f", integer(2097151)),
            v("integer 2097152, four bytes", "04 80c08000", integer(2097152)),
            v("integer max 2^28-1", "04 bfffffff", integer(Int.MAX)),
            v("integer -1", "04 ffffffff", integer(-1)),
            v("integer min -2^28", "04 c0808000", integer(Int.MIN)),
            v("double", "05 3ff8000000000000", num(1.5)),
            v("empty string", "06 01", str("")),
            v("string", "06 0b 68656c6c6f", str("hello")),
            v("string references, never for the empty string", "06 05 6162 06 00 06 01 06 01",
                    str("ab"), str("ab"), str(""), str("")),
            v("key and value share the string table", "0a 0b 01 03 61 06 00 01", obj("a", str("a"))),
            v("XMLDocument", "07 09 3c612f3e", new AmfValue.XmlDocument("<a/>")),
            v("XML", "0b 09 3c612f3e", new AmfValue.Xml("<a/>")),
            v("date", "08 01 0000000000000000", new AmfValue.Date(0)),
            v("date by reference", "09 05 01 08 01 0000000000000000 08 02", array(SHARED_DATE, SHARED_DATE)),
            v("dense array", "09 05 01 04 01 06 03 61", array(integer(1), str("a"))),
            v("empty array", "09 01 01", array()),
            v("associative array", "09 01 03 61 01 01", new AmfValue.EcmaArray(props("a", AmfValue.NULL))),
            v("mixed array", "09 03 03 61 01 01 02",
                    new AmfValue.MixedArray(props("a", AmfValue.NULL), List.of(Bool.FALSE))),
            v("anonymous dynamic object", "0a 0b 01 03 61 04 01 01", obj("a", integer(1))),
            v("anonymous traits by reference", "09 05 01 0a 0b 01 03 61 04 01 01 0a 01 00 04 02 01",
                    array(obj("a", integer(1)), obj("a", integer(2)))),
            v("typed sealed object", "0a 23 05 5074 03 78 03 79 04 01 04 02",
                    new AmfValue.Amf3Object("Pt", false, props("x", integer(1), "y", integer(2)), Map.of())),
            v("typed traits by reference", "09 05 01 0a 23 05 5074 03 78 03 79 04 01 04 02 0a 01 04 03 04 04",
                    array(new AmfValue.Amf3Object("Pt", false, props("x", integer(1), "y", integer(2)), Map.of()),
                            new AmfValue.Amf3Object("Pt", false, props("x", integer(3), "y", integer(4)), Map.of()))),
            v("dynamic typed object with a sealed member", "0a 1b 03 43 03 73 02 03 64 03 01",
                    new AmfValue.Amf3Object("C", true, props("s", Bool.FALSE), props("d", Bool.TRUE))),
            v("anonymous sealed object", "0a 13 01 03 78 01",
                    new AmfValue.Amf3Object("", false, props("x", AmfValue.NULL), Map.of())),
            v("object by reference", "09 05 01 0a 0b 01 01 0a 02", array(SHARED_OBJ, SHARED_OBJ)),
            v("ByteArray", "0c 07 010203", new AmfValue.ByteArray(new byte[] {1, 2, 3})),
            v("int vector", "0d 05 00 00000001 ffffffff", new AmfValue.IntVector(new int[] {1, -1}, false)),
            v("uint vector, fixed", "0e 03 01 ffffffff", new AmfValue.UintVector(new long[] {0xFFFF_FFFFL}, true)),
            v("double vector", "0f 03 00 3ff8000000000000", new AmfValue.DoubleVector(new double[] {1.5}, false)),
            v("object vector", "10 05 00 03 2a 06 03 61 01",
                    new AmfValue.ObjectVector("*", List.of(str("a"), AmfValue.NULL), false)),
            v("dictionary", "11 05 00 06 03 6b 04 01 04 02 01", new AmfValue.Dictionary(List.of(
                    new AmfValue.Dictionary.Entry(str("k"), integer(1)),
                    new AmfValue.Dictionary.Entry(integer(2), AmfValue.NULL)), false)),
            v("onStatus info object", """
                    0a 0b 01
                      0b 6c6576656c 06 0d 737461747573
                      09 636f6465   06 29 4e657453747265616d2e506c61792e5374617274
                    01""",
                    obj("level", str("status"), "code", str("NetStream.Play.Start"))));

    static final List<Vector> AMF3_DECODE_ONLY = List.of(
            // AMF3 1.3.1: a U29 in more bytes than needed; we write the shortest form.
            v("integer 0 in two bytes", "04 8000", integer(0)),
            // A repeated string sent inline; we send a reference.
            v("repeated string inline", "06 05 6162 06 05 6162", str("ab"), str("ab")),
            // AMF3 3.10: the bits above the inline flag are unused; we write them as 0.
            v("date with unused header bits set", "08 03 0000000000000000", new AmfValue.Date(0)),
            // The same traits inline twice; we send a trait reference.
            v("repeated traits inline", "09 05 01 0a 0b 01 01 0a 0b 01 01", array(obj(), obj())));
}
