package io.loomcast.gateway.protocol.amf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.amf.AmfAssertions.Codec;
import io.loomcast.gateway.protocol.amf.AmfVectors.Vector;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every vector cut at every offset: the prefix either fails with a ProtocolException or holds fewer values,
 * each equal to the vector's first values. Nothing else may escape.
 */
class AmfTruncationTest {
    static final List<Vector> AMF0 = concat(AmfVectors.AMF0_CANONICAL, AmfVectors.AMF0_DECODE_ONLY);
    static final List<Vector> AMF3 = concat(AmfVectors.AMF3_CANONICAL, AmfVectors.AMF3_DECODE_ONLY);

    @ParameterizedTest(name = "{0}")
    @FieldSource("AMF0")
    void amf0PrefixesFailOrDecodeFewerValues(Vector v) {
        everyCut(Codec.AMF0, v);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("AMF3")
    void amf3PrefixesFailOrDecodeFewerValues(Vector v) {
        everyCut(Codec.AMF3, v);
    }

    private static void everyCut(Codec codec, Vector v) {
        byte[] bytes = v.bytes();
        for (int cut : cuts(bytes.length)) {
            byte[] prefix = Arrays.copyOf(bytes, cut);
            List<AmfValue> decoded;
            try {
                decoded = codec.decode(prefix);
            } catch (ProtocolException expected) {
                continue;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("%s cut at %d threw %s".formatted(v.name(), cut, e), e);
            }
            assertTrue(decoded.size() < v.values().size(),
                    () -> "%s cut at %d decoded all %d values".formatted(v.name(), cut, decoded.size()));
            assertEquals(v.values().subList(0, decoded.size()), decoded, v.name() + " cut at " + cut);
        }
        if (bytes.length < 2) {
            return;
        }
        try {
            codec.decode(bytes);
        } catch (ProtocolException e) {
            fail("the whole vector must decode: " + e.getMessage());
        }
    }

    /** Every cut for ordinary vectors; the first and last 64 and a sample between for the 70 KB one. */
    private static int[] cuts(int length) {
        if (length <= 4096) {
            return IntStream.range(1, length).toArray();
        }
        return IntStream.range(1, length)
                .filter(c -> c <= 64 || c >= length - 64 || c % 997 == 0)
                .toArray();
    }

    private static List<Vector> concat(List<Vector> a, List<Vector> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
