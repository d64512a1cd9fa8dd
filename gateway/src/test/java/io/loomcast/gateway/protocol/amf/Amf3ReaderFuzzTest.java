package io.loomcast.gateway.protocol.amf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.AmfAssertions.Codec;
import java.util.List;

/**
 * Any input either fails with a ProtocolException (anything else fails the test) or decodes; what decodes
 * re-encodes, decodes again to an equal value, and re-encodes to the same bytes (the writer's references
 * follow the decoded value's shared instances). Under plain {@code mvn test} this replays the seeds in
 * Amf3ReaderFuzzTestInputs/.
 */
class Amf3ReaderFuzzTest {
    static final AmfLimits FUZZ_LIMITS = AmfLimits.DEFAULT.withMaxExpandedBytes(1 << 20);

    @FuzzTest(maxDuration = "60s")
    void decodeReencode(byte[] input) throws ProtocolException {
        List<AmfValue> decoded;
        try {
            decoded = Codec.AMF3.decode(input, FUZZ_LIMITS);
        } catch (ProtocolException rejected) {
            return;
        }
        byte[] encoded = Codec.AMF3.encode(decoded);
        List<AmfValue> again = Codec.AMF3.decode(encoded);
        assertEquals(decoded, again);
        assertArrayEquals(encoded, Codec.AMF3.encode(again));
    }
}
