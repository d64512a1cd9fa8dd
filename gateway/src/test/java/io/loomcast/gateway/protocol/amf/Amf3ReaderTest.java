package io.loomcast.gateway.protocol.amf;

import static io.loomcast.gateway.protocol.amf.AmfAssertions.assertEncodes;
import static io.loomcast.gateway.protocol.amf.AmfAssertions.assertRejects;
import static io.loomcast.gateway.protocol.amf.AmfVectors.obj;
import static io.loomcast.gateway.protocol.amf.AmfVectors.props;
import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.AmfAssertions.Codec;
import io.loomcast.gateway.protocol.amf.AmfVectors.Vector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

/** AMF3 golden vectors both ways, the three reference tables, and every rejection. */
class Amf3ReaderTest {
    static final List<Vector> CANONICAL = AmfVectors.AMF3_CANONICAL;
    static final List<Vector> DECODE_ONLY = AmfVectors.AMF3_DECODE_ONLY;

    @ParameterizedTest(name = "{0}")
    @FieldSource("CANONICAL")
    void decodesGoldenVector(Vector v) throws ProtocolException {
        assertEquals(v.values(), Codec.AMF3.decode(v.bytes()));
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("CANONICAL")
    void encodesGoldenVector(Vector v) {
        assertEncodes(Codec.AMF3, v.values(), v.bytes());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("DECODE_ONLY")
    void decodesValidInputWeWriteDifferently(Vector v) throws ProtocolException {
        assertEquals(v.values(), Codec.AMF3.decode(v.bytes()));
    }

    @Test
    void objectReferenceResolvesToTheSameInstance() throws ProtocolException {
        AmfValue.StrictArray a = (AmfValue.StrictArray) new Amf3Reader(hex("09 05 01 0a 0b 01 01 0a 02")).read();
        assertSame(a.items().get(0), a.items().get(1));
    }

    @Test
    void tablesLastAcrossValuesOfOnePayload() throws ProtocolException {
        // Second value: traits by reference (0x01), member name "a" by string reference (0x00).
        Amf3Reader r = new Amf3Reader(hex("0a 0b 01 03 61 02 01  0a 01 00 03 01  0a 00"));
        AmfValue first = r.read();
        assertEquals(obj("a", AmfValue.Bool.FALSE), first);
        assertEquals(obj("a", AmfValue.Bool.TRUE), r.read());
        assertSame(first, r.read());
    }

    @Test
    void anonymousDynamicObjectIsTheSameObjAsInAmf0() throws ProtocolException {
        AmfValue amf0 = new Amf0Reader(AmfVectors.AMF0_CONNECT.bytes()).readAll().get(2);
        assertEquals(List.of(amf0), Codec.AMF3.decode(Amf3Writer.encode(amf0)));
    }

    @Test
    void typedObjectBecomesASealedObjectOfItsClass() throws ProtocolException {
        AmfValue typed = new AmfValue.TypedObject("Pt", props("x", AmfValue.NULL));
        assertEncodes(Codec.AMF3, List.of(typed), hex("0a 13 05 5074 03 78 01"));
        assertEquals(List.of(new AmfValue.Amf3Object("Pt", false, props("x", AmfValue.NULL), Map.of())),
                Codec.AMF3.decode(hex("0a 13 05 5074 03 78 01")));
    }

    @Test
    void writerRejectsAnEmptyDynamicMemberName() {
        assertThrows(IllegalArgumentException.class, () -> Amf3Writer.encode(obj("", AmfValue.NULL)));
    }

    @Test
    void amf3ObjectRejectsTheShapeThatIsAnObj() {
        assertThrows(IllegalArgumentException.class, () -> new AmfValue.Amf3Object("", true, Map.of(), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new AmfValue.Amf3Object("C", false, Map.of(), props("d", AmfValue.NULL)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown marker        | 12                   | unknown AMF3 marker 0x12 at offset 0
            string reference      | 06 00                | AMF3 string reference 0 at offset 1 out of range: the table holds 0
            object reference      | 0a 00                | AMF3 object reference 0 at offset 0 out of range: the table holds 0
            trait reference       | 0a 01                | AMF3 trait reference 0 at offset 0 out of range: the table holds 0
            reference type        | 09 05 01 08 01 0000000000000000 09 02 | AMF3 reference 1 at offset 13 under marker 0x09 names a Date
            cycle                 | 09 03 01 09 00       | AMF3 object reference 0 at offset 3 points to a value still being read; cycles are not supported
            externalizable        | 0a 07 0f 666f6f2e426172 | AMF3 object at offset 0 is externalizable (class 'foo.Bar'); its body format is private to that class and cannot be decoded
            string length         | 06 ffffffff          | AMF3 string length 268435455 exceeds remaining 0 bytes at offset 1
            ByteArray length      | 0c 0b 01             | AMF3 ByteArray length 5 exceeds remaining 1 bytes at offset 0
            dense count           | 09 bfffffff 01       | AMF3 array dense part count 134217727 needs at least 134217727 bytes but 0 remain at offset 0
            int vector count      | 0d bfffffff 00       | AMF3 int vector count 134217727 needs at least 536870908 bytes but 0 remain at offset 0
            double vector count   | 0f 05 00 3ff8000000000000 | AMF3 double vector count 2 needs at least 16 bytes but 8 remain at offset 0
            dictionary count      | 11 05 00 01 01       | AMF3 dictionary entry count 2 needs at least 4 bytes but 2 remain at offset 0
            sealed member count   | 0a 73 01             | AMF3 object sealed member count 7 needs at least 14 bytes but 0 remain at offset 0
            vector fixed flag     | 0d 01 02             | AMF3 vector fixed flag 2 at offset 2 is not 0 or 1
            weak-keys flag        | 11 01 05             | AMF3 dictionary weak-keys flag 5 at offset 2 is not 0 or 1
            truncated U29         | 04 ff                | AMF3 integer needs 1 bytes but 0 remain at offset 2
            truncated double      | 05 3ff8              | AMF3 double needs 8 bytes but 2 remain at offset 1
            missing members end   | 0a 0b 01 03 61 01    | AMF3 object member name header needs 1 bytes but 0 remain at offset 6
            """)
    void rejects(String what, String hex, String message) {
        assertRejects(Codec.AMF3, hex, message);
    }

    @Test
    void readPastTheEndFails() throws ProtocolException {
        Amf3Reader r = new Amf3Reader(hex("01"));
        r.read();
        assertEquals("no AMF3 value at offset 1: end of payload",
                assertThrows(ProtocolException.class, r::read).getMessage());
    }
}
