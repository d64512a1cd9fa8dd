package io.loomcast.gateway.protocol.amf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.testing.Hex;
import java.util.List;

/** Decoding helpers shared by the AMF tests. */
final class AmfAssertions {
    private AmfAssertions() {}

    /** Which codec a test drives. */
    enum Codec {
        AMF0, AMF3;

        List<AmfValue> decode(byte[] bytes) throws ProtocolException {
            return decode(bytes, AmfLimits.DEFAULT);
        }

        List<AmfValue> decode(byte[] bytes, AmfLimits limits) throws ProtocolException {
            return switch (this) {
                case AMF0 -> new Amf0Reader(bytes, 0, bytes.length, limits).readAll();
                case AMF3 -> new Amf3Reader(bytes, 0, bytes.length, limits).readAll();
            };
        }

        byte[] encode(List<AmfValue> values) {
            AmfValue[] array = values.toArray(AmfValue[]::new);
            return switch (this) {
                case AMF0 -> Amf0Writer.encode(array);
                case AMF3 -> Amf3Writer.encode(array);
            };
        }
    }

    /** Decoding fails with a ProtocolException whose message contains {@code expected}. */
    static ProtocolException assertRejects(Codec codec, String hex, String expected) {
        return assertRejects(codec, Hex.hex(hex), AmfLimits.DEFAULT, expected);
    }

    static ProtocolException assertRejects(Codec codec, byte[] bytes, AmfLimits limits, String expected) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> codec.decode(bytes, limits));
        assertTrue(e.getMessage().contains(expected), () -> "message \"" + e.getMessage() + "\" lacks: " + expected);
        return e;
    }

    static void assertEncodes(Codec codec, List<AmfValue> values, byte[] expected) {
        assertEquals(Hex.toHex(expected), Hex.toHex(codec.encode(values)));
    }
}
