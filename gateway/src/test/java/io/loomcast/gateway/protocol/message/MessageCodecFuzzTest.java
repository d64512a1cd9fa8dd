package io.loomcast.gateway.protocol.message;

import static io.loomcast.gateway.testing.Hex.toHex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.util.Arrays;

/**
 * Fuzzes {@link MessageCodec#decode} with the message type chosen by the fuzzer. Properties: only
 * {@link ProtocolException} escapes; whatever decodes re-encodes to bytes that decode again, to a record that
 * encodes to the same bytes; and records without AMF values come back equal.
 *
 * <p>Records with AMF values come back equal up to the AMF writer's one normalization: an AMF3 integer read
 * in AMF0 context is written as an AMF0 number ({@code Amf0Writer}), so {@code Int(1)} returns as
 * {@code Num(1.0)}. Equal bytes on the second encode catch anything else lost.
 *
 * <p>Input layout, so seeds can be written by hand from the vectors: type id (1 byte), message stream id
 * (4 bytes), timestamp (4 bytes), then the payload. Seeds live in
 * {@code src/test/resources/io/loomcast/gateway/protocol/message/MessageCodecFuzzTestInputs/decode/}.
 * Fuzz for real with {@code JAZZER_FUZZ=1 ./mvnw -pl gateway test -Dtest=MessageCodecFuzzTest#decode}.
 */
class MessageCodecFuzzTest {
    private static final int ENVELOPE_BYTES = 9;

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] input) throws ProtocolException {
        if (input.length < ENVELOPE_BYTES) {
            return;
        }
        int typeId = input[0] & 0xFF;
        int messageStreamId = (int) ControlCodec.u32(input, 1);
        long timestamp = ControlCodec.u32(input, 5);
        byte[] payload = Arrays.copyOfRange(input, ENVELOPE_BYTES, input.length);

        Message first;
        try {
            first = MessageCodec.decode(new RawMessage(ChunkStreams.DATA, typeId, messageStreamId, timestamp, payload));
        } catch (ProtocolException rejected) {
            return;
        }
        // What we encode must decode: a ProtocolException from here on fails the run.
        RawMessage encoded = MessageCodec.encode(first);
        Message second = MessageCodec.decode(encoded);
        RawMessage reencoded = MessageCodec.encode(second);
        assertEquals(toHex(encoded.payload()), toHex(reencoded.payload()), "re-encoding " + first);
        assertEquals(encoded.typeId(), reencoded.typeId());
        if (!carriesAmf(first)) {
            assertEquals(first, second);
        }
    }

    private static boolean carriesAmf(Message m) {
        return switch (m) {
            case DataMessage d -> true;
            case CommandMessage c -> true;
            case SharedObjectMessage s -> true;
            case AggregateMessage a -> a.messages().stream().anyMatch(MessageCodecFuzzTest::carriesAmf);
            default -> false;
        };
    }
}
