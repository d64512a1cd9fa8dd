package io.loomcast.gateway.protocol.amf;

import static io.loomcast.gateway.protocol.amf.AmfVectors.array;
import static io.loomcast.gateway.protocol.amf.AmfVectors.integer;
import static io.loomcast.gateway.protocol.amf.AmfVectors.num;
import static io.loomcast.gateway.protocol.amf.AmfVectors.obj;
import static io.loomcast.gateway.protocol.amf.AmfVectors.props;
import static io.loomcast.gateway.protocol.amf.AmfVectors.str;
import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.AmfAssertions.Codec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every value type through each writer and back. A value reads back equal, except where a codec has no
 * such type; those cases are listed with what comes back instead.
 */
class AmfRoundTripTest {
    /** One of each record, nested so containers carry other types, plus edge values. */
    static final List<AmfValue> EVERY_TYPE = List.of(
            num(0), num(-0.0), num(Double.NaN), num(Double.MAX_VALUE), num(Double.NEGATIVE_INFINITY),
            AmfValue.Bool.TRUE, AmfValue.Bool.FALSE,
            str(""), str("plain"), str("\u00e9\u4e2d\ud83d\ude00"), str("x".repeat(65_535)), str("\u4e2d".repeat(30_000)),
            AmfValue.NULL, AmfValue.UNDEFINED,
            obj(), obj("a", num(1), "nested", obj("b", array(str("c"), AmfValue.NULL))),
            new AmfValue.EcmaArray(props("duration", num(12.5), "encoder", str("Lavf"))),
            array(), array(num(1), str("two"), obj("three", AmfValue.Bool.TRUE)),
            new AmfValue.Date(1.7e12),
            new AmfValue.XmlDocument("<doc a=\"1\"/>"),
            new AmfValue.ByteArray(new byte[] {0, 1, -1}),
            new AmfValue.MixedArray(props("k", str("v")), List.of(num(1), AmfValue.NULL)),
            new AmfValue.Amf3Object("com.example.Pt", false, props("x", num(1), "y", num(2)), Map.of()),
            new AmfValue.Amf3Object("Dyn", true, props("s", str("sealed")), props("d", str("dynamic"))),
            new AmfValue.Amf3Object("", false, Map.of(), Map.of()),
            new AmfValue.Xml("<x/>"),
            new AmfValue.IntVector(new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}, true),
            new AmfValue.UintVector(new long[] {0, 0xFFFF_FFFFL}, false),
            new AmfValue.DoubleVector(new double[] {-0.0, Double.NaN, 1e300}, true),
            new AmfValue.ObjectVector("com.example.Pt", List.of(obj("x", num(1)), AmfValue.NULL), false),
            new AmfValue.Dictionary(List.of(
                    new AmfValue.Dictionary.Entry(obj(), str("object key")),
                    new AmfValue.Dictionary.Entry(str("k"), num(2))), true));

    @ParameterizedTest(name = "AMF0 {0}")
    @FieldSource("EVERY_TYPE")
    void amf0(AmfValue v) throws ProtocolException {
        assertEquals(List.of(v), Codec.AMF0.decode(Amf0Writer.encode(v)));
    }

    @ParameterizedTest(name = "AMF3 {0}")
    @FieldSource("EVERY_TYPE")
    void amf3(AmfValue v) throws ProtocolException {
        assertEquals(List.of(v), Codec.AMF3.decode(Amf3Writer.encode(v)));
    }

    @Test
    void amf0WritesAnIntegerAsANumber() throws ProtocolException {
        assertEquals(List.of(num(-5), num(AmfValue.Int.MAX)),
                Codec.AMF0.decode(Amf0Writer.encode(integer(-5), integer(AmfValue.Int.MAX))));
    }

    @Test
    void amf0KeepsTheDateTimeZoneAndUnsupported() throws ProtocolException {
        List<AmfValue> values = List.of(new AmfValue.Date(1.0, (short) 120), AmfValue.UNSUPPORTED,
                new AmfValue.TypedObject("T", props("p", num(1))));
        assertEquals(values, Codec.AMF0.decode(Codec.AMF0.encode(values)));
    }

    @Test
    void amf3KeepsIntegersAtTheirRangeEnds() throws ProtocolException {
        List<AmfValue> values = List.of(integer(AmfValue.Int.MIN), integer(-1), integer(0), integer(AmfValue.Int.MAX));
        assertEquals(values, Codec.AMF3.decode(Codec.AMF3.encode(values)));
    }

    @Test
    void amf3MapsTheAmf0OnlyValuesToTheirNearestForm() throws ProtocolException {
        List<AmfValue> written = List.of(
                new AmfValue.Date(1.0, (short) 120),
                AmfValue.UNSUPPORTED,
                new AmfValue.TypedObject("T", props("p", num(1))),
                new AmfValue.EcmaArray(Map.of()));
        List<AmfValue> read = List.of(
                new AmfValue.Date(1.0),
                AmfValue.UNDEFINED,
                new AmfValue.Amf3Object("T", false, props("p", num(1)), Map.of()),
                array());
        assertEquals(read, Codec.AMF3.decode(Codec.AMF3.encode(written)));
    }

    @Test
    void amf3WriterSendsTheSameInstanceByReferenceAndEqualCopiesWhole() {
        AmfValue.Obj shared = obj();
        // Array is object 0, shared is 1; the copy reuses only the traits (trait reference 0).
        AmfAssertions.assertEncodes(Codec.AMF3, List.of(array(shared, shared, obj())),
                hex("09 07 01  0a 0b 01 01  0a 02  0a 01 01"));
    }
}
