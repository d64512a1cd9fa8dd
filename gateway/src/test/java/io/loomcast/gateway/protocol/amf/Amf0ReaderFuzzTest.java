package io.loomcast.gateway.protocol.amf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.AmfAssertions.Codec;
import java.util.List;

/**
 * Any input either fails with a ProtocolException (anything else fails the test) or decodes; what decodes
 * re-encodes, decodes again to an equal value (AMF3 integers come back as numbers), and re-encodes to the
 * same bytes. Under plain {@code mvn test} this replays the seeds in Amf0ReaderFuzzTestInputs/.
 */
class Amf0ReaderFuzzTest {
    /**
     * A 1 MiB expansion budget keeps reference bombs cheap to re-encode. The second decode uses the
     * default 16 MiB: re-encoding writes no AMF0 references and an AMF3 integer grows to a 9-byte number.
     */
    static final AmfLimits FUZZ_LIMITS = AmfLimits.DEFAULT.withMaxExpandedBytes(1 << 20);

    @FuzzTest(maxDuration = "60s")
    void decodeReencode(byte[] input) throws ProtocolException {
        List<AmfValue> decoded;
        try {
            decoded = Codec.AMF0.decode(input, FUZZ_LIMITS);
        } catch (ProtocolException rejected) {
            return;
        }
        byte[] encoded = Codec.AMF0.encode(decoded);
        List<AmfValue> again = Codec.AMF0.decode(encoded);
        assertEquals(NumbersAsDoubles.of(decoded), NumbersAsDoubles.of(again));
        assertArrayEquals(encoded, Codec.AMF0.encode(again));
    }
}
