package io.loomcast.gateway.protocol.amf;

import static io.loomcast.gateway.protocol.amf.AmfAssertions.assertRejects;
import static io.loomcast.gateway.testing.Hex.concat;
import static io.loomcast.gateway.testing.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.AmfAssertions.Codec;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Nesting depth and reference expansion: hostile input fails with a ProtocolException, early. */
class AmfLimitsTest {
    /** {@code n} copies of {@code unit}, then {@code tail}. */
    private static byte[] repeat(String unit, int n, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] u = hex(unit);
        for (int i = 0; i < n; i++) {
            out.writeBytes(u);
        }
        out.writeBytes(hex(tail));
        return out.toByteArray();
    }

    @Test
    void amf0NestingUpToTheLimitDecodes() throws ProtocolException {
        // A strict array of one item, 64 deep, around a null.
        assertEquals(1, Codec.AMF0.decode(repeat("0a 00000001", 64, "05")).size());
    }

    @Test
    void amf0NestingPastTheLimitFails() {
        assertRejects(Codec.AMF0, repeat("0a 00000001", 65, "05"), AmfLimits.DEFAULT,
                "AMF0 strict array at offset 320 nests deeper than the limit of 64 levels");
    }

    @Test
    void depthIsConfigurable() {
        assertRejects(Codec.AMF0, repeat("03 0001 61", 3, "05"), AmfLimits.DEFAULT.withMaxDepth(2),
                "AMF0 object at offset 8 nests deeper than the limit of 2 levels");
    }

    @Test
    void veryDeepInputFailsWithoutStackOverflow() {
        assertRejects(Codec.AMF0, repeat("03 0001 61", 200_000, ""), AmfLimits.DEFAULT, "nests deeper");
        assertRejects(Codec.AMF3, repeat("09 03 01", 200_000, ""), AmfLimits.DEFAULT, "nests deeper");
        assertRejects(Codec.AMF3, repeat("10 03 00 01", 200_000, ""), AmfLimits.DEFAULT, "nests deeper");
        assertRejects(Codec.AMF3, repeat("11 03 00 01", 200_000, ""), AmfLimits.DEFAULT, "nests deeper");
        assertRejects(Codec.AMF3, repeat("0a 0b 01 03 61", 200_000, ""), AmfLimits.DEFAULT, "nests deeper");
    }

    @Test
    void depthCountsAcrossTheAvmPlusSwitch() {
        // 40 AMF0 arrays, the switch, then 30 AMF3 arrays: 70 levels in all.
        byte[] bytes = concat(repeat("0a 00000001", 40, "11"), repeat("09 03 01", 30, "01"));
        assertRejects(Codec.AMF0, bytes, AmfLimits.DEFAULT, "AMF3 array at offset 273 nests deeper");
    }

    @Test
    void amf0ReferenceDoublingFailsAtTheExpansionLimit() {
        // Reference 1 is an object holding 1 KiB; each later array holds the previous one twice, so
        // 20 levels would expand to 1 GiB.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(hex("0a 00000015 03 0001 73 02 0400"));
        out.writeBytes(new byte[1024]);
        out.writeBytes(hex("0000 09"));
        for (int ref = 1; ref <= 20; ref++) {
            out.writeBytes(hex("0a 00000002 07 %04x 07 %04x".formatted(ref, ref)));
        }
        assertRejects(Codec.AMF0, out.toByteArray(), AmfLimits.DEFAULT, "over the limit of 16777216");
    }

    @Test
    void amf3StringReferencesCountTowardsTheExpansionLimit() throws ProtocolException {
        // An array of 200 strings: one of 1000 bytes, then 199 references to it: about 200 KB expanded.
        byte[] bytes = concat(hex("09 8311 01 06 8f51"), new byte[1000], repeat("06 00", 199, ""));
        assertEquals(1, Codec.AMF3.decode(bytes).size());
        assertRejects(Codec.AMF3, bytes, AmfLimits.DEFAULT.withMaxExpandedBytes(100_000),
                "AMF3 string reference 0 at offset");
    }

    @Test
    void amf3ObjectReferenceDoublingFailsAtTheExpansionLimit() {
        // Object 1 is a 1 KiB ByteArray; array k + 1 holds object k twice (object ids: outer array 0).
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(hex("09 2b 01 0c 9001"));
        out.writeBytes(new byte[1024]);
        for (int ref = 1; ref <= 20; ref++) {
            byte marker = (byte) (ref == 1 ? 0x0c : 0x09);
            byte u29 = (byte) (ref << 1);
            out.writeBytes(hex("09 05 01"));
            out.writeBytes(new byte[] {marker, u29, marker, u29});
        }
        assertRejects(Codec.AMF3, out.toByteArray(), AmfLimits.DEFAULT, "over the limit of 16777216");
    }
}
