package io.loomcast.gateway.protocol.message;

import static io.loomcast.gateway.testing.Hex.hex;
import static io.loomcast.gateway.testing.Hex.toHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.loomcast.gateway.protocol.ProtocolException;
import io.loomcast.gateway.protocol.chunk.RawMessage;
import java.util.Arrays;

/** Vector assertions shared by the message tests: both directions, and truncation at every cut. */
final class MessageAssertions {
    private MessageAssertions() {}

    /**
     * {@code message} encodes to exactly {@code payloadHex} with {@code typeId}, and those bytes decode back to
     * an equal record. Stream messages take their envelope from the record; control ones use msid 0, ts 0.
     */
    static void assertVector(Message message, int typeId, String payloadHex) throws ProtocolException {
        byte[] payload = hex(payloadHex);
        RawMessage encoded = MessageCodec.encode(message);
        assertEquals(typeId, encoded.typeId(), "type id of " + message);
        assertEquals(toHex(payload), toHex(encoded.payload()), "payload of " + message);
        int msid = message instanceof StreamMessage s ? s.messageStreamId() : 0;
        long ts = message instanceof StreamMessage s ? s.timestamp() : 0;
        assertEquals(message, MessageCodec.decode(new RawMessage(ChunkStreams.of(message), typeId, msid, ts, payload)));
    }

    /** Decodes a payload on message stream 0 at timestamp 0. */
    static Message decode(int typeId, String payloadHex) throws ProtocolException {
        return MessageCodec.decode(raw(typeId, hex(payloadHex)));
    }

    static RawMessage raw(int typeId, byte[] payload) {
        return new RawMessage(3, typeId, 0, 0, payload);
    }

    /** Decoding fails with a ProtocolException whose text is exactly {@code expected}. */
    static void assertRejected(int typeId, String payloadHex, String expected) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(typeId, payloadHex));
        assertEquals(expected, e.getMessage());
    }

    /** Every strict prefix of the encoded payload fails to decode, and only with a ProtocolException. */
    static void assertEveryCutRejected(Message message) {
        RawMessage whole = MessageCodec.encode(message);
        for (int cut = 0; cut < whole.length(); cut++) {
            byte[] prefix = Arrays.copyOf(whole.payload(), cut);
            try {
                Message m = MessageCodec.decode(raw(whole.typeId(), prefix));
                fail("%s cut at %d of %d bytes decoded as %s".formatted(message, cut, whole.length(), m));
            } catch (ProtocolException expected) {
                // the only acceptable outcome
            }
        }
    }

    /** Every strict prefix either decodes or fails with a ProtocolException; nothing else is thrown. */
    static void assertEveryCutSafe(Message message) {
        RawMessage whole = MessageCodec.encode(message);
        for (int cut = 0; cut < whole.length(); cut++) {
            byte[] prefix = Arrays.copyOf(whole.payload(), cut);
            try {
                MessageCodec.decode(raw(whole.typeId(), prefix));
            } catch (ProtocolException expected) {
                // fine: a truncated payload may be invalid
            } catch (RuntimeException e) {
                throw new AssertionError("%s cut at %d threw %s".formatted(message, cut, e), e);
            }
        }
    }

    /** Encoding and decoding gives an equal record. */
    static void assertRoundTrip(Message message) throws ProtocolException {
        assertEquals(message, MessageCodec.decode(MessageCodec.encode(message)));
    }
}
