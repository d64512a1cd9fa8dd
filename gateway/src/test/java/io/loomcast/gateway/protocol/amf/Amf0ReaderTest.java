package io.loomcast.gateway.protocol.amf;

import static io.loomcast.gateway.protocol.amf.AmfAssertions.assertEncodes;
import static io.loomcast.gateway.protocol.amf.AmfAssertions.assertRejects;
import static io.loomcast.gateway.protocol.amf.AmfVectors.obj;
import static io.loomcast.gateway.protocol.amf.AmfVectors.str;
import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.AmfAssertions.Codec;
import io.loomcast.gateway.protocol.amf.AmfVectors.Vector;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

/** AMF0 golden vectors both ways, references, the AVM+ switch and every rejection. */
class Amf0ReaderTest {
    static final List<Vector> CANONICAL = AmfVectors.AMF0_CANONICAL;
    static final List<Vector> DECODE_ONLY = AmfVectors.AMF0_DECODE_ONLY;

    @ParameterizedTest(name = "{0}")
    @FieldSource("CANONICAL")
    void decodesGoldenVector(Vector v) throws ProtocolException {
        assertEquals(v.values(), Codec.AMF0.decode(v.bytes()));
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("CANONICAL")
    void encodesGoldenVector(Vector v) {
        assertEncodes(Codec.AMF0, v.values(), v.bytes());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("DECODE_ONLY")
    void decodesValidInputWeWriteDifferently(Vector v) throws ProtocolException {
        assertEquals(v.values(), Codec.AMF0.decode(v.bytes()));
    }

    @Test
    void connectCommandObjectReadsByName() throws ProtocolException {
        Amf0Reader r = new Amf0Reader(AmfVectors.AMF0_CONNECT.bytes());
        assertEquals(str("connect"), r.read());
        assertEquals(Optional.of(1.0), AmfValue.asDouble(r.read()));
        AmfValue.Obj command = (AmfValue.Obj) r.read();
        assertEquals(Optional.of("live"), command.string("app"));
        assertEquals(Optional.of("rtmp://localhost:1935/live"), command.string("tcUrl"));
        assertEquals(Optional.of(4071.0), command.number("audioCodecs"));
        assertEquals(List.of("app", "flashVer", "tcUrl", "fpad", "capabilities", "audioCodecs", "videoCodecs",
                "videoFunction"), List.copyOf(command.properties().keySet()));
        assertTrue(!r.hasRemaining());
        assertEquals(AmfVectors.AMF0_CONNECT.bytes().length, r.position());
    }

    @Test
    void readsWithinAnOffsetAndLength() throws ProtocolException {
        byte[] framed = hex("ffff 02 0001 61 05 ffff");
        Amf0Reader r = new Amf0Reader(framed, 2, 5);
        assertEquals(List.of(str("a"), AmfValue.NULL), r.readAll());
        assertEquals(7, r.position());
    }

    @Test
    void referenceResolvesToTheSameInstance() throws ProtocolException {
        // AMF0 2.9: the strict array is reference 0, the object inside it reference 1.
        AmfValue.StrictArray a = (AmfValue.StrictArray) new Amf0Reader(
                hex("0a 00000002 03 0001 61 00 3ff0000000000000 0000 09 07 0001")).read();
        assertSame(a.items().get(0), a.items().get(1));
    }

    @Test
    void referencesCountTypedObjectsAndEcmaArraysAcrossValues() throws ProtocolException {
        List<AmfValue> values = new Amf0Reader(hex("""
                10 0001 54 0000 09
                08 00000000 0000 09
                07 0000 07 0001""")).readAll();
        assertSame(values.get(0), values.get(2));
        assertSame(values.get(1), values.get(3));
    }

    @Test
    void avmPlusMarkerSwitchesOneValueToAmf3WithFreshTables() throws ProtocolException {
        // Each switch has its own string table: the second "ab" cannot refer to the first.
        assertEquals(List.of(str("ab"), str("ab")), Codec.AMF0.decode(hex("11 06 05 6162 11 06 05 6162")));
        assertRejects(Codec.AMF0, "11 06 05 6162 11 06 00",
                "AMF3 string reference 0 at offset 7 out of range: the table holds 0");
    }

    @Test
    void writerNeverEmitsReferences() {
        AmfValue.Obj shared = obj("a", AmfValue.NULL);
        assertEncodes(Codec.AMF0, List.of(AmfVectors.array(shared, shared)),
                hex("0a 00000002  03 0001 61 05 0000 09  03 0001 61 05 0000 09"));
    }

    @Test
    void writerFallsBackToAmf3ForANameTooLongForAmf0() throws ProtocolException {
        String name = "n".repeat(70_000);
        AmfValue.Obj o = obj(name, AmfValue.NULL);
        byte[] bytes = Amf0Writer.encode(o);
        assertEquals(0x11, bytes[0]);
        assertEquals(List.of(o), Codec.AMF0.decode(bytes));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            movieclip            | 04                | AMF0 movieclip marker 0x04 at offset 0 is reserved and not supported
            recordset            | 0e                | AMF0 recordset marker 0x0E at offset 0 is reserved and not supported
            unknown marker       | 12                | unknown AMF0 marker 0x12 at offset 0
            object-end alone     | 09                | AMF0 object-end marker 0x09 at offset 0 outside an object
            object-end as value  | 03 0001 61 09     | AMF0 object-end marker 0x09 at offset 4 outside an object
            reference too early  | 07 0000           | AMF0 reference 0 at offset 0 out of range: the table holds 0
            reference past end   | 03 0000 09 07 0001 | AMF0 reference 1 at offset 4 out of range: the table holds 1
            cycle                | 03 0001 61 07 0000 | AMF0 reference 0 at offset 4 points to a value still being read; cycles are not supported
            string length        | 05 02 ffff 61     | AMF0 string length 65535 exceeds remaining 1 bytes at offset 2
            long string length   | 0c ffffffff       | AMF0 long string length 4294967295 exceeds remaining 0 bytes at offset 1
            XML length           | 0f 00000009 3c    | AMF0 XML document length 9 exceeds remaining 1 bytes at offset 1
            strict array count   | 0a 7fffffff 05    | AMF0 strict array count 2147483647 needs at least 2147483647 bytes but 1 remain at offset 1
            name length          | 03 0005 6162      | AMF0 object property name length 5 exceeds remaining 2 bytes at offset 1
            truncated number     | 00 3ff0           | AMF0 number needs 8 bytes but 2 remain at offset 1
            truncated date zone  | 0b 0000000000000000 00 | AMF0 date time zone needs 2 bytes but 1 remain at offset 9
            missing object end   | 03 0001 61 05     | AMF0 object property name length needs 2 bytes but 0 remain at offset 5
            AVM+ at the end      | 11                | AMF3 value marker needs 1 bytes but 0 remain at offset 1
            """)
    void rejects(String what, String hex, String message) {
        assertRejects(Codec.AMF0, hex, message);
    }

    @Test
    void readPastTheEndFailsAndFailureSticks() throws ProtocolException {
        Amf0Reader r = new Amf0Reader(hex("05"));
        r.read();
        ProtocolException end = assertThrows(ProtocolException.class, r::read);
        assertEquals("no AMF0 value at offset 1: end of payload", end.getMessage());
        ProtocolException again = assertThrows(ProtocolException.class, r::read);
        assertTrue(again.getMessage().startsWith("AMF0 reader already failed: no AMF0 value"));
    }
}
